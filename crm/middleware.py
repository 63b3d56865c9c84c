"""Hostile input refused as a 400, never a 500, for pages and API alike (the error handlers of
crm/errors_views.py answer JSON on /api/ paths and a page elsewhere)."""

from django.core.exceptions import BadRequest
from django.db import DataError
from django.utils.translation import gettext as _

from .errors_views import bad_request, is_api_path, json_error

# psycopg2's ValueError for a NUL in a query parameter; its message is fixed.
_NUL_MESSAGE = "NUL (0x00)"


def is_input_error(exc: BaseException) -> bool:
    """A value the database or the calendar cannot hold, which only input can have brought:
    a number past an integer column (PostgreSQL's DataError "integer out of range", SQLite's
    OverflowError), a date past year 9999, a NUL in a string on PostgreSQL."""
    if isinstance(exc, (DataError, OverflowError)):
        return True
    return isinstance(exc, ValueError) and _NUL_MESSAGE in str(exc)


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A NUL in a query parameter is never meant, and PostgreSQL cannot compare it.
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("NUL character in the query string")
        return self.get_response(request)

    def process_exception(self, request, exception):
        """The last net: the field that let such a value through should have refused it
        (its serializer or form bounds it); if one did not, the answer is still a 400."""
        if not is_input_error(exception):
            return None
        if is_api_path(request):
            return json_error(
                400, "out_of_range", _("A number, date or text in the request is out of range.")
            )
        return bad_request(request, exception)
