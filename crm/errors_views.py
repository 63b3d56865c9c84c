"""Django's error handlers (handler400/403/404/500 in crm/urls.py): an API path gets the API's
JSON `{code, detail}`, a page gets a page in the user's language.

They run when something escaped the views: an unknown URL, a request Django refused before any
view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host), or a crash."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api_path(request: HttpRequest) -> bool:
    return (request.path_info or request.path or "").startswith(API_PREFIX)


def json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail)}, status=status)


def bad_request(request, exception, template_name="400.html"):
    if is_api_path(request):
        return json_error(400, "bad_request", _("The request could not be read."))
    return defaults.bad_request(request, exception, template_name=template_name)


def permission_denied(request, exception, template_name="403.html"):
    if is_api_path(request):
        return json_error(
            403, "permission_denied", _("You do not have permission to perform this action.")
        )
    return defaults.permission_denied(request, exception, template_name=template_name)


def page_not_found(request, exception, template_name="404.html"):
    if is_api_path(request):
        return json_error(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception, template_name=template_name)


def server_error(request, template_name="500.html"):
    """No request context and no database: whatever broke may be what a context needs."""
    if is_api_path(request):
        return json_error(
            500, "server_error", _("Something went wrong on our side. Please try again later.")
        )
    try:
        template = loader.get_template(template_name)
    except TemplateDoesNotExist:
        return defaults.server_error(request, template_name=template_name)
    return HttpResponse(template.render({"request_path": request.path}), status=500)
