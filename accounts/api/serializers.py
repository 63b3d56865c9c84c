from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.delivery import describe
from accounts.models import Notification, Team, User


class TokenInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TeamRef(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]


class UserRef(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "display_name"]


class MeOutput(serializers.ModelSerializer):
    team = TeamRef(read_only=True)
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
    manager = UserRef(read_only=True)

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
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=1000)


class EmailPreferencesSerializer(serializers.Serializer):
    email_muted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Notification.Kind.choices), allow_empty=True
    )
