from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserRef
from crm.api.fields import BoundedDateField, BoundedDateTimeField, IdField
from leads.masks import mask_email, mask_id_number, mask_phone
from leads.models import Contact, FollowUp, Lead
from leads.validation import country_code, credit_code, email_address

from .. import access


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    # Accepts what people paste ("mailto:…", "Name <addr>", any case); stores the address.
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")

    def validate_email(self, value: str) -> str:
        return email_address(value)


class ContactCheckInput(ContactInput):
    """For the duplicate check: nothing refused for its format."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")

    def validate_email(self, value: str) -> str:
        return value


class LeadDetailsInput(serializers.Serializer):
    """What describes a customer. Used whole for a creation and with `partial=True` for an
    edit (then nothing is required and no default is filled in)."""

    kind = serializers.ChoiceField(
        choices=Lead.Kind.choices, required=False, default=Lead.Kind.COMPANY
    )
    company_name = serializers.CharField(
        max_length=200, help_text="The company's name, or the person's for an individual."
    )
    uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="An individual's identity document number (a Chinese resident ID is checked).",
    )
    country = serializers.CharField(
        max_length=2,
        required=False,
        allow_blank=True,
        default="",
        help_text="ISO 3166 alpha-2; by default the one its city or province makes obvious, "
        "else the configured default. Phones are read as this country's numbers.",
    )
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    province = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    industry = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    size = serializers.ChoiceField(
        choices=Lead.Size.choices, required=False, allow_blank=True, default=""
    )
    source = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )
    confirm_duplicate = serializers.BooleanField(required=False, default=False)

    def validate_company_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Please enter the company name."), code="blank")
        return value.strip()

    def validate_uscc(self, value: str) -> str:
        return credit_code(value)

    def validate_country(self, value: str) -> str:
        return country_code(value)


# A new customer starts as `new`; its status changes later, never at creation.
NEW_LEAD_STATUS = [(Lead.Status.NEW.value, Lead.Status.NEW.label)]


class LeadInput(LeadDetailsInput):
    status = serializers.ChoiceField(
        choices=NEW_LEAD_STATUS,
        required=False,
        default=Lead.Status.NEW,
        help_text="Only `new`: a customer's status changes after it is created.",
    )
    contacts = ContactInput(many=True, required=False, default=list, max_length=50)
    owner = IdField(required=False, allow_null=True, default=None)
    pool_team = IdField(required=False, allow_null=True, default=None)


class DuplicateCheckInput(LeadInput):
    """The create payload; every field optional, and nothing is refused for its format: a
    number that does not parse simply matches nothing."""

    company_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )

    contacts = ContactCheckInput(many=True, required=False, default=list, max_length=50)
    uscc = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    website = serializers.CharField(max_length=400, required=False, allow_blank=True, default="")

    def validate_company_name(self, value: str) -> str:
        return value.strip()

    def validate_uscc(self, value: str) -> str:
        return value

    def validate_country(self, value: str) -> str:
        return value.strip().upper()


class ContactCreateInput(ContactInput):
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class ContactUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    confirm_duplicate = serializers.BooleanField(required=False, default=False)

    def validate_email(self, value: str) -> str:
        return email_address(value)


class DuplicateMatchOutput(serializers.Serializer):
    lead = IdField()
    company_name = serializers.CharField()
    city = serializers.CharField()
    level = serializers.ChoiceField(choices=["strong", "weak"])
    score = serializers.FloatField(min_value=0, max_value=1)
    reasons = serializers.ListField(child=serializers.CharField())
    owner = UserRef(allow_null=True)
    protected_until = serializers.DateTimeField(allow_null=True)


class DuplicateCheckOutput(serializers.Serializer):
    matches = DuplicateMatchOutput(many=True)


class MergeInput(serializers.Serializer):
    lead = IdField(help_text="The lead merged into this one (it stops existing).")
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ContactOutput(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email"]


# A claim's times; null for a customer in the pool.
NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}


class LeadOutput(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    claimed_at = serializers.SerializerMethodField()
    protected_until = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    created_by = UserRef(read_only=True, allow_null=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "kind",
            "company_name",
            "uscc",
            "id_number",
            "country",
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

    @extend_schema_field(UserRef(allow_null=True))
    def get_owner(self, lead) -> dict | None:
        period = self._period(lead)
        if period is None:
            return None
        return {"id": period.owner_id, "display_name": period.owner.display_name}

    @extend_schema_field(NULLABLE_DATETIME)
    def get_claimed_at(self, lead):
        period = self._period(lead)
        return serializers.DateTimeField().to_representation(period.started_at) if period else None

    @extend_schema_field(NULLABLE_DATETIME)
    def get_protected_until(self, lead):
        period = self._period(lead)
        return (
            serializers.DateTimeField().to_representation(period.protected_until)
            if period
            else None
        )

    def get_id_number(self, lead) -> str:
        """An ID number is shown in full only to those who see the contact details."""
        user = self.context["request"].user
        if not lead.id_number or access.can_see_contact_details(user, lead, self._period(lead)):
            return lead.id_number
        return mask_id_number(lead.id_number)

    def get_contacts(self, lead) -> list[dict]:
        contacts = ContactOutput(lead.contacts.all(), many=True).data
        user = self.context["request"].user
        if access.can_see_contact_details(user, lead, self._period(lead)):
            return contacts
        for contact in contacts:
            contact["phone"] = mask_phone(contact["phone"]) if contact["phone"] else ""
            contact["email"] = mask_email(contact["email"]) if contact["email"] else ""
        return contacts


class FollowUpInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FollowUp.Kind.choices)
    note = serializers.CharField(max_length=5000)
    occurred_at = BoundedDateTimeField(required=False, default=None)
    next_step = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    next_step_at = BoundedDateField(required=False, allow_null=True, default=None)


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


class LeadImportInput(serializers.Serializer):
    rows = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        default=list,
        max_length=1000,
        help_text="Lead create payloads, or flat rows with contact_name/contact_phone/... columns "
        "(at most 1,000 per request; larger files: manage.py import_leads).",
    )
    csv = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Or the text of a CSV file with a header row (same column names).",
    )
    confirm_duplicates = serializers.BooleanField(required=False, default=False)
    pool_team = IdField(required=False, allow_null=True, default=None)


class ImportRowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    lead = serializers.IntegerField(allow_null=True)
    code = serializers.CharField(help_text="created, or the refusal's code")
    detail = serializers.CharField(required=False)
    matches = DuplicateMatchOutput(many=True, required=False)


class LeadImportOutput(serializers.Serializer):
    created = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    results = ImportRowOutput(many=True)
