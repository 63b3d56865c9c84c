from drf_spectacular.utils import extend_schema
from rest_framework.fields import DateTimeField
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from crm.api.schema import page_of, raises
from crm.errors import NotFound, PermissionDenied

from .. import access, selectors, services
from ..exceptions import (
    AlreadyOwned,
    AlreadyOwner,
    CannotClaim,
    ClaimLimitReached,
    CustomerWon,
    InCooldown,
    InvalidPolicy,
    InvalidTarget,
    NotOwned,
    OutOfScope,
    OwnershipConflict,
    ReasonRequired,
)
from ..models import POLICY_FIELDS
from .serializers import (
    ClaimOutput,
    HistoryOutput,
    PolicySerializer,
    ReassignInput,
    ReleaseInput,
    TeamPolicySerializer,
)

_as_time = DateTimeField().to_representation


def claim_body(period) -> dict:
    """The claim answer, built directly: this is the hottest endpoint (same fields as
    ClaimOutput, which documents it)."""
    as_time = _as_time
    return {
        "lead": period.lead_id,
        "owner": {"id": period.owner_id, "display_name": period.owner.display_name},
        "claimed_at": as_time(period.started_at),
        "protected_until": as_time(period.protected_until),
    }


class LeadClaimApi(APIView):
    throttle_scope = "claims"

    @extend_schema(request=None, responses=ClaimOutput)
    @raises(AlreadyOwned, CannotClaim, ClaimLimitReached, InCooldown, OwnershipConflict)
    def post(self, request, lead_id: int):
        period = services.claim_lead(lead_id=lead_id, actor=request.user)
        return Response(claim_body(period))


class LeadReleaseApi(APIView):
    @extend_schema(request=ReleaseInput, responses={200: None})
    @raises(CustomerWon, NotOwned, ReasonRequired)
    def post(self, request, lead_id: int):
        data = ReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.release_lead(
            lead_id=lead_id, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response({"lead": lead_id, "owner": None})


class LeadReassignApi(APIView):
    @extend_schema(request=ReassignInput, responses=ClaimOutput)
    @raises(
        AlreadyOwner,
        ClaimLimitReached,
        InvalidTarget,
        OutOfScope,
        OwnershipConflict,
        ReasonRequired,
    )
    def post(self, request, lead_id: int):
        data = ReassignInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.reassign_lead(
            lead_id=lead_id,
            actor=request.user,
            to_user_id=data.validated_data["to"],
            reason=data.validated_data["reason"],
            override_limit=data.validated_data["override_limit"],
        )
        return Response(claim_body(period))


class LeadHistoryApi(APIView):
    @extend_schema(responses=page_of(HistoryOutput))
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        events = selectors.list_history(lead_id=lead.pk)
        return Response({"results": HistoryOutput(events, many=True).data, "next": None})


class GlobalPolicyApi(APIView):
    """Everyone may read the rules they work under; only admins change them."""

    @extend_schema(responses=PolicySerializer)
    @raises(PermissionDenied)
    def get(self, request):
        return Response(PolicySerializer(selectors.get_global_policy()).data)

    @extend_schema(request=PolicySerializer, responses=PolicySerializer)
    @raises(InvalidPolicy)
    def patch(self, request):
        access.ensure_can_change_policies(request.user)
        policy = selectors.get_global_policy()
        data = PolicySerializer(policy, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        policy = services.update_policy(actor=request.user, team=None, changes=data.validated_data)
        return Response(PolicySerializer(policy).data)


class TeamPolicyApi(APIView):
    def _team(self, request, team_id: int) -> Team:
        user = request.user
        team = Team.objects.filter(pk=team_id).first()
        if team is None or not access.can_read_team_policy(user, team):
            raise NotFound()
        return team

    def _body(self, team: Team) -> dict:
        effective = selectors.get_effective_policy(team_id=team.pk)
        override = getattr(team, "pool_policy", None)
        body = {"team": team.pk, **PolicySerializer(effective).data}
        body["overrides"] = {
            field: TeamPolicySerializer(override).data[field] if override else None
            for field in POLICY_FIELDS
        }
        return body

    @extend_schema(responses=PolicySerializer)
    @raises(PermissionDenied)
    def get(self, request, team_id: int):
        return Response(self._body(self._team(request, team_id)))

    @extend_schema(request=TeamPolicySerializer, responses=PolicySerializer)
    @raises(InvalidPolicy)
    def patch(self, request, team_id: int):
        team = self._team(request, team_id)
        access.ensure_can_change_policies(request.user)
        data = TeamPolicySerializer(
            getattr(team, "pool_policy", None),
            data=request.data,
            partial=True,
            context={"effective": selectors.get_global_policy()},
        )
        data.is_valid(raise_exception=True)
        services.update_policy(actor=request.user, team=team, changes=data.validated_data)
        team.refresh_from_db()
        return Response(self._body(Team.objects.get(pk=team.pk)))
