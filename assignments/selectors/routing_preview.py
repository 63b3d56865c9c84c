"""Preview before saving: how the last N customers created would have been routed by an
edited set of territory rules, next to what happened to each when it was created.

The simulation decides as routing does (`territory.first_match`, `territory.choose_rep`)
from today's state: each team's round-robin cursor, each rep's live claims against their
capacity, who is away or deactivated. It walks the customers oldest first and counts what
it gives each rep, so round robin turns and loads grow as they would have. It reads in a
fixed number of statements per team and rep it meets (never per customer) and writes
nothing.

A destination is a rep, a team's pool or the public pool. A customer counts as a
difference when its destination changes, except that two reps of the same team are the
same answer to a round-robin or least-loaded rule (which of them comes up depends only on
the turn)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from leads.models import Lead

from .. import access
from ..exceptions import InvalidRule
from ..models import OwnershipEvent, RoutingState, TerritoryRule
from ..rule_input import clean_rule
from ..territory import FIELDS, Candidate, Rule, choose_rep, first_match, lead_values
from .territory import get_candidate, list_candidates, list_rules_in_force, team_names

Target = TerritoryRule.Target
REP, TEAM_POOL, PUBLIC_POOL = "rep", "team_pool", "public_pool"
TEAM_METHODS = (Target.ROUND_ROBIN, Target.LEAST_LOADED)
DEFAULT_LIMIT, MAX_LIMIT = 200, 1000
MAX_RULES = 1000


def compile_rules(raw_rules) -> tuple[Rule, ...]:
    """Edited rules (the API's shape, in the order they are tried) compiled; the inactive
    ones are left out. An invalid rule is refused, naming it."""
    if not isinstance(raw_rules, list):
        raise InvalidRule(_("“rules” is a list of rules."))
    if len(raw_rules) > MAX_RULES:
        raise InvalidRule(_("At most %(n)d rules.") % {"n": MAX_RULES})
    compiled = []
    for number, raw in enumerate(raw_rules, start=1):
        try:
            values = clean_rule(raw, require_active_rep=False)
        except InvalidRule as exc:
            raise InvalidRule(
                _("Rule %(n)d: %(error)s") % {"n": number, "error": exc.message}
            ) from exc
        if not values["active"]:
            continue
        rule_id = raw.get("id")
        values["id"] = (
            rule_id if isinstance(rule_id, int) and not isinstance(rule_id, bool) else None
        )
        values["version"] = raw.get("version") if isinstance(raw.get("version"), int) else 0
        compiled.append(Rule.from_data(values))
    return tuple(compiled)


@dataclass
class _Simulation:
    """Routing's state as the simulation moves it: reps (shared between the teams' rosters
    and the rules that name them, so loads add up), rosters and cursors."""

    now: datetime
    reps: dict[int, Candidate] = field(default_factory=dict)
    users: dict[int, User | None] = field(default_factory=dict)
    rosters: dict[int, list[Candidate]] = field(default_factory=dict)
    cursors: dict[int, int | None] = field(default_factory=dict)

    def roster(self, team_id: int) -> list[Candidate]:
        if team_id not in self.rosters:
            fetched = list_candidates(team_id=team_id, now=self.now)
            self.rosters[team_id] = [self.reps.setdefault(c.id, c) for c in fetched]
            self.cursors[team_id] = (
                RoutingState.objects.filter(team_id=team_id)
                .values_list("last_rep_id", flat=True)
                .first()
            )
        return self.rosters[team_id]

    def named(self, rep_id: int) -> tuple[User | None, Candidate | None]:
        if rep_id not in self.users:
            self.users[rep_id] = User.objects.filter(pk=rep_id).first()
        user = self.users[rep_id]
        if user is None:
            return None, None
        if rep_id not in self.reps:
            self.reps[rep_id] = get_candidate(user=user, now=self.now)
        return user, self.reps[rep_id]

    def route(self, rule: Rule | None) -> dict:
        """Where routing would send the next customer that meets `rule`."""
        if rule is None or rule.target_kind == Target.PUBLIC_POOL:
            return {"kind": PUBLIC_POOL}
        if rule.target_kind == Target.TEAM_POOL:
            return {"kind": TEAM_POOL, "team": rule.target_team_id}
        if rule.target_kind == Target.REP:
            user, candidate = self.named(rule.target_rep_id)
            if user is None:
                return {"kind": PUBLIC_POOL, "fallback": True}
            if candidate.refusal() or not access.may_own(user):
                if user.team_id is None:
                    return {"kind": PUBLIC_POOL, "fallback": True}
                return {"kind": TEAM_POOL, "team": user.team_id, "fallback": True}
            candidate.load += 1
            return {"kind": REP, "rep": candidate.id}
        team_id = rule.target_team_id
        choice = choose_rep(rule.target_kind, self.roster(team_id), self.cursors[team_id])
        if choice.rep is None:
            return {"kind": TEAM_POOL, "team": team_id, "fallback": True}
        choice.rep.load += 1
        self.cursors[team_id] = choice.rep.id
        return {"kind": REP, "rep": choice.rep.id, "team": team_id}


def _key(destination: Mapping) -> tuple:
    if destination["kind"] == REP:
        return (REP, destination["rep"])
    if destination["kind"] == TEAM_POOL and destination.get("team") is not None:
        return (TEAM_POOL, destination["team"])
    return (PUBLIC_POOL,)


def _actual(lead: Mapping, event: Mapping | None) -> dict:
    """What happened at the customer's creation: the rep it was given (by the rules, or by
    whoever created it), the pool the rules sent it to, or the pool it was created in."""
    details = (event or {}).get("details") or {}
    routed = details.get("via") == "routing"
    rule = details.get("rule") if routed else None
    via = {"via": "routing" if routed else "created", "rule": rule}
    if event is not None and event["kind"] == OwnershipEvent.Kind.ASSIGN:
        return {"kind": REP, "rep": event["to_owner_id"], **via}
    if lead["pool_team_id"] is not None:
        return {"kind": TEAM_POOL, "team": lead["pool_team_id"], **via}
    return {"kind": PUBLIC_POOL, **via}


def _same(actual: Mapping, proposed: Mapping, method: str | None) -> bool:
    if _key(actual) == _key(proposed):
        return True
    return (
        method in TEAM_METHODS
        and actual["kind"] == REP == proposed["kind"]
        and actual.get("team") is not None
        and actual.get("team") == proposed.get("team")
    )


def _name(destinations: Iterable[dict]) -> None:
    """Add rep and team names (and a rep's team) in two statements."""
    destinations = list(destinations)
    rep_ids = {d["rep"] for d in destinations if d["kind"] == REP}
    reps = {
        row["id"]: row
        for row in User.objects.filter(pk__in=rep_ids).values("id", "display_name", "team_id")
    }
    for d in destinations:
        if d["kind"] == REP:
            rep = reps.get(d["rep"], {})
            d["rep_name"] = rep.get("display_name", "")
            if d.get("team") is None:
                d["team"] = rep.get("team_id")
    teams = team_names(d["team"] for d in destinations if d.get("team") is not None)
    for d in destinations:
        if d.get("team") is not None:
            d["team_name"] = teams.get(d["team"], "")


def _plain(destination: Mapping) -> dict:
    """A destination as the answer shows it (the same keys for every kind)."""
    return {
        "kind": destination["kind"],
        "rep": destination.get("rep"),
        "rep_name": destination.get("rep_name", ""),
        "team": destination.get("team"),
        "team_name": destination.get("team_name", ""),
    }


_KIND_ORDER = {REP: 0, TEAM_POOL: 1, PUBLIC_POOL: 2}


def preview_routing(
    *, rules: list[dict] | None = None, limit: int = DEFAULT_LIMIT, now: datetime | None = None
) -> dict:
    """How the last `limit` customers created (newest first, merged ones left out) would be
    routed by `rules` (edited, unsaved, in the order they are tried; None: the rules in
    force), next to what happened to each at its creation.

    Answers {"count", "rules", "targets": [{"target", "proposed", "actual"}], "differences":
    [{"lead", "company_name", "created_at", "actual", "proposed", "rule"}]}, a target being
    {kind: rep|team_pool|public_pool, rep, rep_name, team, team_name}."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidRule(_("Preview between 1 and %(n)d customers.") % {"n": MAX_LIMIT})
    compiled = list_rules_in_force() if rules is None else compile_rules(rules)
    now = now or timezone.now()
    leads = list(
        Lead.objects.filter(merged_into__isnull=True)
        .order_by("-id")
        .values("id", "company_name", "created_at", "pool_team_id", *FIELDS)[:limit]
    )
    events: dict[int, dict] = {}
    for event in (
        OwnershipEvent.objects.filter(
            lead_id__in=[lead["id"] for lead in leads],
            kind__in=[OwnershipEvent.Kind.ASSIGN, OwnershipEvent.Kind.ROUTE],
        )
        .order_by("at", "id")
        .values("lead_id", "kind", "to_owner_id", "details")
    ):
        events.setdefault(event["lead_id"], event)

    simulation = _Simulation(now=now)
    rows = []
    # Oldest first, as they came: round robin turns and loads grow in that order.
    for lead in reversed(leads):
        rule, _held = first_match(compiled, lead_values(lead))
        rows.append(
            {
                "lead": lead,
                "rule": rule,
                "proposed": simulation.route(rule),
                "actual": _actual(lead, events.get(lead["id"])),
            }
        )
    rows.reverse()
    _name([row["proposed"] for row in rows] + [row["actual"] for row in rows])

    counts: dict[tuple, dict] = {}
    for row in rows:
        for side in ("proposed", "actual"):
            entry = counts.setdefault(
                _key(row[side]), {"target": _plain(row[side]), "proposed": 0, "actual": 0}
            )
            entry[side] += 1
    targets = sorted(
        counts.values(),
        key=lambda e: (
            _KIND_ORDER[e["target"]["kind"]],
            e["target"]["team_name"],
            e["target"]["rep_name"],
        ),
    )
    differences = [
        {
            "lead": row["lead"]["id"],
            "company_name": row["lead"]["company_name"],
            "created_at": row["lead"]["created_at"],
            "actual": {
                **_plain(row["actual"]),
                "via": row["actual"]["via"],
                "rule": row["actual"]["rule"],
            },
            "proposed": {
                **_plain(row["proposed"]),
                "fallback": bool(row["proposed"].get("fallback")),
            },
            "rule": {"id": row["rule"].id, "name": row["rule"].name} if row["rule"] else None,
        }
        for row in rows
        if not _same(row["actual"], row["proposed"], row["rule"] and row["rule"].target_kind)
    ]
    return {
        "count": len(rows),
        "rules": len(compiled),
        "targets": targets,
        "differences": differences,
    }
