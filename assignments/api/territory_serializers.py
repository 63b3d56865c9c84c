"""What the territory rules API (分配规则) takes and answers. A rule is `{id, name, position,
active, conditions: [{field, op, value}], target: {kind, rep?, team?}}` (with `version`,
`updated_at` and the target's names to read). The rule services check the conditions and
the target; these serializers only say their shape."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserRef

from ..models import TerritoryRule, TerritoryRuleChange
from ..rule_input import MAX_NAME
from ..selectors.routing_preview import DEFAULT_LIMIT, MAX_LIMIT
from ..territory import FIELDS, OPS


class ConditionSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(FIELDS))
    op = serializers.ChoiceField(choices=list(OPS))
    value = serializers.JSONField(
        help_text="A text (equals, contains); a list or a comma-separated text (in, not_in); "
        '{"min", "max"} sizes (range, size only).'
    )


class TargetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TerritoryRule.Target.choices)
    rep = serializers.IntegerField(
        required=False, allow_null=True, help_text="The named rep (kind rep only)."
    )
    team = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The team (kinds round_robin, least_loaded, team_pool).",
    )


@extend_schema_field(ConditionSerializer(many=True))
class ConditionsField(serializers.JSONField):
    """Passed as sent: the rule services say what is wrong with a condition, in words."""


@extend_schema_field(TargetSerializer)
class TargetField(serializers.JSONField):
    """Passed as sent: the rule services refuse unknown keys, unknown reps and teams."""


class TerritoryRuleInput(serializers.Serializer):
    name = serializers.CharField(max_length=MAX_NAME)
    active = serializers.BooleanField(required=False, default=True)
    position = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="1 is tried first. Omitted on creation: at the end; on a change: unmoved.",
    )
    conditions = ConditionsField(
        required=False, default=list, help_text="All must hold; none: every customer."
    )
    target = TargetField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="On a change: the version you edited. If someone changed the rule since, "
        "the answer is 409 rule_changed and nothing is saved.",
    )


class _TargetOutput(serializers.Serializer):
    kind = serializers.CharField(source="target_kind")
    rep = serializers.IntegerField(source="target_rep_id", allow_null=True)
    team = serializers.IntegerField(source="target_team_id", allow_null=True)


class TerritoryRuleOutput(serializers.ModelSerializer):
    conditions = serializers.ListField(child=ConditionSerializer())
    target = _TargetOutput(source="*")
    rep_name = serializers.CharField(
        source="target_rep.display_name", default=None, allow_null=True
    )
    team_name = serializers.CharField(source="target_team.name", default=None, allow_null=True)

    class Meta:
        model = TerritoryRule
        fields = [
            "id",
            "name",
            "position",
            "active",
            "conditions",
            "target",
            "rep_name",
            "team_name",
            "version",
            "updated_at",
        ]


class TerritoryRuleListOutput(serializers.Serializer):
    results = TerritoryRuleOutput(many=True)
    next = serializers.CharField(allow_null=True)


class ReorderInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=10_000,
        help_text="Every rule's id, once, in the order they are tried.",
    )


@extend_schema_field(TerritoryRuleInput(many=True))
class PreviewRulesField(serializers.JSONField):
    """Passed as sent, checked rule by rule by the preview."""


class PreviewInput(serializers.Serializer):
    rules = PreviewRulesField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The edited rule set, in the order tried (unsaved). Omitted: the rules in force.",
    )
    limit = serializers.IntegerField(
        required=False, default=DEFAULT_LIMIT, min_value=1, max_value=MAX_LIMIT
    )


class PreviewTargetOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="rep, team_pool or public_pool.")
    rep = serializers.IntegerField(allow_null=True)
    rep_name = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField()


class PreviewCountOutput(serializers.Serializer):
    target = PreviewTargetOutput()
    proposed = serializers.IntegerField()
    actual = serializers.IntegerField()


class _RuleRef(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class PreviewActualOutput(PreviewTargetOutput):
    via = serializers.ChoiceField(
        choices=["routing", "created"],
        help_text="routing: the rules decided; created: whoever created it chose.",
    )
    rule = serializers.JSONField(allow_null=True, help_text="The rule that routed it, if any.")


class PreviewProposedOutput(PreviewTargetOutput):
    fallback = serializers.BooleanField(
        help_text="Nobody the rule names could take it: it would go to the pool."
    )


class PreviewDifferenceOutput(serializers.Serializer):
    lead = serializers.IntegerField()
    company_name = serializers.CharField()
    created_at = serializers.DateTimeField()
    actual = PreviewActualOutput()
    proposed = PreviewProposedOutput()
    rule = _RuleRef(allow_null=True, help_text="The edited rule that matched; null: none did.")


class PreviewOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Customers previewed.")
    rules = serializers.IntegerField(help_text="Active rules tried.")
    targets = PreviewCountOutput(many=True)
    differences = PreviewDifferenceOutput(many=True)


class TerritoryRuleChangeOutput(serializers.ModelSerializer):
    rule = serializers.IntegerField(source="rule_id", allow_null=True)
    actor = UserRef(allow_null=True)
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = TerritoryRuleChange
        fields = ["id", "action", "rule", "actor", "before", "after", "at"]
