"""Territory rules as data: their conditions (validated and compiled), which rule a new
customer meets, and which rep of a team gets it. Pure functions over plain values: the
routing service (`services.routing`) feeds them what it read under its locks, the preview
(`selectors.routing_preview`) what it read for a simulation, so both decide alike.

Values match across scripts and spellings: "浙江", "浙江省" and "Zhejiang Province" are one
province; "杭州市" and "Hangzhou" one city (the duplicate check's region tables). Two hanzi
spellings must be the same place ("山西" is not "陕西", though both are "shanxi" in
pinyin); text compares case- and width-insensitively."""

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from leads.dedupe.normalize import normalize_city, province_of_city
from leads.models import Lead

from .exceptions import InvalidRule

# Which customer fields a condition can test, and how their values compare.
REGION, TEXT, CHOICE, TAGS = "region", "text", "choice", "tags"
FIELDS = {
    "country": CHOICE,
    "province": REGION,
    "city": REGION,
    "industry": TEXT,
    "size": CHOICE,
    "source": TEXT,
    "tags": TAGS,
    "kind": CHOICE,
}
FIELD_LABELS = {
    "country": _("country"),
    "province": _("province"),
    "city": _("city"),
    "industry": _("industry"),
    "size": _("size"),
    "source": _("source"),
    "tags": _("tags"),
    "kind": _("kind"),
}
EQUALS, IN, NOT_IN, CONTAINS, RANGE = "equals", "in", "not_in", "contains", "range"
OPS = (EQUALS, IN, NOT_IN, CONTAINS, RANGE)
OP_LABELS = {
    EQUALS: _("is"),
    IN: _("is one of"),
    NOT_IN: _("is none of"),
    CONTAINS: _("contains"),
    RANGE: _("is between"),
}
# Sizes in order: a range of sizes is a range of these positions.
SIZE_ORDER = [value for value, _label in Lead.Size.choices]
_CHOICES = {"size": set(SIZE_ORDER), "kind": {value for value, _label in Lead.Kind.choices}}
MAX_VALUES = 500
MAX_VALUE_LENGTH = 100
MAX_CONDITIONS = 20
# Suffixes that name a level of region, not the region ("浙江省" is "浙江").
_HAN_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
)


@functools.lru_cache(maxsize=8192)
def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def _has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


@dataclass(frozen=True)
class _Place:
    key: str  # pinyin or Latin key (normalize_city)
    han: str  # the hanzi name without its level suffix, "" for a Latin spelling

    def same(self, other: "_Place") -> bool:
        if not self.key or self.key != other.key:
            return False
        return not (self.han and other.han) or self.han == other.han


@functools.lru_cache(maxsize=8192)
def _place(value: str) -> _Place:
    text = _text(value)
    han = ""
    if _has_han(text):
        han = "".join(ch for ch in text if _has_han(ch))
        for suffix in _HAN_SUFFIXES:
            if han.endswith(suffix) and len(han) > len(suffix) + 1:
                han = han[: -len(suffix)]
                break
    return _Place(key=normalize_city(value) if text else "", han=han)


def _key(kind: str, value):
    if kind == REGION:
        return _place(value)
    if kind == CHOICE:
        return str(value).strip()
    return _text(value)


def _same(kind: str, a, b) -> bool:
    return a.same(b) if kind == REGION else a == b


# --- validation ------------------------------------------------------------------------------
def _string(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRule(_("%(where)s: enter a value.") % {"where": where})
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidRule(
            _("%(where)s: at most %(n)d characters.") % {"where": where, "n": MAX_VALUE_LENGTH}
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise InvalidRule(_("%(where)s: control characters are not allowed.") % {"where": where})
    return value.strip()


def _choice(name: str, value: str, where: str) -> str:
    if name == "country":
        value = value.upper()
        if len(value) != 2 or not value.isalpha() or not value.isascii():
            raise InvalidRule(_("%(where)s: a two-letter country code.") % {"where": where})
    elif value not in _CHOICES[name]:
        raise InvalidRule(
            _("%(where)s: not one of the choices (%(choices)s).")
            % {"where": where, "choices": ", ".join(sorted(_CHOICES[name]))}
        )
    return value


def clean_condition(raw, index: int = 0) -> dict:
    """One condition as stored: {"field", "op", "value"}, or InvalidRule saying what is
    wrong with it."""
    where = _("Condition %(n)d") % {"n": index + 1}
    if not isinstance(raw, Mapping):
        raise InvalidRule(_("%(where)s: expected {field, op, value}.") % {"where": where})
    name, op, value = raw.get("field"), raw.get("op"), raw.get("value")
    if name not in FIELDS:
        raise InvalidRule(
            _("%(where)s: unknown field (one of %(fields)s).")
            % {"where": where, "fields": ", ".join(FIELDS)}
        )
    kind = FIELDS[name]
    if op not in OPS:
        raise InvalidRule(
            _("%(where)s: unknown operator (one of %(ops)s).")
            % {"where": where, "ops": ", ".join(OPS)}
        )
    if op == RANGE:
        if name != "size":
            raise InvalidRule(_("%(where)s: only a size can be a range.") % {"where": where})
        if not isinstance(value, Mapping) or not (value.get("min") or value.get("max")):
            raise InvalidRule(_("%(where)s: give a smallest or a largest size.") % {"where": where})
        bounds = {
            end: _choice(name, _string(value[end], where), where)
            for end in ("min", "max")
            if value.get(end)
        }
        if "min" in bounds and "max" in bounds:
            if SIZE_ORDER.index(bounds["min"]) > SIZE_ORDER.index(bounds["max"]):
                raise InvalidRule(
                    _("%(where)s: the smallest size is above the largest.") % {"where": where}
                )
        return {"field": name, "op": op, "value": bounds}
    if op == CONTAINS and kind == CHOICE:
        raise InvalidRule(
            _("%(where)s: choose “is” or “is one of” for this field.") % {"where": where}
        )
    if op in (IN, NOT_IN):
        if isinstance(value, str):
            value = [part for part in value.replace("，", ",").split(",") if part.strip()]
        if not isinstance(value, list) or not value:
            raise InvalidRule(_("%(where)s: give at least one value.") % {"where": where})
        if len(value) > MAX_VALUES:
            raise InvalidRule(
                _("%(where)s: at most %(n)d values.") % {"where": where, "n": MAX_VALUES}
            )
        values = [_string(v, where) for v in value]
        if kind == CHOICE:
            values = [_choice(name, v, where) for v in values]
        return {"field": name, "op": op, "value": list(dict.fromkeys(values))}
    value = _string(value, where)
    if kind == CHOICE:
        value = _choice(name, value, where)
    return {"field": name, "op": op, "value": value}


def clean_conditions(raw) -> list[dict]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise InvalidRule(_("Conditions must be a list."))
    if len(raw) > MAX_CONDITIONS:
        raise InvalidRule(_("At most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    return [clean_condition(item, i) for i, item in enumerate(raw)]


# --- matching --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object
    keys: tuple = ()

    @classmethod
    def compile(cls, raw: Mapping) -> "Condition":
        name, op, value = raw["field"], raw["op"], raw["value"]
        kind = FIELDS[name]
        if op == RANGE:
            low = SIZE_ORDER.index(value["min"]) if value.get("min") else 0
            high = SIZE_ORDER.index(value["max"]) if value.get("max") else len(SIZE_ORDER) - 1
            keys = tuple(SIZE_ORDER[low : high + 1])
        elif op in (IN, NOT_IN):
            keys = tuple(_key(kind, v) for v in value)
        elif op == CONTAINS:
            # A part of the written text, whatever the field (a region's key is a place).
            keys = (_text(value),)
        else:
            keys = (_key(kind, value),)
        return cls(field=name, op=op, value=value, keys=keys)

    def holds(self, values: Mapping) -> bool:
        kind = FIELDS[self.field]
        actual = values.get(self.field)
        if kind == TAGS:
            tags = [_text(t) for t in (actual or []) if str(t).strip()]
            if self.op == CONTAINS:
                return any(self.keys[0] in tag for tag in tags)
            hit = any(tag in self.keys for tag in tags)
            return not hit if self.op == NOT_IN else hit
        actual = "" if actual is None else str(actual)
        if self.op == RANGE:
            return actual in self.keys
        if self.op == CONTAINS:
            return bool(actual) and self.keys[0] in _text(actual)
        if not actual.strip():
            return self.op == NOT_IN
        mine = _key(kind, actual)
        hit = any(_same(kind, mine, key) for key in self.keys)
        return not hit if self.op == NOT_IN else hit

    def as_record(self, values: Mapping) -> dict:
        """What the history keeps of a condition that held: the condition and the value."""
        return {
            "field": self.field,
            "op": self.op,
            "value": self.value,
            "actual": values.get(self.field),
        }


@dataclass(frozen=True)
class Rule:
    """A rule ready to match: what `TerritoryRule` holds, compiled."""

    id: int | None
    name: str
    version: int
    target_kind: str
    target_rep_id: int | None
    target_team_id: int | None
    conditions: tuple[Condition, ...] = ()

    @classmethod
    def from_data(cls, data: Mapping) -> "Rule":
        return cls(
            id=data.get("id"),
            name=data.get("name", ""),
            version=data.get("version", 0),
            target_kind=data["target_kind"],
            target_rep_id=data.get("target_rep_id"),
            target_team_id=data.get("target_team_id"),
            conditions=tuple(Condition.compile(c) for c in data.get("conditions") or []),
        )

    def matches(self, values: Mapping) -> list[dict] | None:
        """The conditions that held (all of them), or None when one did not."""
        held = []
        for condition in self.conditions:
            if not condition.holds(values):
                return None
            held.append(condition.as_record(values))
        return held

    def as_record(self) -> dict:
        return {"id": self.id, "name": self.name, "version": self.version}


def lead_values(fields: Mapping) -> dict:
    """A customer's values that conditions test. A customer with a city and no province is
    in the city's province when the region tables know it (杭州 or Hangzhou: 浙江), so a rule
    on a province takes the customers of its cities."""
    values = {name: fields.get(name) for name in FIELDS}
    values["kind"] = values["kind"] or Lead.Kind.COMPANY
    if not str(values["province"] or "").strip() and values["city"]:
        values["province"] = province_of_city(str(values["city"])) or values["province"]
    return values


def first_match(rules: Iterable[Rule], values: Mapping) -> tuple[Rule | None, list[dict]]:
    """The first rule (in order) whose conditions all hold, with them; (None, []) when no
    rule does."""
    for rule in rules:
        held = rule.matches(values)
        if held is not None:
            return rule, held
    return None, []


# --- choosing a rep --------------------------------------------------------------------------
AWAY, INACTIVE, AT_CAPACITY, AT_LIMIT = "away", "inactive", "at_capacity", "at_limit"


@dataclass
class Candidate:
    """A rep as routing sees them at this moment."""

    id: int
    name: str
    active: bool = True
    away: dict | None = None  # {"until": iso, "reason": str} while away
    load: int = 0  # live claims holding a slot
    capacity: int = 0  # their capacity, or the team's claim limit
    limit: int = 0  # the team's claim limit (binds whatever the capacity)

    def refusal(self) -> str | None:
        if not self.active:
            return INACTIVE
        if self.away is not None:
            return AWAY
        if self.load >= self.capacity:
            return AT_CAPACITY
        if self.load >= self.limit:
            return AT_LIMIT
        return None

    def as_record(self, reason: str | None = None) -> dict:
        record = {"id": self.id, "name": self.name, "load": self.load, "capacity": self.capacity}
        if reason:
            record["reason"] = reason
            if reason == AWAY and self.away:
                # When they are back, and why they are away (the away period's reason).
                record["until"] = self.away["until"]
                record["note"] = self.away["reason"]
        return record


@dataclass
class Choice:
    rep: Candidate | None
    skipped: list[dict] = field(default_factory=list)


def choose_rep(method: str, roster: list[Candidate], last_rep_id: int | None) -> Choice:
    """The rep a team's next customer goes to. Round robin: the next eligible rep after the
    last one given a customer (in id order, wrapping). Least loaded: the eligible rep with the
    lowest load relative to capacity; ties go round robin. A rep who is inactive, away, at
    capacity or at the claim limit is skipped (and said why); None when nobody is eligible."""
    ordered = sorted(roster, key=lambda c: c.id)
    if last_rep_id is not None:
        after = [c for c in ordered if c.id > last_rep_id]
        ordered = after + [c for c in ordered if c.id <= last_rep_id]
    eligible, skipped = [], []
    for candidate in ordered:
        reason = candidate.refusal()
        if reason:
            skipped.append(candidate.as_record(reason))
        else:
            eligible.append(candidate)
    if not eligible:
        return Choice(rep=None, skipped=skipped)
    if method == "least_loaded":
        best = min(eligible, key=lambda c: c.load / max(c.capacity, 1))
        return Choice(rep=best, skipped=skipped)
    # Round robin skips only the reps between the last one and the chosen one.
    chosen = eligible[0]
    position = ordered.index(chosen)
    passed = {c.id for c in ordered[:position]}
    return Choice(rep=chosen, skipped=[s for s in skipped if s["id"] in passed])
