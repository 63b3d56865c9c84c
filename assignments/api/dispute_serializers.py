"""What the dispute API (撞单申诉) takes and answers."""

from rest_framework import serializers

from accounts.api.serializers import UserRef

from ..models import Dispute
from ..services.disputes import MAX_TEXT
from .deal_serializers import ShareInput


class DisputeInput(serializers.Serializer):
    statement = serializers.CharField(max_length=MAX_TEXT, allow_blank=True)
    record = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Your own record of the same customer (one the duplicate check matches).",
    )


class DisputeOutput(serializers.ModelSerializer):
    company_name = serializers.CharField(source="lead.company_name")
    claimant = UserRef()
    owner = UserRef(help_text="Who owned the customer when the dispute was filed.")
    ruled_by = UserRef(allow_null=True)
    record_company_name = serializers.CharField(
        source="record.company_name", allow_null=True, default=None
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "lead",
            "company_name",
            "claimant",
            "owner",
            "record",
            "record_company_name",
            "statement",
            "status",
            "filed_at",
            "ruling",
            "ruled_by",
            "ruled_at",
            "ruling_reason",
            "credit_split",
        ]


class DisputeListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Dispute.Status.choices, required=False)


class RuleInput(serializers.Serializer):
    ruling = serializers.ChoiceField(choices=Dispute.Ruling.choices)
    reason = serializers.CharField(max_length=MAX_TEXT)
    shares = ShareInput(
        many=True,
        required=False,
        max_length=20,
        help_text="For a customer with won deals: the credit split, shares adding up to 100.",
    )
    override_limit = serializers.BooleanField(required=False, default=False)


# --- the evidence -------------------------------------------------------------------------
class _PeriodOut(serializers.Serializer):
    lead = serializers.IntegerField(source="lead_id")
    company_name = serializers.CharField(source="lead.company_name")
    started_at = serializers.DateTimeField()
    protected_until = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_kind = serializers.CharField()


class _FollowUpOut(serializers.Serializer):
    lead = serializers.IntegerField(source="lead_id")
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    note = serializers.CharField()


class _RecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    company_name = serializers.CharField()
    created_at = serializers.DateTimeField()


class _CollisionOut(serializers.Serializer):
    lead = serializers.IntegerField(source="lead_id")
    code = serializers.CharField()
    at = serializers.DateTimeField()
    owner = UserRef(allow_null=True)
    attempted = serializers.JSONField()
    reasons = serializers.JSONField()
    confirmed = serializers.BooleanField()


class SideOutput(serializers.Serializer):
    rep = UserRef()
    first_contact = serializers.DateTimeField(allow_null=True)
    periods = _PeriodOut(many=True)
    followups = _FollowUpOut(many=True)
    created = _RecordOut(many=True)
    collisions = _CollisionOut(many=True)


class _DealOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField()


class EvidenceOutput(serializers.Serializer):
    claimant = SideOutput()
    owner = SideOutput()
    match_level = serializers.CharField()
    match_reasons = serializers.ListField(child=serializers.CharField())
    owner_now = UserRef(allow_null=True)
    owner_changed = serializers.BooleanField()
    won_deals = _DealOut(many=True)


class DisputeDetailOutput(DisputeOutput):
    evidence = serializers.SerializerMethodField()

    class Meta(DisputeOutput.Meta):
        fields = [*DisputeOutput.Meta.fields, "evidence"]

    def get_evidence(self, dispute) -> dict | None:
        evidence = self.context.get("evidence")
        return EvidenceOutput(evidence).data if evidence is not None else None
