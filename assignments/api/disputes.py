"""Disputes (撞单申诉) over the API: a rep files, the owner's manager rules on the evidence."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises

from .. import access, selectors, services
from ..exceptions import (
    AlreadyOwner,
    ClaimLimitReached,
    DisputeAlreadyOpen,
    DisputeRuled,
    DisputeStale,
    InvalidRecord,
    InvalidRuling,
    InvalidShares,
    InvalidTarget,
    LeadInPool,
    MergeWonLead,
    OutOfScope,
    OwnershipConflict,
    ReasonRequired,
    StatementRequired,
)
from ..models import Dispute
from .dispute_serializers import (
    DisputeDetailOutput,
    DisputeInput,
    DisputeListQuery,
    DisputeOutput,
    RuleInput,
)


def _answer(request, dispute_id: int, status: int = 200) -> Response:
    dispute = selectors.get_dispute_for(user=request.user, dispute_id=dispute_id)
    evidence = None
    if access.can_see_dispute_evidence(request.user, dispute):
        evidence = selectors.get_dispute_evidence(user=request.user, dispute=dispute)
    return Response(
        DisputeDetailOutput(dispute, context={"evidence": evidence}).data, status=status
    )


class LeadDisputesApi(APIView):
    """A rep with a link to a customer someone else owns disputes it: `{statement, record?}`.
    404 without a link; 409 `lead_in_pool`, `already_owner`, `dispute_already_open`; 400
    `statement_required`, `invalid_record`."""

    @extend_schema(request=DisputeInput, responses={201: DisputeDetailOutput})
    @raises(AlreadyOwner, DisputeAlreadyOpen, InvalidRecord, LeadInPool, StatementRequired)
    def post(self, request, lead_id: int):
        data = DisputeInput(data=request.data)
        data.is_valid(raise_exception=True)
        dispute = services.file_dispute(
            lead_id=lead_id,
            actor=request.user,
            statement=data.validated_data["statement"],
            record_id=data.validated_data["record"],
        )
        return _answer(request, dispute.pk, status=201)


class DisputeListApi(APIView):
    """Disputes you filed or that are against you; a manager's also their teams' reps' (either
    side); admins all. Filter by `status`."""

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=Dispute.Status.values)],
        responses=page_of(DisputeOutput, cursor=True),
    )
    def get(self, request):
        query = DisputeListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        disputes = selectors.list_disputes_visible_to(
            user=request.user, status=query.validated_data.get("status")
        )
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(disputes, request, self)
        return paginator.get_paginated_response(DisputeOutput(page, many=True).data)


class DisputeApi(APIView):
    """One dispute; with `evidence` (both reps side by side) for managers and admins."""

    @extend_schema(responses=DisputeDetailOutput)
    def get(self, request, dispute_id: int):
        return _answer(request, dispute_id)


class DisputeRuleApi(APIView):
    """The owner's manager (or an admin) rules: `{ruling: keep|transfer|pool|merge, reason,
    shares?: [{rep, share}], override_limit?}`. 409 `already_decided`, `dispute_stale` (the
    owner changed: the dispute is closed), `claim_limit_reached` (transfer, unless
    `override_limit`); 400 `invalid_ruling`, `invalid_shares`, `reason_required`."""

    @extend_schema(request=RuleInput, responses=DisputeDetailOutput)
    @raises(
        ClaimLimitReached,
        DisputeRuled,
        DisputeStale,
        InvalidRuling,
        InvalidShares,
        InvalidTarget,
        MergeWonLead,
        OutOfScope,
        OwnershipConflict,
        ReasonRequired,
    )
    def post(self, request, dispute_id: int):
        data = RuleInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.rule_dispute(
            dispute_id=dispute_id,
            actor=request.user,
            ruling=data.validated_data["ruling"],
            reason=data.validated_data["reason"],
            shares=[(s["rep"], s["share"]) for s in data.validated_data.get("shares", [])],
            override_limit=data.validated_data["override_limit"],
        )
        return _answer(request, dispute_id)


class DisputeWithdrawApi(APIView):
    @extend_schema(request=None, responses=DisputeDetailOutput)
    @raises(DisputeRuled)
    def post(self, request, dispute_id: int):
        services.withdraw_dispute(dispute_id=dispute_id, actor=request.user)
        return _answer(request, dispute_id)
