"""Imports (导入) over the API: upload a CSV or Excel file (multipart; 202: it runs in the
background), follow its progress and read its per-row report, page by page or as CSV.
Managers and admins; reps are refused (403); an import is seen by its creator and admins
(another manager's is a 404)."""

import json

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.pagination import NewestFirstPagination
from crm.api.schema import page_of, raises
from crm.errors import PermissionDenied

from .. import access
from ..exceptions import (
    ImportFileEmpty,
    ImportFileEncoding,
    ImportFileFormat,
    ImportFileMissing,
    ImportFileTooLarge,
    ImportFileUnreadable,
    ImportInvalidMapping,
    ImportNoCompanyColumn,
    ImportTooManyRows,
    InvalidTarget,
    OutOfScope,
)
from ..import_files import FIELDS
from ..import_report import report_csv
from ..models import ImportJob, ImportRow
from ..selectors import imports as selectors
from ..services.import_jobs import create_import_job

# The routing choice as the API takes it: `routing`, `public`, or a team's id (its pool).
ROUTING, PUBLIC = "routing", "public"


class ImportInput(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="A CSV (UTF-8, UTF-8 with BOM or GBK) or .xlsx file."
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=(
            'A JSON object {"column header": "field"} changing the guessed mapping ("" or '
            f"null ignores the column). Fields: {', '.join(FIELDS)}."
        ),
    )
    pool = serializers.CharField(
        required=False,
        default=ROUTING,
        help_text='"routing" (the territory rules; the default), "public" (the public pool) '
        "or a team's id (that team's pool).",
    )
    confirm_weak_duplicates = serializers.BooleanField(required=False, default=False)

    def validate_mapping(self, value):
        if not value:
            return None
        try:
            mapping = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise ImportInvalidMapping() from exc
        if not isinstance(mapping, dict):
            raise ImportInvalidMapping()
        return mapping


class ImportOwnerOutput(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class ImportTeamOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ImportJobOutput(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=ImportJob.State.choices)
    file_name = serializers.CharField()
    file_format = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    mapping = serializers.ListField(child=serializers.CharField(allow_blank=True))
    destination = serializers.ChoiceField(choices=ImportJob.Destination.choices)
    pool_team = ImportTeamOutput(allow_null=True)
    confirm_weak_duplicates = serializers.BooleanField()
    total = serializers.IntegerField()
    processed = serializers.IntegerField()
    percent = serializers.IntegerField()
    counts = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    report_csv = serializers.SerializerMethodField()

    def get_url(self, job) -> str:
        return reverse("api-import", args=[job.pk])

    def get_report_csv(self, job) -> str:
        return reverse("api-import-report", args=[job.pk])

    def get_counts(self, job) -> dict[str, int]:
        return {
            "created": job.created,
            "duplicate": job.duplicates,
            "invalid": job.invalid,
            "failed": job.failed,
            "pending": job.total - job.processed,
        }


class ImportMatchOutput(serializers.Serializer):
    lead = serializers.IntegerField()
    company_name = serializers.CharField()
    level = serializers.CharField()
    owner = ImportOwnerOutput(allow_null=True)


class ImportJobRowOutput(serializers.Serializer):
    row = serializers.IntegerField(source="number")
    outcome = serializers.ChoiceField(choices=ImportRow.Outcome.choices)
    code = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    lead = serializers.IntegerField(source="lead_id", allow_null=True)
    owner = ImportOwnerOutput(allow_null=True)
    pool_team = ImportTeamOutput(allow_null=True)
    matches = ImportMatchOutput(many=True)


class ImportReportOutput(serializers.Serializer):
    results = ImportJobRowOutput(many=True)
    next = serializers.CharField(allow_null=True)


class ImportJobReportOutput(ImportJobOutput):
    report = ImportReportOutput()


class ImportReportQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    outcome = serializers.ChoiceField(choices=ImportRow.Outcome.choices, required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)


def _pool_choice(value: str) -> tuple[str, str | None]:
    value = (value or ROUTING).strip()
    if value == ROUTING:
        return ImportJob.Destination.ROUTING, None
    if value == PUBLIC:
        return ImportJob.Destination.PUBLIC_POOL, None
    return ImportJob.Destination.TEAM_POOL, value


class ImportListApi(APIView):
    """GET: the user's imports (an admin: everyone's), newest first. POST: upload a file."""

    parser_classes = [MultiPartParser]
    throttle_scope = "imports"

    @extend_schema(responses=page_of(ImportJobOutput, cursor=True))
    def get(self, request):
        jobs = selectors.list_import_jobs_visible_to(user=request.user)
        paginator = NewestFirstPagination()
        page = paginator.paginate_queryset(jobs, request, self)
        return paginator.get_paginated_response(ImportJobOutput(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={202: ImportJobOutput},
        description=(
            "Upload a CSV or .xlsx list of customers (at most IMPORT_MAX_BYTES, 20 MB, and "
            "IMPORT_MAX_ROWS, 100,000 rows). 400 codes: file_required, file_too_large, "
            "too_many_rows, file_format, file_unreadable, file_encoding, file_empty, "
            "invalid_mapping, company_column_required, invalid_target; 403: "
            "permission_denied (reps), out_of_scope (another team's pool)."
        ),
    )
    @raises(
        PermissionDenied,
        OutOfScope,
        InvalidTarget,
        ImportFileMissing,
        ImportFileTooLarge,
        ImportTooManyRows,
        ImportFileFormat,
        ImportFileUnreadable,
        ImportFileEncoding,
        ImportFileEmpty,
        ImportInvalidMapping,
        ImportNoCompanyColumn,
    )
    def post(self, request):
        # Refuse a rep before reading what they sent (403, whatever the body).
        access.ensure_can_import(request.user)
        if "file" not in request.FILES:
            raise ImportFileMissing()
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        destination, team = _pool_choice(values["pool"])
        job = create_import_job(
            actor=request.user,
            upload=values["file"],
            mapping=values.get("mapping"),
            destination=destination,
            pool_team_id=team,
            confirm_weak_duplicates=values["confirm_weak_duplicates"],
            start=True,
        )
        location = reverse("api-import", args=[job.pk])
        return Response(
            ImportJobOutput(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )


class ImportApi(APIView):
    """The job's progress and counts, and its report from row `after` on (`report.next`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("after", OpenApiTypes.INT),
            OpenApiParameter("outcome", OpenApiTypes.STR, enum=ImportRow.Outcome.values),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: ImportJobReportOutput},
    )
    def get(self, request, job_id: int):
        job = selectors.get_import_job_for(user=request.user, job_id=job_id)
        query = ImportReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = query.validated_data["page_size"]
        rows = list(
            selectors.list_import_rows(
                job=job,
                after=query.validated_data.get("after"),
                outcome=query.validated_data.get("outcome"),
                limit=size + 1,
            )
        )
        more = len(rows) > size
        rows = rows[:size]
        next_url = None
        if more:
            params = request.query_params.copy()
            params["after"] = rows[-1].number
            next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        body = ImportJobOutput(job).data
        body["report"] = {"results": ImportJobRowOutput(rows, many=True).data, "next": next_url}
        return Response(body)


class ImportReportApi(APIView):
    """The whole report as CSV (English column names, codes as in the API)."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, job_id: int):
        job = selectors.get_import_job_for(user=request.user, job_id=job_id)
        return report_csv(job, translated=False)
