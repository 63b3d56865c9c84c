"""The managers' dashboard (经理看板): every statistic of `assignments.selectors.stats` as a
chart (Chart.js, drawn in the browser from the numbers in the page), the table under it
(server-rendered: the page reads without JavaScript) and a CSV download; a date range and a
team filter kept in the URL."""

import csv
from datetime import date, datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError, NotFound, PermissionDenied
from leads.templatetags.leads_tags import money

from .. import access
from ..selectors import stats

# Columns aligned left; the others are numbers, aligned right.
TEXT = {"text", "week", "month", "datetime"}
# Per statistic: its title, what it counts, the caption of its table, how it is drawn.
SECTIONS = {
    "collisions": {
        "title": _("Collisions blocked"),
        "about": _(
            "Refused claims and refused duplicates per week, by kind: the collision log. A "
            "possible duplicate someone confirmed refused nothing and is not counted."
        ),
        "caption": _("Per week"),
        "chart": {"type": "bar", "stacked": True},
    },
    "requests": {
        "title": _("Transfer requests and disputes"),
        "about": _(
            "Filed per week; decided in the range and the median time to a manager's "
            "decision; those waiting now, the longest first."
        ),
        "caption": _("Waiting longest"),
        "chart": {"type": "bar"},
    },
    "activity": {
        "title": _("Claims, releases, expiries and follow-ups"),
        "about": _(
            "Per week in the chart, per rep in the table; the CSV has every rep's weeks. A "
            "claim counts for the rep who took the customer, a release or expiry for the rep "
            "who lost it."
        ),
        "caption": _("Per rep"),
        "chart": {"type": "line"},
    },
    "expiring": {
        "title": _("Claims expiring in the next 48 hours"),
        "about": _(
            "From now, whatever the dates chosen: claims whose protection runs out unless "
            "their owner follows up. Won customers never expire."
        ),
        "caption": _("The soonest first"),
        "chart": {"type": "bar", "horizontal": True},
    },
    "pool-flow": {
        "title": _("Pool inflow and outflow"),
        "about": _(
            "Customers into the pool (released, expired, moved there by a manager) and out "
            "of it (claimed, given to a rep) per week."
        ),
        "caption": _("Per week"),
        "chart": {"type": "bar", "lines": ["net"]},
    },
    "funnel": {
        "title": _("Funnel"),
        "about": _(
            "Customers created in the range, and customers whose status reached each stage "
            "in it (the furthest stage each reached)."
        ),
        "caption": _("Per stage"),
        "chart": {"type": "bar", "horizontal": True},
    },
    "won": {
        "title": _("Won amount per rep per month"),
        "about": _(
            "From the credit records, net of corrections, in the month of the win; each "
            "currency apart. The chart shows the currency with the largest total."
        ),
        "caption": _("Per rep and month"),
        "chart": {"type": "bar", "stacked": True, "legend": True},
    },
}


def _guarded(request) -> tuple[stats.StatsQuery | None, stats.Scope | None, str]:
    """The query and scope asked for, or the message of what was wrong with the input.
    Refusals become the pages' 403 and 404."""
    try:
        access.ensure_can_see_dashboard(request.user)
        query = stats.read_query(request.GET)
        scope = stats.get_scope(user=request.user, team_id=query.team_id)
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from exc
        return None, None, exc.message
    return query, scope, ""


@login_required
def dashboard(request):
    query, scope, error = _guarded(request)
    teams = stats.list_dashboard_teams(user=request.user)
    context = {"teams": teams, "error": error, "sections": [], "is_admin": request.user.is_admin}
    if query is None:
        first, last = stats.default_range(timezone.localdate())
        context["form"] = {
            "team": request.GET.get("team", ""),
            "from": request.GET.get("from", first.isoformat()),
            "to": request.GET.get("to", last.isoformat()),
        }
        return render(request, "leads/dashboard.html", context, status=400)
    now = timezone.now()
    params = _params(query)
    context["form"] = {
        "team": str(query.team_id or ""),
        "from": query.first_day.isoformat(),
        "to": query.last_day.isoformat(),
    }
    memo = {}
    for name in stats.STAT_NAMES:
        stat = stats.compute(name, scope=scope, query=query, now=now, memo=memo)
        context["sections"].append(_section(stat, params))
    return render(request, "leads/dashboard.html", context)


@login_required
def dashboard_csv(request, name: str):
    query, scope, error = _guarded(request)
    try:
        stats.ensure_stat_name(name)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if query is None:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    stat = stats.compute(name, scope=scope, query=query)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"noclash-{name}-{query.first_day:%Y%m%d}-{query.last_day:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte order mark: spreadsheet programs then read the Chinese names as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    columns = stat.export_columns
    writer.writerow([_label(column.label, stat.axis) for column in columns])
    for row in stat.export_rows:
        writer.writerow([_csv_value(row.get(column.key), column) for column in columns])
    return response


def _params(query: stats.StatsQuery) -> str:
    values = {"from": query.first_day.isoformat(), "to": query.last_day.isoformat()}
    if query.team_id:
        values["team"] = query.team_id
    return urlencode(values)


def _section(stat: stats.Stat, params: str) -> dict:
    spec = SECTIONS[stat.name]
    labels = [_label(label, stat.axis) for label in stat.labels]
    chart = {
        **spec["chart"],
        "labels": labels,
        "series": [
            {"key": s.key, "label": str(s.label), "data": [float(v or 0) for v in s.data]}
            for s in stat.series
        ],
    }
    return {
        "name": stat.name,
        "title": spec["title"],
        "about": spec["about"],
        "caption": spec["caption"],
        "chart": chart,
        "chart_id": f"chart-data-{stat.name}",
        # A chart of many reps gets taller rather than cramped.
        "chart_height": max(240, 26 * len(labels) + 80) if spec["chart"].get("horizontal") else 260,
        "figures": [{"key": f.key, "label": f.label, "value": _figure(f)} for f in stat.figures],
        "headers": [
            {"label": _label(c.label, stat.axis), "num": c.kind not in TEXT} for c in stat.columns
        ],
        "rows": [_row_html(stat.name, stat.columns, row) for row in stat.rows],
        "csv_url": f"{reverse('dashboard-csv', args=[stat.name])}?{params}",
    }


def _row_html(name: str, columns: list[stats.Column], row: dict) -> SafeString:
    """A table row, written here rather than by the template engine: the tables of a big
    organisation run to hundreds of rows, and each template cell costs tens of
    microseconds. Every value is escaped."""
    cells = []
    for column in columns:
        text = escape(_cell(row.get(column.key), column.kind, row))
        link = _link(name, column.key, row)
        if link:
            text = f'<a href="{escape(link)}">{text}</a>'
        cells.append(f"<td>{text}</td>" if column.kind in TEXT else f'<td class="num">{text}</td>')
    return mark_safe(f"<tr>{''.join(cells)}</tr>")  # noqa: S308 - each value escaped above


def _figure(figure: stats.Figure) -> str:
    if figure.kind == "money" and figure.value is not None:
        return money(figure.value, figure.currency)
    return _cell(figure.value, figure.kind, {})


def _label(label, axis: str) -> str:
    if isinstance(label, date):
        if axis == "month":
            return date_format(label, "YEAR_MONTH_FORMAT")
        return date_format(label, "MONTH_DAY_FORMAT")
    return str(label)


def _cell(value, kind: str, row: dict) -> str:
    if value is None or value == "":
        return "—"
    if kind == "week" and isinstance(value, date):
        return date_format(value, "MONTH_DAY_FORMAT")
    if kind == "datetime" and isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if kind == "money":
        # The currency has its own column; grouped digits read the same in both languages
        # (and cost a fraction of a currency format on a table of hundreds of cells).
        return f"{value:,.2f}"
    if kind == "percent":
        return f"{number_format(value, 1)}%"
    if kind == "hours":
        return number_format(value, 1)
    return str(value)


def _link(name: str, key: str, row: dict) -> str:
    """Where a cell leads: the customer's page; for a waiting request, where it is decided."""
    if key == "customer" and row.get("lead_id"):
        return reverse("leads:detail", args=[row["lead_id"]])
    if name == "requests" and key == "kind":
        if row.get("type") == "dispute":
            return reverse("leads:dispute", args=[row["id"]])
        return reverse("leads:transfer_inbox")
    return ""


def _csv_value(value, column: stats.Column):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return stats.plain(value)
