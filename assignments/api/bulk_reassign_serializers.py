"""What the bulk move API (批量转移, `/api/v1/bulk-reassignments/`) takes and answers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import TeamRef, UserRef

from ..bulk_codes import describe_outcome
from ..models import BulkReassignment, BulkReassignmentItem
from ..selectors.bulk_reassignments import TEAM_FILTERS, get_target_reps
from ..services.bulk_reassign import BulkTarget

ROUND_ROBIN = BulkReassignment.Target.ROUND_ROBIN
# Ids beyond a 64-bit key name nothing (and SQLite could not bind them).
MAX_ID = 2**63 - 1


def _error(message, code: str) -> serializers.ValidationError:
    return serializers.ValidationError(serializers.ErrorDetail(str(message), code=code))


class BulkTargetInput(serializers.Serializer):
    """Exactly one of: `{"rep": id}`, `{"reps": [ids], "mode": "round_robin"}` or
    `{"pool": team_id}` (`{"pool": null}`: the public pool)."""

    rep = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    reps = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        min_length=1,
        max_length=200,
    )
    mode = serializers.ChoiceField(choices=[ROUND_ROBIN], required=False)
    pool = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)

    def validate(self, attrs):
        given = [key for key in ("rep", "reps", "pool") if key in attrs]
        if len(given) != 1:
            raise _error(
                _("Give exactly one of rep, reps (with mode round_robin) or pool."),
                "invalid_target",
            )
        if ("reps" in attrs) != ("mode" in attrs):
            raise _error(_("A list of reps goes with mode round_robin."), "invalid_target")
        if "rep" in attrs:
            return BulkTarget.rep(attrs["rep"])
        if "reps" in attrs:
            return BulkTarget.round_robin(attrs["reps"])
        return BulkTarget.pool(attrs["pool"])


class TeamFilterInput(serializers.DictField):
    """The team list's filters: q, province, city, industry, status, owner."""

    child = serializers.CharField(allow_blank=True, max_length=200)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        unknown = sorted(set(values) - set(TEAM_FILTERS))
        if unknown:
            raise _error(
                _("Unknown filter: %(names)s. Filters: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(TEAM_FILTERS)},
                "invalid_filter",
            )
        return values


class BulkReassignmentInput(serializers.Serializer):
    lead_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        help_text="The customers to move, in this order (or `filter`).",
    )
    filter = TeamFilterInput(
        required=False,
        help_text="Every customer the team list shows with these filters, resolved now "
        "(or `lead_ids`).",
    )
    to = BulkTargetInput()
    reason = serializers.CharField(max_length=1000)
    override_limit = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if ("lead_ids" in attrs) == ("filter" in attrs):
            raise _error(_("Give either lead_ids or filter."), "leads_or_filter")
        return attrs


class BulkReassignmentOutput(serializers.ModelSerializer):
    created_by = UserRef(source="actor")
    to = serializers.SerializerMethodField()
    target_reps = serializers.SerializerMethodField()
    target_team = TeamRef(allow_null=True)
    processed = serializers.IntegerField()
    progress = serializers.IntegerField(source="percent", help_text="Percent processed.")
    report_csv = serializers.SerializerMethodField()

    class Meta:
        model = BulkReassignment
        fields = [
            "id",
            "state",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "reason",
            "to",
            "target_reps",
            "target_team",
            "override_limit",
            "source",
            "total",
            "processed",
            "moved",
            "skipped",
            "failed",
            "progress",
            "error",
            "report_csv",
        ]

    @extend_schema_field(
        {"type": "object", "description": "As submitted: {rep} | {reps, mode} | {pool}."}
    )
    def get_to(self, job: BulkReassignment) -> dict:
        if job.target_kind == BulkReassignment.Target.POOL:
            return {"pool": job.target_team_id}
        if job.target_kind == ROUND_ROBIN:
            return {"reps": list(job.target_reps), "mode": ROUND_ROBIN}
        return {"rep": job.target_reps[0]}

    @extend_schema_field(UserRef(many=True))
    def get_target_reps(self, job: BulkReassignment) -> list:
        return UserRef(get_target_reps(job), many=True).data

    def get_report_csv(self, job: BulkReassignment) -> str:
        path = reverse("api-bulk-reassignment-report", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class BulkItemOutput(serializers.ModelSerializer):
    lead = serializers.IntegerField(source="lead_id")
    company_name = serializers.CharField(allow_null=True)
    detail = serializers.SerializerMethodField()
    owner_before = UserRef(allow_null=True)
    owner_after = UserRef(allow_null=True)
    event = serializers.IntegerField(source="event_id", allow_null=True)

    class Meta:
        model = BulkReassignmentItem
        fields = [
            "position",
            "lead",
            "company_name",
            "outcome",
            "code",
            "detail",
            "owner_before",
            "owner_after",
            "event",
            "processed_at",
        ]

    def get_detail(self, item: BulkReassignmentItem) -> str:
        if item.outcome == BulkReassignmentItem.Outcome.PENDING:
            return ""
        return describe_outcome(item.code)


class BulkReportQuery(serializers.Serializer):
    after = serializers.IntegerField(required=False, min_value=-1)
    outcome = serializers.ChoiceField(choices=BulkReassignmentItem.Outcome.choices, required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=100)
