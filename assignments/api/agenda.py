"""Today's work (今日待办) for the signed-in user."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..selectors.agenda import get_agenda
from .deal_serializers import DealOutput

LeadRef = inline_serializer(
    "AgendaLeadRef", {"id": serializers.IntegerField(), "company_name": serializers.CharField()}
)


def _lead(lead) -> dict:
    return {"id": lead.pk, "company_name": lead.company_name}


class AgendaApi(APIView):
    """Next steps due today or overdue, claims running out within 48 hours, open deals past
    their expected close — on the customers you own — with their counts."""

    @extend_schema(
        responses=inline_serializer(
            "AgendaOutput",
            {
                "next_steps": serializers.ListField(child=serializers.DictField()),
                "expiring_claims": serializers.ListField(child=serializers.DictField()),
                "overdue_deals": DealOutput(many=True),
                "counts": serializers.DictField(child=serializers.IntegerField()),
            },
        )
    )
    def get(self, request):
        agenda = get_agenda(user=request.user)
        as_time = serializers.DateTimeField().to_representation
        return Response(
            {
                "next_steps": [
                    {
                        "lead": _lead(step.lead),
                        "followup": step.pk,
                        "next_step": step.next_step,
                        "next_step_at": step.next_step_at.isoformat(),
                    }
                    for step in agenda.next_steps
                ],
                "expiring_claims": [
                    {"lead": _lead(p.lead), "protected_until": as_time(p.protected_until)}
                    for p in agenda.expiring
                ],
                "overdue_deals": DealOutput(agenda.overdue_deals, many=True).data,
                "counts": agenda.counts,
            }
        )
