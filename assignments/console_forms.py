"""The admin console's forms: the pool policy form (durations as days and hours, not
"7 00:00:00"; on a team, an empty field inherits the global value) and the territory rule
editor's input."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from leads.models import Lead

from .models import POLICY_FIELDS, TerritoryRule
from .services.policies import MAX_CLAIM_LIMIT, MAX_DURATION
from .territory import EQUALS, IN, MAX_CONDITIONS, NOT_IN, RANGE

MAX_DAYS = MAX_DURATION.days
DURATIONS = [
    ("protection_period", _("Protection period"), _("How long a claim lasts without follow-up.")),
    ("followup_extension", _("Extension per follow-up"), _("Added by each qualifying follow-up.")),
    ("max_protection", _("Maximum protection"), _("A claim never lasts longer than this.")),
    ("cooldown", _("Cooldown"), _("After losing or releasing a customer, before reclaiming it.")),
]
# A claim (or its cap) that ends as it starts would be no claim at all.
POSITIVE = {"protection_period", "max_protection"}


def describe_duration(value: timedelta) -> str:
    """7 days · 2 days 12 hours · 30 minutes · 0 — in the user's language."""
    days, rest = value.days, value.seconds
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts) or "0"


def split(value: timedelta | None) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    return value.days, value.seconds // 3600


class PolicyForm(forms.Form):
    """One scope: the global policy (every field required) or a team's overrides (empty =
    inherit `inherited[field]`)."""

    claim_limit = forms.IntegerField(label=_("Claim limit"), min_value=0, max_value=MAX_CLAIM_LIMIT)

    def __init__(self, *args, policy=None, inherited: dict | None = None, **kwargs):
        self.is_team = inherited is not None
        initial = {"claim_limit": getattr(policy, "claim_limit", None)}
        for field, _label, _help in DURATIONS:
            days, hours = split(getattr(policy, field, None))
            initial[f"{field}_days"], initial[f"{field}_hours"] = days, hours
        super().__init__(*args, initial=initial, **kwargs)
        self.inherited = inherited or {}
        self.fields["claim_limit"].required = not self.is_team
        self.fields["claim_limit"].help_text = _("Most live claims one rep may hold at once.")
        for field, _label, _help in DURATIONS:
            self.fields[f"{field}_days"] = forms.IntegerField(
                label=_("days"), min_value=0, max_value=MAX_DAYS, required=False
            )
            self.fields[f"{field}_hours"] = forms.IntegerField(
                label=_("hours"), min_value=0, max_value=23, required=False
            )
        if self.is_team:
            self.fields["claim_limit"].widget.attrs["placeholder"] = self.inherited["claim_limit"]
            for field, _label, _help in DURATIONS:
                days, hours = split(self.inherited[field])
                self.fields[f"{field}_days"].widget.attrs["placeholder"] = days
                self.fields[f"{field}_hours"].widget.attrs["placeholder"] = hours

    def durations(self):
        """For the template: one row per duration with its two inputs and what is inherited."""
        for field, label, help_text in DURATIONS:
            inherited = self.inherited.get(field)
            yield {
                "name": field,
                "label": label,
                "help": help_text,
                "days": self[f"{field}_days"],
                "hours": self[f"{field}_hours"],
                "errors": [
                    *self.errors.get(f"{field}_days", []),
                    *self.errors.get(f"{field}_hours", []),
                ],
                "inherits": describe_duration(inherited) if inherited is not None else None,
            }

    def clean(self):
        data = super().clean()
        for field, label, _help in DURATIONS:
            days, hours = data.get(f"{field}_days"), data.get(f"{field}_hours")
            if f"{field}_days" in self.errors or f"{field}_hours" in self.errors:
                continue
            if days is None and hours is None:
                if not self.is_team:
                    self.add_error(None, _("%(field)s is required.") % {"field": label})
                data[field] = None
                continue
            value = timedelta(days=days or 0, hours=hours or 0)
            if value > MAX_DURATION:
                self.add_error(f"{field}_days", _("At most %(days)d days.") % {"days": MAX_DAYS})
            elif field in POSITIVE and not value:
                self.add_error(f"{field}_days", _("Must be longer than zero."))
            data[field] = value
        period = self._in_force(data, "protection_period")
        cap = self._in_force(data, "max_protection")
        if period is not None and cap is not None and cap < period and not self.errors:
            self.add_error(
                "max_protection_days",
                _("The maximum protection cannot be shorter than the protection period."),
            )
        return data

    def _in_force(self, data: dict, field: str):
        value = data.get(field)
        return value if value is not None else self.inherited.get(field)

    def changes(self) -> dict:
        """Only the values the admin changed: a stored value with minutes (set through the
        API) is not rounded to hours by saving another field."""
        changed = set(self.changed_data)
        return {
            field: self.cleaned_data[field]
            for field in POLICY_FIELDS
            if field in changed or {f"{field}_days", f"{field}_hours"} & changed
        }


# --- territory rules -------------------------------------------------------------------------
# Separators an admin may type between values ("浙江、江苏", "a, b", one per line).
_VALUE_SEPARATORS = ("、", "，", ";", "；", "\n")
CHOICE_LABELS = {"size": dict(Lead.Size.choices), "kind": dict(Lead.Kind.choices)}


def _split_values(text: str) -> list[str]:
    for separator in _VALUE_SEPARATORS:
        text = text.replace(separator, ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _choice_code(name: str, text: str) -> str:
    """A size or kind as its code, whether typed as the code or as its label in either
    language ("50-199" / "Medium" / "中型")."""
    labels = CHOICE_LABELS.get(name)
    if not labels:
        return text.upper() if name == "country" else text
    wanted = text.strip().casefold()
    for code, label in labels.items():
        spellings = {code.casefold()}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                spellings.add(str(label).casefold())
        if wanted in spellings:
            return code
    return text


@dataclass
class ConditionRow:
    field: str = ""
    op: str = EQUALS
    value: str = ""
    low: str = ""
    high: str = ""

    @classmethod
    def of(cls, condition: Mapping) -> "ConditionRow":
        value = condition.get("value")
        row = cls(field=condition.get("field", ""), op=condition.get("op", EQUALS))
        if isinstance(value, Mapping):
            row.low, row.high = value.get("min") or "", value.get("max") or ""
        elif isinstance(value, list):
            row.value = pgettext("list separator", ", ").join(
                _choice_label(row.field, v) for v in value
            )
        else:
            row.value = _choice_label(row.field, value or "")
        return row

    def as_condition(self) -> dict:
        if self.op == RANGE:
            return {"field": self.field, "op": RANGE, "value": {"min": self.low, "max": self.high}}
        if self.op in (IN, NOT_IN):
            value = [_choice_code(self.field, v) for v in _split_values(self.value)]
        else:
            value = _choice_code(self.field, self.value.strip())
        return {"field": self.field, "op": self.op, "value": value}


def _choice_label(name: str, value) -> str:
    labels = CHOICE_LABELS.get(name)
    return str(labels.get(value, value)) if labels else str(value)


class RuleEditor:
    """The rule editor's input: name, active, position, conditions as rows (field, operator,
    value; a size range as smallest and largest) and the target (kind, rep, team), read from
    a stored rule or from the posted page, and given to the rule services in the API's shape
    (`as_rule`). The services check it and say in words what is wrong."""

    ROWS_SHOWN = 3
    MAX_ROWS = MAX_CONDITIONS

    def __init__(
        self, *, name="", active=True, position=None, rows=None, target=None, version=None
    ):
        self.name = name
        self.active = active
        self.position = position
        self.rows = list(rows or [])
        self.target = dict(target or {"kind": TerritoryRule.Target.ROUND_ROBIN})
        self.version = version

    @classmethod
    def of(cls, rule: TerritoryRule | None) -> "RuleEditor":
        if rule is None:
            return cls()
        return cls(
            name=rule.name,
            active=rule.active,
            position=rule.position,
            rows=[ConditionRow.of(c) for c in rule.conditions],
            target={
                "kind": rule.target_kind,
                "rep": rule.target_rep_id,
                "team": rule.target_team_id,
            },
            version=rule.version,
        )

    @classmethod
    def from_post(cls, data) -> "RuleEditor":
        lists = [data.getlist(f"cond-{part}") for part in ("field", "op", "value", "min", "max")]
        length = max((len(values) for values in lists), default=0)
        rows = []
        for index in range(min(length, cls.MAX_ROWS + 1)):
            field, op, value, low, high = (
                values[index] if index < len(values) else "" for values in lists
            )
            if field:
                rows.append(ConditionRow(field=field, op=op, value=value, low=low, high=high))
        return cls(
            name=data.get("name", ""),
            active=data.get("active") == "on",
            position=_whole(data.get("position")),
            rows=rows,
            target={
                "kind": data.get("target_kind", ""),
                "rep": _whole(data.get("target_rep")),
                "team": _whole(data.get("target_team")),
            },
            version=_whole(data.get("version")),
        )

    def shown_rows(self, extra: int = 0) -> list[ConditionRow]:
        """The rows, then empty ones to fill in (at least ROWS_SHOWN in all)."""
        empty = max(self.ROWS_SHOWN - len(self.rows), 1) + extra
        return self.rows + [ConditionRow() for _ in range(empty)][: self.MAX_ROWS - len(self.rows)]

    def as_target(self) -> dict:
        kind = self.target.get("kind")
        target = {"kind": kind}
        if kind == TerritoryRule.Target.REP:
            target["rep"] = self.target.get("rep")
        elif kind in (
            TerritoryRule.Target.ROUND_ROBIN,
            TerritoryRule.Target.LEAST_LOADED,
            TerritoryRule.Target.TEAM_POOL,
        ):
            target["team"] = self.target.get("team")
        return target

    def as_rule(self) -> dict:
        return {
            "name": self.name,
            "active": self.active,
            "conditions": [row.as_condition() for row in self.rows],
            "target": self.as_target(),
        }


def _whole(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None
