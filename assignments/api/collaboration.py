"""The API of collaborators (协作人) and credit splits agreed before a win."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import UserRef
from crm.api.fields import IdField
from crm.api.schema import page_of, raises
from crm.errors import PermissionDenied

from .. import selectors, services
from ..exceptions import InvalidShares, InvalidTarget, NotOwned, OwnershipConflict
from ..models import Collaborator, CreditAgreement
from ..selectors.collaborators import get_agreements, list_collaborators
from .deal_serializers import ShareInput


class CollaboratorOutput(serializers.ModelSerializer):
    user = UserRef()
    invited_by = UserRef()

    class Meta:
        model = Collaborator
        fields = ["user", "invited_by", "added_at"]


class CollaboratorInput(serializers.Serializer):
    user = IdField()


class AgreementOutput(serializers.ModelSerializer):
    proposed_by = UserRef()
    decided_by = UserRef(allow_null=True)
    shares = serializers.SerializerMethodField()

    class Meta:
        model = CreditAgreement
        fields = [
            "id",
            "status",
            "shares",
            "note",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]

    def get_shares(self, agreement) -> list[dict]:
        return [
            {"rep": {"id": s.rep_id, "display_name": s.rep.display_name}, "share": str(s.share)}
            for s in agreement.shares.all()
        ]


class ProposalInput(serializers.Serializer):
    shares = ShareInput(many=True, min_length=1, max_length=20)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class LeadCollaboratorsApi(APIView):
    """The colleagues helping on the owner's current claim (GET); invite one (POST: the
    owner, their manager, an admin)."""

    @extend_schema(responses=page_of(CollaboratorOutput))
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        helping = list_collaborators(period=lead.live_ownership)
        return Response({"results": CollaboratorOutput(helping, many=True).data, "next": None})

    @extend_schema(request=CollaboratorInput, responses={201: CollaboratorOutput})
    @raises(InvalidTarget, NotOwned, OwnershipConflict)
    def post(self, request, lead_id: int):
        data = CollaboratorInput(data=request.data)
        data.is_valid(raise_exception=True)
        collaborator = services.invite_collaborator(
            lead_id=lead_id, actor=request.user, user_id=data.validated_data["user"]
        )
        return Response(CollaboratorOutput(collaborator).data, status=status.HTTP_201_CREATED)


class LeadCollaboratorApi(APIView):
    @extend_schema(responses={204: None})
    @raises(NotOwned)
    def delete(self, request, lead_id: int, user_id: int):
        services.remove_collaborator(lead_id=lead_id, actor=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


AgreementsOutput = inline_serializer(
    "CreditSharesOutput",
    {"approved": AgreementOutput(allow_null=True), "proposed": AgreementOutput(allow_null=True)},
)


def _agreements_body(lead) -> dict:
    found = get_agreements(period=lead.live_ownership)
    return {
        name: AgreementOutput(agreement).data if agreement else None
        for name, agreement in found.items()
    }


class LeadCreditSharesApi(APIView):
    """The credit split in force for the owner's claim and the one waiting (GET); a proposal
    by the owner (POST)."""

    @extend_schema(responses=AgreementsOutput)
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        return Response(_agreements_body(lead))

    @extend_schema(request=ProposalInput, responses={201: AgreementOutput})
    @raises(InvalidShares, OwnershipConflict)
    def post(self, request, lead_id: int):
        data = ProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.propose_credit_shares(
            lead_id=lead_id,
            actor=request.user,
            shares=[(s["rep"], s["share"]) for s in data.validated_data["shares"]],
            note=data.validated_data["note"],
        )
        return Response(AgreementOutput(agreement).data, status=status.HTTP_201_CREATED)


class _DecisionApi(APIView):
    approve = True

    @extend_schema(request=DecisionInput, responses=AgreementOutput)
    @raises(OwnershipConflict)
    def post(self, request, lead_id: int):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        agreement = services.decide_credit_shares(
            lead_id=lead_id, actor=request.user, approve=self.approve, **data.validated_data
        )
        return Response(AgreementOutput(agreement).data)


class LeadCreditSharesApproveApi(_DecisionApi):
    approve = True


class LeadCreditSharesRejectApi(_DecisionApi):
    approve = False
