"""The API of a customer's lifecycle, its deals and their credit."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.fields import BoundedDateField, IdField
from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import NotFound, PermissionDenied
from leads.exceptions import (
    DealClosed,
    InvalidCurrency,
    InvalidTransition,
    LostReasonRequired,
    UnknownStage,
)
from leads.models import Deal
from leads.selectors import list_deal_stages, list_lost_reasons

from .. import selectors, services
from ..exceptions import (
    ClaimLimitReached,
    InvalidRule,
    InvalidShares,
    NotOwned,
    OutOfScope,
    OwnershipConflict,
    ReasonRequired,
)
from ..selectors import credits as credit_reads
from .customer_serializers import LeadOutput
from .deal_serializers import (
    CloseInput,
    CreditCorrectionInput,
    CreditOutput,
    DealInput,
    DealOutput,
    LabelOutput,
    StageOutput,
    StatusChangeOutput,
    StatusInput,
)


class LeadStatusApi(APIView):
    """A customer's lifecycle: its status changes (GET), and a change (POST)."""

    @extend_schema(responses=page_of(StatusChangeOutput))
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        changes = lead.status_changes.select_related("actor", "lost_reason").order_by("at", "id")
        return Response({"results": StatusChangeOutput(changes, many=True).data, "next": None})

    @extend_schema(request=StatusInput, responses=LeadOutput)
    @raises(
        ClaimLimitReached,
        InvalidRule,
        InvalidTransition,
        LostReasonRequired,
        OwnershipConflict,
        NotOwned,
    )
    def post(self, request, lead_id: int):
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.change_status(
            lead_id=lead_id,
            actor=request.user,
            status=data.validated_data["status"],
            reason=data.validated_data["reason"],
            lost_reason_id=data.validated_data["lost_reason"],
        )
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        return Response(LeadOutput(lead, context={"request": request}).data)


class LeadDealsApi(APIView):
    @extend_schema(responses=page_of(DealOutput))
    @raises(PermissionDenied)
    def get(self, request, lead_id: int):
        lead = selectors.get_lead_for(user=request.user, lead_id=lead_id)
        deals = lead.deals.select_related("stage", "created_by").order_by("-created_at", "-id")
        return Response({"results": DealOutput(deals, many=True).data, "next": None})

    @extend_schema(request=DealInput, responses={201: DealOutput})
    @raises(InvalidCurrency, UnknownStage, NotOwned)
    def post(self, request, lead_id: int):
        data = DealInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        deal = services.create_deal(
            lead_id=lead_id, actor=request.user, stage_id=values.pop("stage", None), **values
        )
        return Response(DealOutput(deal).data, status=status.HTTP_201_CREATED)


def _visible_deal(request, deal_id: int) -> Deal:
    deal = Deal.objects.filter(pk=deal_id).values_list("lead_id", flat=True).first()
    if deal is None:
        raise NotFound()
    selectors.get_lead_for(user=request.user, lead_id=deal)  # NotFound unless visible
    return Deal.objects.select_related("stage", "created_by").get(pk=deal_id)


def _fresh(deal: Deal) -> Deal:
    return Deal.objects.select_related("stage", "created_by").get(pk=deal.pk)


class DealApi(APIView):
    @extend_schema(responses=DealOutput)
    @raises(PermissionDenied)
    def get(self, request, deal_id: int):
        return Response(DealOutput(_visible_deal(request, deal_id)).data)

    @extend_schema(request=DealInput(partial=True), responses=DealOutput)
    @raises(DealClosed, InvalidCurrency, OwnershipConflict, UnknownStage, NotOwned)
    def patch(self, request, deal_id: int):
        data = DealInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        deal = services.update_deal(deal_id=deal_id, actor=request.user, **data.validated_data)
        return Response(DealOutput(_fresh(deal)).data)


class DealWinApi(APIView):
    @extend_schema(request=CloseInput, responses=DealOutput)
    @raises(DealClosed, OwnershipConflict, NotOwned)
    def post(self, request, deal_id: int):
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        deal = services.win_deal(deal_id=deal_id, actor=request.user, **data.validated_data)
        return Response(DealOutput(_fresh(deal)).data)


class DealLoseApi(APIView):
    @extend_schema(request=CloseInput, responses=DealOutput)
    @raises(DealClosed, OwnershipConflict, ReasonRequired, NotOwned)
    def post(self, request, deal_id: int):
        data = CloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        deal = services.lose_deal(deal_id=deal_id, actor=request.user, **data.validated_data)
        return Response(DealOutput(_fresh(deal)).data)


class DealCreditsApi(APIView):
    """A won deal's credit entries (GET), and a correction or settlement (POST: admins; a
    manager settles a win that credited nobody)."""

    @extend_schema(responses=page_of(CreditOutput, name="DealCreditList"))
    @raises(PermissionDenied)
    def get(self, request, deal_id: int):
        deal = _visible_deal(request, deal_id)
        entries = deal.credits.select_related("deal", "lead", "rep").order_by("at", "id")
        return Response({"results": CreditOutput(entries, many=True).data, "next": None})

    @extend_schema(
        request=CreditCorrectionInput,
        responses={201: page_of(CreditOutput, name="CreditCorrectionList", next_link=False)},
    )
    @raises(DealClosed, InvalidRule, InvalidShares, OutOfScope)
    def post(self, request, deal_id: int):
        data = CreditCorrectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        entries = services.correct_credit(
            deal_id=deal_id,
            actor=request.user,
            shares=[(s["rep"], s["share"]) for s in data.validated_data["shares"]],
            reason=data.validated_data["reason"],
        )
        return Response(
            {"results": CreditOutput(entries, many=True).data}, status=status.HTTP_201_CREATED
        )


class CreditQuery(serializers.Serializer):
    rep = IdField(required=False)
    team = IdField(required=False)
    to = BoundedDateField(required=False)

    def get_fields(self):
        # `from` is a Python keyword: declared here under its query-string name.
        fields = super().get_fields()
        fields["from"] = BoundedDateField(required=False)
        return fields


class CreditListApi(APIView):
    """Credit entries you may see (yours; your teams' for a manager; all for an admin),
    filtered by rep, team and the date of the win (from/to, inclusive)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("rep", OpenApiTypes.INT),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses=page_of(CreditOutput, cursor=True),
    )
    def get(self, request):
        query = CreditQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        credits = credit_reads.list_credits_visible_to(user=request.user)
        values = query.validated_data
        if "rep" in values:
            credits = credits.filter(rep_id=values["rep"])
        if "team" in values:
            credits = credits.filter(team_id=values["team"])
        if "from" in values:
            credits = credits.filter(won_at__gte=_day_start(values["from"]))
        if "to" in values:
            credits = credits.filter(won_at__lt=_day_start(values["to"] + timedelta(days=1)))
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(credits, request, self)
        return paginator.get_paginated_response(CreditOutput(page, many=True).data)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DealStagesApi(APIView):
    @extend_schema(responses=page_of(StageOutput, next_link=False))
    def get(self, request):
        return Response({"results": StageOutput(list_deal_stages(), many=True).data})


class LostReasonsApi(APIView):
    @extend_schema(responses=page_of(LabelOutput, next_link=False))
    def get(self, request):
        return Response({"results": LabelOutput(list_lost_reasons(), many=True).data})
