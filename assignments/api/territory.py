"""Territory rules (分配规则) over the API: managers and admins read them, admins change,
reorder and preview them. Every invalid rule is 400 `invalid_rule` with a readable detail,
and nothing is saved; a change made from a stale `version` is 409 `rule_changed`."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.errors import field_errors, first_message
from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import NotFound, PermissionDenied

from .. import access, services
from ..exceptions import InvalidRule, NotOwned, RuleChanged
from ..models import TerritoryRule, TerritoryRuleChange
from ..selectors.routing_preview import preview_routing
from .territory_serializers import (
    PreviewInput,
    PreviewOutput,
    ReorderInput,
    TerritoryRuleChangeOutput,
    TerritoryRuleInput,
    TerritoryRuleListOutput,
    TerritoryRuleOutput,
)


def _valid(serializer) -> dict:
    """The input's values, or `invalid_rule` (one code for everything wrong with a rule)."""
    if not serializer.is_valid():
        errors = field_errors(serializer.errors)
        raise InvalidRule(first_message(errors) or None, errors=errors)
    return serializer.validated_data


def _rules():
    return TerritoryRule.objects.select_related("target_rep", "target_team").order_by(
        "position", "id"
    )


def _rule(rule_id: int) -> TerritoryRule:
    rule = _rules().filter(pk=rule_id).first()
    if rule is None:
        raise NotFound()
    return rule


def _list_body(rules) -> dict:
    return {"results": TerritoryRuleOutput(rules, many=True).data, "next": None}


class TerritoryRuleListCreateApi(APIView):
    """The rules in the order they are tried (managers and admins); admins add one."""

    @extend_schema(operation_id="territory_rules_list", responses=TerritoryRuleListOutput)
    @raises(PermissionDenied)
    def get(self, request):
        access.ensure_may_read_rules(request.user)
        return Response(_list_body(_rules()))

    @extend_schema(request=TerritoryRuleInput, responses={201: TerritoryRuleOutput})
    @raises(InvalidRule, NotFound)
    def post(self, request):
        access.ensure_may_manage_rules(request.user)
        data = _valid(TerritoryRuleInput(data=request.data))
        rule = services.create_rule(
            actor=request.user,
            name=data["name"],
            conditions=data["conditions"],
            target=data["target"],
            active=data["active"],
            position=data.get("position"),
        )
        return Response(TerritoryRuleOutput(_rule(rule.pk)).data, status=201)


class TerritoryRuleApi(APIView):
    """One rule. PUT replaces name, active, conditions and target (and moves it when
    `position` is given); PATCH changes what it names. Both take the `version` edited."""

    @extend_schema(responses=TerritoryRuleOutput)
    @raises(PermissionDenied)
    def get(self, request, rule_id: int):
        access.ensure_may_read_rules(request.user)
        return Response(TerritoryRuleOutput(_rule(rule_id)).data)

    def _change(self, request, rule_id: int, *, partial: bool) -> Response:
        access.ensure_may_manage_rules(request.user)
        data = _valid(TerritoryRuleInput(data=request.data, partial=partial))
        services.update_rule(actor=request.user, rule_id=rule_id, **data)
        return Response(TerritoryRuleOutput(_rule(rule_id)).data)

    @extend_schema(request=TerritoryRuleInput, responses=TerritoryRuleOutput)
    @raises(InvalidRule, NotOwned, RuleChanged)
    def put(self, request, rule_id: int):
        return self._change(request, rule_id, partial=False)

    @extend_schema(request=TerritoryRuleInput, responses=TerritoryRuleOutput)
    @raises(InvalidRule, NotOwned, RuleChanged)
    def patch(self, request, rule_id: int):
        return self._change(request, rule_id, partial=True)

    @extend_schema(responses={204: None})
    @raises(NotOwned)
    def delete(self, request, rule_id: int):
        services.delete_rule(actor=request.user, rule_id=rule_id)
        return Response(status=204)


class TerritoryRuleReorderApi(APIView):
    """`{ids}`: every rule's id once, in the new order. Answers the rules in that order."""

    @extend_schema(request=ReorderInput, responses=TerritoryRuleListOutput)
    @raises(InvalidRule)
    def post(self, request):
        access.ensure_may_manage_rules(request.user)
        data = _valid(ReorderInput(data=request.data))
        services.reorder_rules(actor=request.user, ids=data["ids"])
        return Response(_list_body(_rules()))


class TerritoryRulePreviewApi(APIView):
    """How the last `limit` customers created would be routed by `rules` (the edited set,
    unsaved; omitted: the rules in force), next to what happened to each: counts per target
    and the customers that would go elsewhere. Admins; writes nothing."""

    @extend_schema(request=PreviewInput, responses=PreviewOutput)
    @raises(InvalidRule)
    def post(self, request):
        access.ensure_may_manage_rules(request.user)
        data = _valid(PreviewInput(data=request.data))
        preview = preview_routing(rules=data["rules"], limit=data["limit"])
        return Response(PreviewOutput(preview).data)


class TerritoryRuleChangeListApi(APIView):
    """Every change of the rules, newest first: who, when, the rule before and after (a
    reordering: the ids in order before and after). Admins."""

    @extend_schema(responses=page_of(TerritoryRuleChangeOutput, cursor=True))
    @raises(PermissionDenied)
    def get(self, request):
        access.ensure_may_manage_rules(request.user)
        changes = TerritoryRuleChange.objects.select_related("actor")
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(changes, request, self)
        return paginator.get_paginated_response(TerritoryRuleChangeOutput(page, many=True).data)
