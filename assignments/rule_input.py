"""A territory rule as people and programs send it — `{name, active, conditions, target:
{kind, rep?, team?}}` — checked and turned into the columns of `TerritoryRule`. The rule
services save what this returns; the routing preview simulates it. Every refusal is an
`InvalidRule` that says, in words, what is wrong."""

import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User

from .exceptions import InvalidRule
from .models import TerritoryRule
from .territory import clean_conditions

Target = TerritoryRule.Target
TEAM_KINDS = (Target.ROUND_ROBIN, Target.LEAST_LOADED, Target.TEAM_POOL)
TARGET_KEYS = {"kind", "rep", "team"}
MAX_NAME = TerritoryRule._meta.get_field("name").max_length


def clean_name(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRule(_("Give the rule a name."))
    value = value.strip()
    if len(value) > MAX_NAME:
        raise InvalidRule(_("A rule's name has at most %(n)d characters.") % {"n": MAX_NAME})
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise InvalidRule(_("A rule's name cannot hold control characters."))
    return value


def clean_active(value) -> bool:
    if not isinstance(value, bool):
        raise InvalidRule(_("“active” is true or false."))
    return value


def clean_position(value) -> int | None:
    """A place in the list, 1 being the first rule tried; None: at the end."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidRule(_("A position is a whole number from 1."))
    return value


def _id(value, what: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise InvalidRule(_("The target's %(what)s is not an id.") % {"what": what})
    return value


def clean_target(raw, *, require_active_rep: bool = True) -> dict:
    """`{kind, rep?, team?}` as the columns target_kind, target_rep_id, target_team_id. A
    named rep must be an active sales rep (the preview also takes one who has left: routing
    then falls back to the pool, and the preview shows it); a team must exist."""
    if not isinstance(raw, Mapping):
        raise InvalidRule(_("The target is {kind, rep?, team?}."))
    extra = set(raw) - TARGET_KEYS
    if extra:
        raise InvalidRule(
            _("The target takes only kind, rep and team, not %(keys)s.")
            % {"keys": ", ".join(sorted(str(k) for k in extra))}
        )
    kind = raw.get("kind")
    if kind not in Target.values:
        raise InvalidRule(
            _("Choose where the rule sends a customer (one of %(kinds)s).")
            % {"kinds": ", ".join(Target.values)}
        )
    rep_id, team_id = _id(raw.get("rep"), "rep"), _id(raw.get("team"), "team")
    if kind == Target.REP:
        if team_id is not None:
            raise InvalidRule(_("A rule that names a rep names no team."))
        if rep_id is None:
            raise InvalidRule(_("Choose the rep the rule names."))
        rep = User.objects.filter(pk=rep_id).first()
        if rep is None or (require_active_rep and not rep.is_rep):
            raise InvalidRule(_("The rule must name an active sales rep."))
    elif kind in TEAM_KINDS:
        if rep_id is not None:
            raise InvalidRule(_("A rule that sends customers to a team names no rep."))
        if team_id is None:
            raise InvalidRule(_("Choose the team the rule sends customers to."))
        if not Team.objects.filter(pk=team_id).exists():
            raise InvalidRule(_("That team does not exist."))
    elif rep_id is not None or team_id is not None:
        raise InvalidRule(_("A rule that sends customers to the public pool names no rep or team."))
    return {"target_kind": kind, "target_rep_id": rep_id, "target_team_id": team_id}


def clean_rule(raw, *, require_active_rep: bool = True) -> dict:
    """A whole rule (name, active, conditions, target) as the model's columns."""
    if not isinstance(raw, Mapping):
        raise InvalidRule(_("A rule is {name, active, conditions, target}."))
    return {
        "name": clean_name(raw.get("name")),
        "active": clean_active(raw.get("active", True)),
        "conditions": clean_conditions(raw.get("conditions")),
        **clean_target(raw.get("target"), require_active_rep=require_active_rep),
    }


def target_of(data: Mapping) -> dict:
    """The API's `target` of rule data (`selectors.territory.rule_data`)."""
    return {
        "kind": data["target_kind"],
        "rep": data.get("target_rep_id"),
        "team": data.get("target_team_id"),
    }
