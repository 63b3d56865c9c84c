"""`POST /api/v1/leads/{id}/merge/preview/` `{lead}`: what merging `lead` into `{id}` would do
(the facts the merge page confirms), without merging. The same permissions and refusals as
`POST /api/v1/leads/{id}/merge/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import UserRef
from crm.api.fields import IdField
from crm.api.schema import raises

from ..exceptions import CannotMerge
from ..selectors.merge_preview import get_merge_preview


class MergePreviewInput(serializers.Serializer):
    lead = IdField(min_value=1, help_text="The lead that would be merged into this one.")


class MergeSideOutput(serializers.Serializer):
    id = serializers.IntegerField(source="lead.pk")
    company_name = serializers.CharField(source="lead.company_name")
    status = serializers.CharField(source="lead.status")
    owner = UserRef(allow_null=True)
    protected_until = serializers.DateTimeField(allow_null=True)
    contacts = serializers.IntegerField()
    followups = serializers.IntegerField()
    deals = serializers.IntegerField()
    won_deals = serializers.IntegerField()
    status_changes = serializers.IntegerField()
    inquiries = serializers.IntegerField()
    history = serializers.IntegerField(help_text="History records its timeline shows.")


class MergePreviewOutput(serializers.Serializer):
    survivor = MergeSideOutput()
    merged = MergeSideOutput()
    moves = serializers.SerializerMethodField(
        help_text="What moves from the merged record to the survivor."
    )
    stays = serializers.SerializerMethodField(
        help_text="What stays with the merged record (history: shown on the survivor's "
        "timeline as well)."
    )
    history_added = serializers.IntegerField()
    survivor_history_after = serializers.IntegerField()
    outcome = serializers.ChoiceField(
        choices=["survivor_owner_keeps", "merged_owner_follows", "pool"]
    )
    owner_after = UserRef(allow_null=True)
    protected_until_after = serializers.DateTimeField(allow_null=True)
    loses_claim = UserRef(allow_null=True)
    closes_transfer_requests = serializers.IntegerField(source="closes_requests")
    repointed = serializers.IntegerField()

    def get_moves(self, preview) -> dict:
        return {"contacts": preview.merged.contacts, "followups": preview.merged.followups}

    def get_stays(self, preview) -> dict:
        merged = preview.merged
        return {
            "deals": merged.deals,
            "status_changes": merged.status_changes,
            "inquiries": merged.inquiries,
            "history": merged.history,
        }


class LeadMergePreviewApi(APIView):
    @extend_schema(request=MergePreviewInput, responses=MergePreviewOutput)
    @raises(CannotMerge)
    def post(self, request, lead_id: int):
        data = MergePreviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        preview = get_merge_preview(
            user=request.user, survivor_id=lead_id, merged_id=data.validated_data["lead"]
        )
        if preview.refusal is not None:
            raise preview.refusal
        return Response(MergePreviewOutput(preview).data)
