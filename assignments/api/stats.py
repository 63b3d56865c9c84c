"""The managers' dashboard (经理看板) over the API: `GET /api/v1/stats/{name}/?team=&from=&to=`.

The same numbers as the page `/dashboard/` (both read `assignments.selectors.stats`)."""

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.fields import BoundedDateField
from crm.api.schema import raises
from crm.errors import PermissionDenied

from .. import access
from ..exceptions import (
    InvalidDate,
    InvalidRange,
    InvalidTeam,
    OutOfScope,
    RangeTooLong,
    UnknownStat,
)
from ..selectors import stats

StatOutput = inline_serializer(
    "StatOutput",
    {
        "name": serializers.CharField(),
        "from": BoundedDateField(),
        "to": BoundedDateField(),
        "team": serializers.IntegerField(allow_null=True),
        "axis": serializers.ChoiceField(choices=["week", "month", "text"]),
        "labels": serializers.ListField(child=serializers.CharField()),
        "series": serializers.ListField(child=serializers.DictField()),
        "columns": serializers.ListField(child=serializers.DictField()),
        "rows": serializers.ListField(child=serializers.DictField()),
        "summary": serializers.DictField(),
    },
)


class StatsApi(APIView):
    """One statistic of the dashboard, for managers (their teams; `team` narrows to one of
    them) and admins (every team, or `team`). `from` and `to` are days (YYYY-MM-DD, both
    included, at most 92 days, a quarter; default: the last 12 weeks). `labels` are the chart's
    x axis (weeks by their Monday, months, or names), `series` its lines or bars, `rows` the
    table under it (described by `columns`), `summary` the headline numbers.

    Errors: 403 `permission_denied` (reps), 403 `out_of_scope` (a manager's other team),
    404 `not_found` (an admin's unknown team); 400 `unknown_stat`, `invalid_date`,
    `invalid_range` (from after to), `range_too_long`, `invalid_team`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=stats.STAT_NAMES
            ),
            OpenApiParameter("team", OpenApiTypes.INT),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses=StatOutput,
    )
    @raises(
        InvalidDate,
        InvalidRange,
        InvalidTeam,
        OutOfScope,
        PermissionDenied,
        RangeTooLong,
        UnknownStat,
    )
    def get(self, request, name: str):
        # Who may ask comes first: a rep learns nothing, not even which names exist.
        access.ensure_can_see_dashboard(request.user)
        stats.ensure_stat_name(name)
        query = stats.read_query(request.query_params)
        scope = stats.get_scope(user=request.user, team_id=query.team_id)
        return Response(stats.compute(name, scope=scope, query=query).as_data())
