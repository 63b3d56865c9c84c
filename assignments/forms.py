"""Forms of the ownership actions on a customer's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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

    def clean_keep(self):
        return self.cleaned_data["keep"] or self.KEEP_THIS
