from datetime import datetime, time, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.delivery import describe
from accounts.models import ApiKey, AuditEvent, Notification, Team, User
from accounts.selectors import list_away_periods
from accounts.services import MAX_AWAY_PERIODS, MAX_CAPACITY
from crm.api.fields import IdField


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class PasswordChangeInput(serializers.Serializer):
    old_password = serializers.CharField(trim_whitespace=False, max_length=4096)
    new_password = serializers.CharField(trim_whitespace=False, max_length=4096)


class TeamRef(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class UserRef(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name"]


class MeOutput(serializers.ModelSerializer):
    team = TeamRef(read_only=True, allow_null=True)
    managed_teams = TeamRef(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "team",
            "managed_teams",
            "language",
            "email",
        ]


class UserOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "team",
            "language",
            "email",
            "is_active",
        ]


class UserInput(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]{1,150}$", max_length=150)
    password = serializers.CharField(trim_whitespace=False, write_only=True)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=User.Role.choices, default=User.Role.REP)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    language = serializers.ChoiceField(
        choices=[("", "")] + list(User._meta.get_field("language").choices),
        required=False,
        allow_blank=True,
    )
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError(
                _("A user with that username already exists."), code="username_taken"
            )
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], display_name=attrs.get("display_name", ""))
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                {
                    "password": [
                        serializers.ErrorDetail(m, code="weak_password") for m in exc.messages
                    ]
                }
            ) from exc
        return attrs


class TeamOutput(serializers.ModelSerializer):
    manager = UserRef(read_only=True, allow_null=True)

    class Meta:
        model = Team
        fields = ["id", "name", "manager"]


class TeamInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )

    def validate_name(self, value: str) -> str:
        if Team.objects.filter(name__iexact=value).exists():
            raise serializers.ValidationError(
                _("A team with that name already exists."), code="team_exists"
            )
        return value

    def validate_manager(self, value: User | None) -> User | None:
        if value is not None and value.role not in (User.Role.MANAGER, User.Role.ADMIN):
            raise serializers.ValidationError(
                _("The manager must have the manager role."), code="not_a_manager"
            )
        return value


class NotificationOutput(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "lead", "text", "payload", "created_at", "read_at"]

    def get_text(self, notification) -> str:
        return describe(notification)


class MarkReadInput(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False, max_length=1000)


class EmailPreferencesSerializer(serializers.Serializer):
    email_muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Notification.Kind.choices), allow_empty=True
    )


# --- the admin console's API: one user, teams, API keys ------------------------------------
class MomentField(serializers.DateTimeField):
    """A moment, or a date: `2025-05-01` means the start of that day (local time), or with
    `end_of_day` its end, so that {from: 1 May, to: 3 May} covers three whole days."""

    def __init__(self, *, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            day = serializers.DateField().to_internal_value(value.strip())
            try:
                if self.end_of_day:
                    day += timedelta(days=1)
                return timezone.make_aware(datetime.combine(day, time.min))
            except OverflowError:
                self.fail("overflow")
        return super().to_internal_value(value)


class AwayPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    to = MomentField(source="ends_at", end_of_day=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def get_fields(self):
        # "from" is a Python keyword: the field is added by name.
        fields = super().get_fields()
        return {"id": fields["id"], "from": MomentField(source="starts_at"), **fields}


class UserDetailOutput(serializers.ModelSerializer):
    active = serializers.BooleanField(source="is_active")
    away = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "team",
            "language",
            "email",
            "is_active",
            "active",
            "capacity",
            "away",
        ]

    @extend_schema_field(AwayPeriodSerializer(many=True))
    def get_away(self, user) -> list:
        return AwayPeriodSerializer(list_away_periods(user_id=user.pk), many=True).data


class UserPatchInput(serializers.Serializer):
    """Every field optional; `capacity: null` means the team's claim limit, `away` replaces
    the current and future away periods, `team: null` takes the user out of any team."""

    capacity = serializers.IntegerField(
        min_value=1, max_value=MAX_CAPACITY, allow_null=True, required=False
    )
    away = AwayPeriodSerializer(many=True, required=False, max_length=MAX_AWAY_PERIODS)
    active = serializers.BooleanField(required=False)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)

    def changes(self) -> dict:
        """The validated fields, under the names `accounts.services.update_user` takes."""
        data = dict(self.validated_data)
        if "active" in data:
            data["is_active"] = data.pop("active")
        if "away" in data:
            data["away"] = [dict(p) for p in data["away"]]
        return data


class TeamPatchInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )


class ApiKeyOutput(serializers.ModelSerializer):
    created_by = UserRef(read_only=True, allow_null=True)
    revoked_by = UserRef(read_only=True, allow_null=True)
    live = serializers.BooleanField(source="is_live", read_only=True)

    class Meta:
        model = ApiKey
        fields = [
            "id",
            "name",
            "source",
            "prefix",
            "live",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
            "revoked_by",
        ]


class ApiKeyCreatedOutput(ApiKeyOutput):
    key = serializers.SerializerMethodField(
        help_text="The key itself. Shown only in this answer: store it now."
    )

    class Meta(ApiKeyOutput.Meta):
        fields = [*ApiKeyOutput.Meta.fields, "key"]

    def get_key(self, _key) -> str:
        return self.context["raw_key"]


class ApiKeyInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    source = serializers.CharField(
        max_length=80, help_text="Where the customers sent with this key come from."
    )


class AuditEventOutput(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "kind",
            "at",
            "actor",
            "actor_name",
            "username",
            "ip_address",
            "door",
            "object_type",
            "object_id",
            "object_repr",
            "action",
            "before",
            "after",
            "details",
        ]

    def get_actor_name(self, event) -> str | None:
        return event.actor.display_name if event.actor_id else None
