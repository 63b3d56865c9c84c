"""Bulk moves (批量转移) over the API: start one (202: it runs in the background), follow its
progress and read its report, page by page or as CSV. Managers (their teams' customers) and
admins; reps are refused (403)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import NewestFirstPagination
from crm.api.parsers import BoundedJSONParser
from crm.api.schema import page_of, raises
from crm.errors import NotFound, PermissionDenied

from .. import access
from ..bulk_report import report_csv
from ..exceptions import (
    BulkTargetRequired,
    InvalidFilter,
    InvalidTarget,
    NotARepToHandOver,
    NothingSelected,
    OutOfScope,
    ReasonRequired,
    TooManySelected,
)
from ..selectors import bulk_reassignments as selectors
from ..services.bulk_reassign import submit_bulk_reassignment
from ..services.handover import CLEAR, KEEP, hand_over_rep
from .bulk_reassign_serializers import (
    BulkItemOutput,
    BulkReassignmentInput,
    BulkReassignmentOutput,
    BulkReportQuery,
    BulkTargetInput,
)


class BulkReassignmentListApi(APIView):
    # Up to BULK_REASSIGN_MAX_LEADS ids (100,000 by default) fit in 2 MB of JSON.
    parser_classes = [BoundedJSONParser]
    max_body_bytes = 2 * 1024 * 1024

    @extend_schema(responses=page_of(BulkReassignmentOutput, cursor=True))
    @raises(PermissionDenied)
    def get(self, request):
        jobs = selectors.list_bulk_reassignments_visible_to(user=request.user)
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(jobs, request, self)
        data = BulkReassignmentOutput(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(request=BulkReassignmentInput, responses={202: BulkReassignmentOutput})
    @raises(
        BulkTargetRequired,
        InvalidFilter,
        InvalidTarget,
        NotFound,
        NothingSelected,
        OutOfScope,
        ReasonRequired,
        TooManySelected,
    )
    def post(self, request):
        # Refuse a rep before reading what they sent (403, whatever the body).
        access.ensure_can_bulk_reassign(request.user)
        data = BulkReassignmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = submit_bulk_reassignment(
            actor=request.user,
            target=values["to"],
            reason=values["reason"],
            lead_ids=values.get("lead_ids"),
            filters=values.get("filter"),
            override_limit=values["override_limit"],
        )
        body = BulkReassignmentOutput(job, context={"request": request}).data
        location = reverse("api-bulk-reassignment", args=[job.pk])
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class BulkReassignmentApi(APIView):
    """The job's progress, and its report from position `after` on (`report.next`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("after", OpenApiTypes.INT),
            OpenApiParameter("outcome", OpenApiTypes.STR),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses=BulkReassignmentOutput,
    )
    @raises(PermissionDenied)
    def get(self, request, job_id: int):
        job = selectors.get_bulk_reassignment_for(user=request.user, job_id=job_id)
        query = BulkReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = query.validated_data["page_size"]
        items = list(
            selectors.list_bulk_items(
                job=job,
                after=query.validated_data.get("after"),
                outcome=query.validated_data.get("outcome"),
                limit=size + 1,
            )
        )
        more = len(items) > size
        items = items[:size]
        next_url = None
        if more:
            params = request.query_params.copy()
            params["after"] = items[-1].position
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        body = BulkReassignmentOutput(job, context={"request": request}).data
        body["report"] = {"results": BulkItemOutput(items, many=True).data, "next": next_url}
        return Response(body)


class BulkReassignmentReportApi(APIView):
    """The whole report as CSV (English column names, codes as in the API)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @raises(PermissionDenied)
    def get(self, request, job_id: int):
        job = selectors.get_bulk_reassignment_for(user=request.user, job_id=job_id)
        return report_csv(job, translated=False)


class HandOverInput(serializers.Serializer):
    to = BulkTargetInput()
    reason = serializers.CharField(max_length=1000)
    next_steps = serializers.ChoiceField(choices=[KEEP, CLEAR], required=False, default=KEEP)
    override_limit = serializers.BooleanField(required=False, default=False)


class HandOverOutput(serializers.Serializer):
    rep = serializers.IntegerField(source="rep.pk")
    customers = serializers.IntegerField()
    withdrawn_requests = serializers.IntegerField()
    withdrawn_disputes = serializers.IntegerField()
    cleared_next_steps = serializers.IntegerField()
    job = serializers.SerializerMethodField()

    @extend_schema_field(BulkReassignmentOutput(allow_null=True))
    def get_job(self, done) -> dict | None:
        if done.job is None:
            return None
        return BulkReassignmentOutput(done.job, context=self.context).data


class HandOverApi(APIView):
    """A rep leaves (离职交接): `{to, reason, next_steps: keep|clear, override_limit}`. The rep
    is deactivated, their own open transfer requests and disputes are withdrawn, their next
    steps go with their customers (or are cleared), and their customers are handed over by
    a bulk move (202 with it; `job` null when they held none). The manager of the rep's team
    or an admin; others 403 (reps) or 404."""

    @extend_schema(request=HandOverInput, responses={202: HandOverOutput})
    @raises(
        BulkTargetRequired,
        InvalidFilter,
        InvalidTarget,
        NotARepToHandOver,
        NothingSelected,
        OutOfScope,
        ReasonRequired,
        TooManySelected,
    )
    def post(self, request, user_id: int):
        access.ensure_can_bulk_reassign(request.user)
        data = HandOverInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        done = hand_over_rep(
            actor=request.user,
            rep_id=user_id,
            target=values["to"],
            reason=values["reason"],
            next_steps=values["next_steps"],
            override_limit=values["override_limit"],
        )
        body = HandOverOutput(done, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
