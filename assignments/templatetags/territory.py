"""Territory rules in plain words, in the reader's language: a condition ("province is one of
浙江, 江苏"), a rule's conditions together, and where a rule sends a customer ("East China
team, round robin"). The rules console, the rules page everyone can read and the lead page's
explanation of a routed customer all say it the same way."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from accounts.models import Team, User
from leads.models import Lead
from leads.templatetags.leads_tags import country_name

from ..models import TerritoryRule
from ..territory import (
    AT_CAPACITY,
    AT_LIMIT,
    AWAY,
    CONTAINS,
    EQUALS,
    FIELD_LABELS,
    FIELDS,
    IN,
    INACTIVE,
    NOT_IN,
    RANGE,
    TAGS,
)

register = template.Library()

Target = TerritoryRule.Target
_SIZE_LABELS = dict(Lead.Size.choices)
_KIND_LABELS = dict(Lead.Kind.choices)


def join_words(items) -> str:
    """Items as one list in the reader's language ("浙江, 江苏" / "浙江、江苏")."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def and_words(items) -> str:
    """Conditions that must all hold: "province is 浙江 and size …"."""
    return _(" and ").join(str(item) for item in items)


def _value_words(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    if name == "size":
        return str(_SIZE_LABELS.get(value, value))
    if name == "kind":
        return str(_KIND_LABELS.get(value, value))
    if name == "country":
        return country_name(str(value))
    return str(value)


def _values(name: str, value) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").split(",") if part.strip()]
    return [_value_words(name, v) for v in value or []]


@register.filter
def condition_words(condition: Mapping) -> str:
    """One condition {field, op, value} in words: "province is one of 浙江, 江苏"."""
    if not isinstance(condition, Mapping):
        return ""
    name, op, value = condition.get("field"), condition.get("op"), condition.get("value")
    words = {"field": FIELD_LABELS.get(name, name)}
    if op == RANGE:
        value = value if isinstance(value, Mapping) else {}
        low, high = value.get("min"), value.get("max")
        words.update(low=_value_words(name, low), high=_value_words(name, high))
        if low and high:
            return _("%(field)s between %(low)s and %(high)s") % words
        if low:
            return _("%(field)s %(low)s or larger") % words
        return _("%(field)s %(high)s or smaller") % words
    if op in (IN, NOT_IN):
        words["values"] = join_words(_values(name, value))
    else:
        words["value"] = _value_words(name, value)
    if FIELDS.get(name) == TAGS:
        phrases = {
            EQUALS: _("tags include %(value)s"),
            IN: _("tags include one of %(values)s"),
            NOT_IN: _("tags include none of %(values)s"),
            CONTAINS: _("a tag contains “%(value)s”"),
        }
    else:
        phrases = {
            EQUALS: _("%(field)s is %(value)s"),
            IN: _("%(field)s is one of %(values)s"),
            NOT_IN: _("%(field)s is none of %(values)s"),
            CONTAINS: _("%(field)s contains “%(value)s”"),
        }
    phrase = phrases.get(op)
    if phrase is None:
        return f"{words['field']} {op} {value}"
    return phrase % words


@register.filter
def conditions_words(conditions) -> str:
    """All of a rule's conditions: "province is 浙江 and size between …"; a rule without
    conditions matches every customer."""
    parts = [condition_words(c) for c in conditions or []]
    if not parts:
        return _("every new customer")
    return and_words(parts)


def _name(thing, model) -> str:
    """A rep's or team's name from an instance, a {"id", "name"} dict, a name or an id."""
    if thing is None or thing == "":
        return ""
    if isinstance(thing, Mapping):
        return str(thing.get("name") or thing.get("display_name") or thing.get("id") or "")
    if isinstance(thing, User):
        return thing.display_name
    if isinstance(thing, Team):
        return thing.name
    if isinstance(thing, int):
        if model is User:
            found = User.objects.filter(pk=thing).values_list("display_name", flat=True).first()
        else:
            found = Team.objects.filter(pk=thing).values_list("name", flat=True).first()
        return found or f"#{thing}"
    return str(thing)


def _target(rule) -> tuple[str, object, object]:
    if isinstance(rule, TerritoryRule):
        return (
            rule.target_kind,
            rule.target_rep if rule.target_rep_id else None,
            rule.target_team if rule.target_team_id else None,
        )
    if not isinstance(rule, Mapping):
        return "", None, None
    nested = rule.get("target")
    if isinstance(nested, Mapping):
        return nested.get("kind", ""), nested.get("rep"), nested.get("team")
    rep = rule.get("target_rep")
    team = rule.get("target_team")
    return (
        rule.get("target_kind", ""),
        rep if rep not in (None, "") else rule.get("target_rep_id"),
        team if team not in (None, "") else rule.get("target_team_id"),
    )


@register.filter
def target_words(rule) -> str:
    """Where a rule sends a customer: "East China team, round robin", "the public pool",
    "Alice (named rep)". Takes a `TerritoryRule`, or rule data with target_kind and
    target_rep / target_team (instances, {"id", "name"} dicts, names or ids), or
    {"target": {"kind", "rep", "team"}}."""
    kind, rep, team = _target(rule)
    words = {"rep": _name(rep, User), "team": _name(team, Team)}
    if kind == Target.REP:
        return _("%(rep)s (named rep)") % words
    if kind == Target.ROUND_ROBIN:
        return _("%(team)s team, round robin") % words
    if kind == Target.LEAST_LOADED:
        return _("%(team)s team, least loaded rep") % words
    if kind == Target.TEAM_POOL:
        return _("the %(team)s team's pool") % words
    if kind == Target.PUBLIC_POOL:
        return _("the public pool")
    return ""


# --- a routed customer's history record, explained ------------------------------------------
def _until_words(until) -> str:
    try:
        moment = datetime.fromisoformat(str(until))
    except ValueError:
        return str(until)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "MONTH_DAY_FORMAT")


def _load_words(record: Mapping) -> str:
    return "%(load)s/%(capacity)s" % {  # noqa: UP031 - a fraction, not a sentence
        "load": record.get("load", 0),
        "capacity": record.get("capacity", 0),
    }


@register.filter
def skip_words(record: Mapping) -> str:
    """One rep routing passed over, and why: "Bob (away until 12-10: leave)"."""
    words = {"name": record.get("name", ""), "load": _load_words(record)}
    reason = record.get("reason")
    if reason == AWAY:
        note = record.get("note") or ""
        words.update(until=_until_words(record.get("until", "")), note=note)
        if record.get("until") and note:
            return _("%(name)s (away until %(until)s: %(note)s)") % words
        if record.get("until"):
            return _("%(name)s (away until %(until)s)") % words
        return _("%(name)s (away)") % words
    if reason == INACTIVE:
        return _("%(name)s (deactivated)") % words
    if reason == AT_CAPACITY:
        return _("%(name)s (at capacity %(load)s)") % words
    if reason == AT_LIMIT:
        return _("%(name)s (at the claim limit %(load)s)") % words
    return str(words["name"])


def _matched_words(record: Mapping) -> str:
    name, actual = record.get("field"), record.get("actual")
    if isinstance(actual, list | tuple):
        actual = join_words(_value_words(name, a) for a in actual)
    elif actual not in (None, ""):
        actual = _value_words(name, actual)
    words = {"condition": condition_words(record), "actual": actual}
    if actual in (None, ""):
        return words["condition"]
    return _("%(condition)s (“%(actual)s”)") % words


def _team_words(details: Mapping) -> str:
    team = details.get("team")
    return str(team.get("name", "")) if isinstance(team, Mapping) else ""


def _rule_sentence(details: Mapping) -> str:
    rule = details.get("rule")
    if not isinstance(rule, Mapping):
        return _("No rule matched.")
    words = {
        "name": rule.get("name", ""),
        "version": rule.get("version", ""),
        "matched": and_words(_matched_words(m) for m in details.get("matched") or []),
    }
    if words["matched"]:
        return _("Routed by rule “%(name)s” (version %(version)s): %(matched)s.") % words
    return _("Routed by rule “%(name)s” (version %(version)s), which takes every customer.") % words


def _outcome_sentence(details: Mapping) -> str:
    method = details.get("method")
    team = _team_words(details)
    chosen = details.get("chosen")
    if isinstance(chosen, Mapping):
        words = {"team": team, "name": chosen.get("name", ""), "load": _load_words(chosen)}
        if method == Target.ROUND_ROBIN:
            return _("Round robin in the %(team)s team: %(name)s (%(load)s).") % words
        if method == Target.LEAST_LOADED:
            return _("Least loaded in the %(team)s team: %(name)s (%(load)s).") % words
        return _("Named rep: %(name)s (%(load)s).") % words
    fallback = details.get("fallback")
    if fallback == "team_pool":
        return _("Nobody could take it; it went to the %(team)s team's pool.") % {"team": team}
    if fallback == "public_pool":
        return _("Nobody could take it; it went to the public pool.")
    if method == Target.TEAM_POOL:
        return _("The customer went to the %(team)s team's pool.") % {"team": team}
    return _("The customer went to the public pool.")


@register.filter
def route_sentences(details) -> list[str]:
    """An automatic assignment's history details in words: which rule and why, who got the
    customer (or which pool), and who was skipped and why."""
    if not isinstance(details, Mapping):
        return []
    sentences = [_rule_sentence(details), _outcome_sentence(details)]
    skipped = [skip_words(s) for s in details.get("skipped") or [] if isinstance(s, Mapping)]
    if skipped:
        sentences.append(_("Skipped: %(reps)s.") % {"reps": join_words(skipped)})
    return sentences


# --- pool policies ---------------------------------------------------------------------------
@register.filter
def duration_words(value) -> str:
    """A policy's duration in days and hours: "7 days", "1 day 12 hours"."""
    if not isinstance(value, timedelta):
        return ""
    hours = int(value.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not parts:
        return _("none")
    return pgettext("between days and hours", " ").join(parts)
