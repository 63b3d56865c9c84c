"""The bulk move form under the team list (批量转移): which customers (the ticked rows, or all
those matching the list's filters), where they go, and why."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Team, User
from crm.sql import as_row_id

from .selectors.bulk_reassignments import TEAM_FILTERS
from .services.bulk_reassign import BulkTarget

# The list's filters travel with the form under these names (they would clash with its own).
FILTER_PREFIX = "filter_"


class BulkMoveForm(forms.Form):
    TO_REP, TO_ROUND_ROBIN, TO_TEAM_POOL, TO_PUBLIC_POOL = (
        "rep",
        "round_robin",
        "team_pool",
        "public_pool",
    )

    all_matching = forms.BooleanField(required=False)
    to = forms.ChoiceField(
        label=pgettext_lazy("bulk move", "Move to"),
        choices=[
            (TO_REP, _("A rep")),
            (TO_ROUND_ROBIN, _("Several reps in turn (round robin)")),
            (TO_TEAM_POOL, _("A team's pool")),
            (TO_PUBLIC_POOL, _("The public pool")),
        ],
        initial=TO_REP,
    )
    rep = forms.ModelChoiceField(label=_("Rep"), queryset=User.objects.none(), required=False)
    reps = forms.ModelMultipleChoiceField(
        label=_("Reps"), queryset=User.objects.none(), required=False
    )
    pool_team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=1000)
    override_limit = forms.BooleanField(label=_("Override the claim limit"), required=False)

    def __init__(self, *args, candidates=None, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["rep"].queryset = candidates
            self.fields["reps"].queryset = candidates
        if teams is not None:
            self.fields["pool_team"].queryset = teams

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if to == self.TO_REP and not data.get("rep"):
            self.add_error("rep", _("Choose the rep."))
        if to == self.TO_ROUND_ROBIN and not data.get("reps"):
            self.add_error("reps", _("Choose the reps who take turns."))
        if to == self.TO_TEAM_POOL and not data.get("pool_team"):
            self.add_error("pool_team", _("Choose the team."))
        if not data.get("all_matching") and not self.lead_ids():
            raise forms.ValidationError(
                _("Tick the customers to move, or all those matching the filter."),
                code="nothing_selected",
            )
        return data

    def lead_ids(self) -> list[int]:
        ids = [as_row_id(value) for value in self.data.getlist("lead_ids")]
        return [lead_id for lead_id in ids if lead_id is not None]

    def filters(self) -> dict[str, str]:
        """The team list's filters the form carried (what "all matching" means)."""
        values = {name: self.data.get(FILTER_PREFIX + name, "") for name in TEAM_FILTERS}
        return {name: value for name, value in values.items() if value}

    def target(self) -> BulkTarget:
        data = self.cleaned_data
        if data["to"] == self.TO_REP:
            return BulkTarget.rep(data["rep"].pk)
        if data["to"] == self.TO_ROUND_ROBIN:
            return BulkTarget.round_robin([rep.pk for rep in data["reps"]])
        if data["to"] == self.TO_TEAM_POOL:
            return BulkTarget.pool(data["pool_team"].pk)
        return BulkTarget.pool(None)


class HandOverForm(BulkMoveForm):
    """A rep leaves (离职交接): where their customers go (as a bulk move), what becomes of
    their open next steps, and the confirmation. Their own customers are the selection."""

    next_steps = forms.ChoiceField(
        label=_("Their open next steps"),
        choices=[
            ("keep", _("Go with the customers: the new owners see them")),
            ("clear", _("Are cleared")),
        ],
        initial="keep",
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("Deactivate them and hand everything over"))

    def clean(self):
        data = forms.Form.clean(self)
        to = data.get("to")
        if to == self.TO_REP and not data.get("rep"):
            self.add_error("rep", _("Choose the rep."))
        if to == self.TO_ROUND_ROBIN and not data.get("reps"):
            self.add_error("reps", _("Choose the reps who take turns."))
        if to == self.TO_TEAM_POOL and not data.get("pool_team"):
            self.add_error("pool_team", _("Choose the team."))
        return data
