"""Requests refused before any view reads them."""

from django.core.exceptions import BadRequest


class RefuseNulInQueryMiddleware:
    """A NUL character in a query parameter is never meant: PostgreSQL cannot store or compare
    it (psycopg2 raises ValueError, a 500), so it is a 400 for every path, pages and API alike
    (the handler400 of crm/urls.py answers JSON on /api/ paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise BadRequest("NUL character in the query string")
        return self.get_response(request)
