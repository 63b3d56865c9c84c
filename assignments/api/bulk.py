"""A rep's bulk claim and bulk release (`/api/v1/leads/bulk-claim/`, `.../bulk-release/`): one
answer per lead, each what the single endpoint would have said (200 for the request as a
whole; a refused lead is a row with its `code` and `detail`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.schema import raises
from crm.errors import NotFound

from .. import services
from ..exceptions import (
    AlreadyOwned,
    CannotClaim,
    ClaimLimitReached,
    CustomerWon,
    InCooldown,
    NothingSelected,
    NotOwned,
    OwnershipConflict,
    ReasonRequired,
    TooManySelected,
)
from .views import claim_body


class BulkLeadIdsInput(serializers.Serializer):
    lead_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=services.BULK_MAX,
        help_text="The leads, each decided on its own, in this order (at most 100).",
    )


class BulkReleaseInput(BulkLeadIdsInput):
    # Blank is the service's refusal (`reason_required`), as for a single release.
    reason = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", trim_whitespace=True
    )


class BulkRowOutput(serializers.Serializer):
    """One lead's answer. A claimed row has the claim's fields (owner, claimed_at,
    protected_until); a refused row the single endpoint's error body (code, detail and its
    facts: the owner who has it, the limit, the end of the cooldown)."""

    lead = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["claimed", "released", "refused"])
    code = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)


class BulkClaimOutput(serializers.Serializer):
    results = BulkRowOutput(many=True)
    claimed = serializers.IntegerField()
    refused = serializers.IntegerField()


class BulkReleaseOutput(serializers.Serializer):
    results = BulkRowOutput(many=True)
    released = serializers.IntegerField()
    refused = serializers.IntegerField()


def _rows(outcomes, done: str) -> tuple[list[dict], int]:
    rows, count = [], 0
    for outcome in outcomes:
        if outcome.done:
            count += 1
            body = claim_body(outcome.period) if outcome.period is not None else {}
            rows.append({"lead": outcome.lead_id, "status": done, **body})
        else:
            rows.append({"lead": outcome.lead_id, "status": "refused", **outcome.error.as_dict()})
    return rows, count


class LeadBulkClaimApi(APIView):
    throttle_scope = "claims"

    @extend_schema(request=BulkLeadIdsInput, responses=BulkClaimOutput)
    @raises(
        AlreadyOwned,
        CannotClaim,
        ClaimLimitReached,
        InCooldown,
        NotFound,
        NothingSelected,
        OwnershipConflict,
        TooManySelected,
    )
    def post(self, request):
        data = BulkLeadIdsInput(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = services.claim_leads(
            lead_ids=data.validated_data["lead_ids"], actor=request.user
        )
        rows, claimed = _rows(outcomes, "claimed")
        return Response({"results": rows, "claimed": claimed, "refused": len(rows) - claimed})


class LeadBulkReleaseApi(APIView):
    @extend_schema(request=BulkReleaseInput, responses=BulkReleaseOutput)
    @raises(CustomerWon, NotFound, NotOwned, NothingSelected, ReasonRequired, TooManySelected)
    def post(self, request):
        data = BulkReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = services.release_leads(
            lead_ids=data.validated_data["lead_ids"],
            actor=request.user,
            reason=data.validated_data["reason"],
        )
        rows, released = _rows(outcomes, "released")
        return Response({"results": rows, "released": released, "refused": len(rows) - released})
