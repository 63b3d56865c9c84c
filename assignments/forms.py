"""Forms of the ownership actions on a customer's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from leads.models import Lead, LostReason


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("New owner"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=1000)
    override_limit = forms.BooleanField(label=_("Override the claim limit"), required=False)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["to"].queryset = candidates


class TransferRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class MergeForm(forms.Form):
    KEEP_THIS, KEEP_OTHER = "this", "other"

    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        choices=[(KEEP_THIS, KEEP_THIS), (KEEP_OTHER, KEEP_OTHER)],
        required=False,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)
    # Set by the confirmation page's button: without it the merge page only shows what the
    # merge would do.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_keep(self):
        return self.cleaned_data["keep"] or self.KEEP_THIS

    def sides(self, lead_id: int) -> tuple[int, int]:
        """(survivor, merged): the page's lead is kept unless the other one is chosen."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["keep"] == self.KEEP_OTHER:
            return other, lead_id
        return lead_id, other


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))
    lost_reason = forms.ModelChoiceField(
        label=_("Why lost"), queryset=LostReason.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, statuses=(), reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Lead.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in statuses]
        if reasons is not None:
            self.fields["lost_reason"].queryset = reasons


class CloseDealForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class CreditCorrectionForm(forms.Form):
    """Up to three reps and their shares (summing to 100%), with the reason."""

    ROWS = 3

    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.ROWS + 1):
            self.fields[f"rep{i}"] = forms.ModelChoiceField(
                label=_("Sales rep"),
                queryset=candidates if candidates is not None else User.objects.none(),
                required=i == 1,
            )
            self.fields[f"share{i}"] = forms.DecimalField(
                label=_("Share (%)"),
                max_digits=5,
                decimal_places=2,
                min_value=0.01,
                max_value=100,
                required=i == 1,
                initial=100 if i == 1 else None,
            )

    def shares(self) -> list[tuple[int, object]]:
        data = self.cleaned_data
        return [
            (data[f"rep{i}"].pk, data[f"share{i}"])
            for i in range(1, self.ROWS + 1)
            if data.get(f"rep{i}") and data.get(f"share{i}")
        ]


class InviteForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Colleague"), queryset=User.objects.none())

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["user"].queryset = candidates


class SharesForm(forms.Form):
    """The owner's proposal: one share per person (the owner and each collaborator)."""

    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person in self.people:
            self.fields[f"share_{person.pk}"] = forms.DecimalField(
                label=person.display_name,
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
            )

    def shares(self) -> list[tuple[int, object]]:
        return [
            (person.pk, self.cleaned_data[f"share_{person.pk}"])
            for person in self.people
            if self.cleaned_data.get(f"share_{person.pk}")
        ]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ApproveTransferForm(forms.Form):
    reason = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
    override_limit = forms.BooleanField(label=_("Override the claim limit"), required=False)


class RejectTransferForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class DisputeForm(forms.Form):
    statement = forms.CharField(
        label=_("Why is this customer yours?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    record = forms.TypedChoiceField(
        label=_("Your record of this customer"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("None"))] + [
            (r.pk, f"{r.company_name} · {r.city}" if r.city else r.company_name) for r in records
        ]


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label=_("Ruling"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    claimant_share = forms.DecimalField(
        label=_("Claimant's share of the credit (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    override_limit = forms.BooleanField(label=_("Override the claim limit"), required=False)

    def __init__(self, *args, rulings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ruling"].choices = list(rulings)


class LeadIdsField(forms.Field):
    """The ticked rows of a list (`lead_ids`, one value per checkbox). Duplicates and the
    count are the service's to refuse (`nothing_selected`, `too_many_selected`)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one customer."),
        "invalid": _("The selection is not valid. Reload the page and try again."),
    }

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if not all(str(v).isdigit() and len(str(v)) <= 18 for v in values):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(v) for v in values]


class BulkClaimForm(forms.Form):
    lead_ids = LeadIdsField()


class BulkReleaseForm(BulkClaimForm):
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)
