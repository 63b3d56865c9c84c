from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserRef
from leads.models import Contact, FollowUp, Lead
from leads.selectors import can_see_contact_details, mask_email, mask_phone


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class LeadInput(serializers.Serializer):
    company_name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    province = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    industry = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    size = serializers.ChoiceField(
        choices=Lead.Size.choices, required=False, allow_blank=True, default=""
    )
    source = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=Lead.Status.choices, required=False, default=Lead.Status.NEW
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )
    contacts = ContactInput(many=True, required=False, default=list, max_length=50)
    owner = serializers.IntegerField(required=False, allow_null=True, default=None)
    pool_team = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate_company_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Please enter the company name."), code="blank")
        return value.strip()


class ContactOutput(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email"]


class LeadOutput(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    claimed_at = serializers.SerializerMethodField()
    protected_until = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    created_by = UserRef(read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "company_name",
            "uscc",
            "website",
            "province",
            "city",
            "industry",
            "size",
            "source",
            "status",
            "tags",
            "pool_team",
            "owner",
            "claimed_at",
            "protected_until",
            "contacts",
            "created_by",
            "created_at",
        ]

    def _period(self, lead):
        return getattr(lead, "live_ownership", None)

    def get_owner(self, lead) -> dict | None:
        period = self._period(lead)
        if period is None:
            return None
        return {"id": period.owner_id, "display_name": period.owner.display_name}

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_claimed_at(self, lead):
        period = self._period(lead)
        return serializers.DateTimeField().to_representation(period.started_at) if period else None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_protected_until(self, lead):
        period = self._period(lead)
        return (
            serializers.DateTimeField().to_representation(period.protected_until)
            if period
            else None
        )

    def get_contacts(self, lead) -> list[dict]:
        contacts = ContactOutput(lead.contacts.all(), many=True).data
        if can_see_contact_details(user=self.context["request"].user, lead=lead):
            return contacts
        for contact in contacts:
            contact["phone"] = mask_phone(contact["phone"]) if contact["phone"] else ""
            contact["email"] = mask_email(contact["email"]) if contact["email"] else ""
        return contacts


class FollowUpInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices)
    note = serializers.CharField(max_length=5000)
    occurred_at = serializers.DateTimeField(required=False, default=None)
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    next_step_at = serializers.DateField(required=False, allow_null=True, default=None)


class FollowUpOutput(serializers.ModelSerializer):
    author = UserRef(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "kind",
            "note",
            "occurred_at",
            "next_step",
            "next_step_at",
            "author",
            "created_at",
        ]
