from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.api.serializers import UserRef

from ..models import OwnershipEvent


class ClaimOutput(serializers.Serializer):
    lead = serializers.IntegerField(source="lead_id")
    owner = UserRef()
    claimed_at = serializers.DateTimeField(source="started_at")
    protected_until = serializers.DateTimeField()


class ReleaseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class ReassignInput(serializers.Serializer):
    to = serializers.IntegerField()
    reason = serializers.CharField(max_length=1000)
    override_limit = serializers.BooleanField(required=False, default=False)


class HistoryOutput(serializers.ModelSerializer):
    from_owner = UserRef(allow_null=True)
    to_owner = UserRef(allow_null=True)
    actor = UserRef(allow_null=True)

    class Meta:
        model = OwnershipEvent
        fields = ["id", "kind", "from_owner", "to_owner", "actor", "reason", "details", "at"]


class PolicySerializer(serializers.Serializer):
    """Durations in DRF's format ("7 00:00:00"); ISO 8601 ("P7D") is accepted too."""

    claim_limit = serializers.IntegerField(min_value=0, max_value=100000)
    protection_period = serializers.DurationField(min_value=timedelta(minutes=1))
    followup_extension = serializers.DurationField(min_value=timedelta(0))
    max_protection = serializers.DurationField(min_value=timedelta(minutes=1))
    cooldown = serializers.DurationField(min_value=timedelta(0))

    def validate(self, attrs):
        # Compare what will be in force: the new value, else the current one, else (for a
        # team override left empty) the inherited global value.
        fallback = self.context.get("effective")

        def effective(field):
            for source in (attrs, self.instance, fallback):
                value = (
                    source.get(field) if isinstance(source, dict) else getattr(source, field, None)
                )
                if value is not None:
                    return value
            return None

        period, cap = effective("protection_period"), effective("max_protection")
        if period is not None and cap is not None and cap < period:
            raise serializers.ValidationError(
                {
                    "max_protection": [
                        serializers.ErrorDetail(
                            _(
                                "The maximum protection cannot be shorter than the protection period."  # noqa: E501
                            ),
                            code="shorter_than_protection",
                        )
                    ]
                }
            )
        return attrs


class TeamPolicySerializer(PolicySerializer):
    """A team's overrides: null means "inherit the global value"."""

    claim_limit = serializers.IntegerField(min_value=0, max_value=100000, allow_null=True)
    protection_period = serializers.DurationField(min_value=timedelta(minutes=1), allow_null=True)
    followup_extension = serializers.DurationField(min_value=timedelta(0), allow_null=True)
    max_protection = serializers.DurationField(min_value=timedelta(minutes=1), allow_null=True)
    cooldown = serializers.DurationField(min_value=timedelta(0), allow_null=True)
