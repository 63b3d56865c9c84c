"""API shapes of the lifecycle, deals and credit."""

from decimal import Decimal

from rest_framework import serializers

from accounts.api.serializers import UserRef
from crm.api.fields import BoundedDateField, IdField
from leads.models import Deal, Lead, StatusChange

from ..models import Credit


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Lead.Status.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    lost_reason = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required when the status is `lost`: the id of a reason of the list.",
    )


class LabelOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="label")


class StageOutput(LabelOutput):
    probability = serializers.IntegerField()


class StatusChangeOutput(serializers.ModelSerializer):
    actor = UserRef(allow_null=True)
    lost_reason = LabelOutput(allow_null=True)

    class Meta:
        model = StatusChange
        fields = ["id", "from_status", "to_status", "actor", "lost_reason", "note", "deal", "at"]


class DealInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), coerce_to_string=False
    )
    currency = serializers.CharField(
        max_length=3, min_length=3, required=False, help_text="ISO 4217; CNY by default."
    )
    stage = IdField(required=False, help_text="A stage id; the first by default.")
    expected_close = BoundedDateField(required=False, allow_null=True)
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate_title(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("blank", code="blank")
        return value.strip()


class DealOutput(serializers.ModelSerializer):
    stage = StageOutput()
    created_by = UserRef()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "lead",
            "title",
            "amount",
            "currency",
            "stage",
            "expected_close",
            "next_step",
            "status",
            "closed_at",
            "close_reason",
            "created_by",
            "created_at",
        ]


class CloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ShareInput(serializers.Serializer):
    rep = serializers.IntegerField()
    share = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.01"))


class CreditCorrectionInput(serializers.Serializer):
    shares = ShareInput(many=True, min_length=1, max_length=20)
    reason = serializers.CharField(max_length=2000)


class CreditOutput(serializers.ModelSerializer):
    rep = UserRef(allow_null=True)
    deal = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    team = serializers.IntegerField(source="team_id", allow_null=True)
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    ownership_event = serializers.IntegerField(source="ownership_event_id", allow_null=True)
    agreement = serializers.IntegerField(source="agreement_id", allow_null=True)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    class Meta:
        model = Credit
        fields = [
            "id",
            "deal",
            "lead",
            "rep",
            "team",
            "share",
            "amount",
            "currency",
            "kind",
            "ownership_event",
            "agreement",
            "reverses",
            "actor",
            "reason",
            "won_at",
            "at",
        ]

    def get_deal(self, credit) -> dict:
        return {"id": credit.deal_id, "title": credit.deal.title}

    def get_lead(self, credit) -> dict:
        return {"id": credit.lead_id, "company_name": credit.lead.company_name}
