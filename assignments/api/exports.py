"""`GET /api/v1/leads/export/?format=csv|xlsx` with the list's scope and filters: the
customers the user sees, masked as they see them, streamed as a file (导出)."""

from django.http import StreamingHttpResponse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from crm.api.schema import raises
from crm.errors import PermissionDenied

from ..exceptions import InvalidFilter
from ..exports.files import CONTENT_TYPES
from ..exports.stream import FORMATS, InvalidExportFormat, start_export
from .customers import LIST_PARAMS, scope_param


class FileFormatNegotiation(DefaultContentNegotiation):
    """`?format=` names the file here, not one of DRF's renderers (which would answer 404 to
    `format=csv`): errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


EXPORT_PARAMS = [
    OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), default="csv"),
    *(param for param in LIST_PARAMS if param.name != "page_size"),
    OpenApiParameter("owner", OpenApiTypes.INT, description="with scope=team: one rep's customers"),
]


class LeadExportApi(APIView):
    # Exports are heavy: the per-user throttle for them (wired in the settings) keys on this.
    throttle_scope = "exports"
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        operation_id="leads_export",
        parameters=EXPORT_PARAMS,
        responses={
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description="CSV (UTF-8 with a byte order mark)."
            ),
            (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY, description="An Excel workbook."
            ),
        },
    )
    @raises(InvalidExportFormat, InvalidFilter, PermissionDenied)
    def get(self, request):
        scope = scope_param(request)
        # The header row in the user's language; with a token (no session, so the language
        # middleware did not see the user) the browser's is the fallback.
        with translation.override(request.user.language or translation.get_language()):
            export = start_export(
                user=request.user,
                format=request.query_params.get("format", "csv"),
                scope=scope,
                params=request.query_params.dict(),
            )
        response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store"
        return response
