"""Keyset pages of requests and disputes, newest first (`?before=<id>`)."""

from crm.sql import as_row_id

PAGE_SIZE = 25


def keyset_page(request, queryset):
    """Keyset pages, newest first (`?before=<id>`)."""
    before = request.GET.get("before", "")
    before_id = as_row_id(before) if before.isdigit() else None
    if before_id is not None:
        queryset = queryset.filter(pk__lt=before_id)
    rows = list(queryset.order_by("-id")[: PAGE_SIZE + 1])
    params = request.GET.copy()
    params.pop("before", None)
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        params["before"] = rows[-1].pk
        return rows, params.urlencode()
    return rows, None
