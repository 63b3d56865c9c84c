"""What the transfer request API (转移申请, 转移审批) takes and answers."""

from rest_framework import serializers

from accounts.api.serializers import UserRef

from ..exceptions import InvalidAttempted
from ..models import TransferRequest
from ..services.transfers import MAX_REASON, clean_attempted


class AttemptedInput(serializers.JSONField):
    """What the rep tried to create when the duplicate check sent them here, held to the
    transfer service's rules (known fields, short text, no NUL bytes)."""

    def to_internal_value(self, data):
        try:
            return clean_attempted(super().to_internal_value(data))
        except InvalidAttempted as exc:
            raise serializers.ValidationError(exc.message, code=exc.code) from exc


class TransferRequestInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON, required=False, allow_blank=True, default=""
    )
    attempted = AttemptedInput(
        required=False,
        default=dict,
        help_text="What the rep tried to create, if anything: company_name, uscc, website, "
        "city, phone, email. Needed to ask for a customer you cannot see: the server must find "
        "it as the same customer.",
    )


class TransferRequestOutput(serializers.ModelSerializer):
    requester = UserRef()
    owner = UserRef(help_text="Who owned the customer when the request was made.")
    company_name = serializers.CharField(source="lead.company_name")
    decided_by = UserRef(allow_null=True, help_text="Empty when the system closed it (stale).")

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "lead",
            "company_name",
            "requester",
            "owner",
            "reason",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "override_limit",
        ]


class TransferListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=TransferRequest.Status.choices, required=False)


class ApproveInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=MAX_REASON, required=False, allow_blank=True, default=""
    )
    override_limit = serializers.BooleanField(required=False, default=False)


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON)
