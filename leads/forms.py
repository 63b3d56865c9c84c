"""Forms for what describes a customer: its fields, contacts and follow-ups. The pages use
them, and so does the import (each row held to the same rules as the new-customer form)."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import DealStage, FollowUp, Lead
from .services import LEAD_FIELDS
from .validation import country_choices, country_code, credit_code, email_address


class LeadFieldsForm(forms.Form):
    """The fields a rep may type or edit; the service re-checks every one."""

    kind = forms.ChoiceField(
        label=_("Customer kind"),
        choices=Lead.Kind.choices,
        initial=Lead.Kind.COMPANY,
        required=False,
    )
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        help_text=_("For an individual customer: the person's name."),
    )
    # 18 characters, but people paste it with spaces: the check digit decides.
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        required=False,
        help_text=_("Individuals only: an identity document number."),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Left empty: the one the city makes obvious, else the usual one."),
    )
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=80, required=False)
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", "—")] + Lead.Size.choices, required=False
    )
    source = forms.CharField(label=_("Source"), max_length=80, required=False)
    # Ticked by the rep after a "possible duplicate" warning: "these are different customers".
    confirm_duplicate = forms.BooleanField(
        label=_("These are different customers — create anyway"), required=False
    )

    def clean_company_name(self):
        value = self.cleaned_data["company_name"].strip()
        if not value:
            raise forms.ValidationError(_("Please enter the company name."))
        return value

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = country_choices(translation.get_language() or "en")
        self.fields["country"].choices = [("", "—"), *names]

    def clean_kind(self):
        return self.cleaned_data["kind"] or Lead.Kind.COMPANY

    def clean_uscc(self):
        return credit_code(self.cleaned_data["uscc"])

    def clean_country(self):
        return country_code(self.cleaned_data["country"])


class LeadForm(LeadFieldsForm):
    contact_name = forms.CharField(label=_("Contact name"), max_length=100, required=False)
    contact_title = forms.CharField(label=_("Contact title"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    # What people paste ("Name <addr>", "mailto:…") is accepted and stored as the address.
    contact_email = forms.CharField(label=_("Contact e-mail"), max_length=320, required=False)

    def clean_contact_email(self):
        return email_address(self.cleaned_data["contact_email"])

    def clean(self):
        data = super().clean()
        has_detail = (
            data.get("contact_phone") or data.get("contact_email") or data.get("contact_title")
        )
        if has_detail and not data.get("contact_name"):
            self.add_error("contact_name", _("Please name the contact."))
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        contact = {
            "name": data.pop("contact_name"),
            "title": data.pop("contact_title"),
            "phone": data.pop("contact_phone"),
            "email": data.pop("contact_email"),
        }
        data["contacts"] = [contact] if contact["name"] else []
        return data


class LeadEditForm(LeadFieldsForm):
    tags = forms.CharField(
        label=_("Tags"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("These are different customers — save anyway"), required=False
    )

    field_order = list(LEAD_FIELDS)

    @classmethod
    def for_lead(cls, lead: Lead, data=None) -> "LeadEditForm":
        initial = {name: getattr(lead, name) for name in cls.field_order}
        initial["tags"] = ", ".join(str(tag) for tag in lead.tags or [])
        return cls(data, initial=initial)

    def clean_tags(self):
        parts = self.cleaned_data["tags"].replace("，", ",").split(",")
        return [tag.strip() for tag in parts if tag.strip()]

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=320, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("These are different customers — add anyway"), required=False
    )

    def clean_email(self):
        return email_address(self.cleaned_data["email"])

    def clean_name(self):
        value = self.cleaned_data["name"].strip()
        if not value:
            raise forms.ValidationError(_("Please name the contact."))
        return value


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUp.Kind.choices)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)
    next_step_at = forms.DateField(
        label=_("Next step date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ImportRowForm(LeadFieldsForm):
    """One row of an imported list: the new-customer form's rules (its contacts are checked
    with ContactForm; weak duplicates are confirmed for the whole import, not per row)."""

    confirm_duplicate = None


class DealForm(forms.Form):
    title = forms.CharField(label=_("Deal title"), max_length=200)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=0, localize=False
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        required=False,
        help_text=_("ISO 4217, such as CNY, USD, EUR."),
    )
    stage = forms.ModelChoiceField(
        label=_("Stage"), queryset=DealStage.objects.none(), empty_label=None
    )
    expected_close = forms.DateField(
        label=_("Expected close"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next_step = forms.CharField(label=_("Next step"), max_length=200, required=False)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["stage"].queryset = stages
            self.fields["stage"].label_from_instance = lambda stage: (
                f"{stage.label} ({stage.probability}%)"
            )

    def clean_title(self):
        value = self.cleaned_data["title"].strip()
        if not value:
            raise forms.ValidationError(_("Please give the deal a title."))
        return value

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["stage_id"] = data.pop("stage").pk
        return data
