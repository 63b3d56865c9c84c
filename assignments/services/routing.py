"""Routing a new customer by the territory rules (分配规则), inside its creation.

`route_new_customer` decides, under the team's routing-state lock and the chosen rep's row
lock, where a customer goes; the creation then runs the duplicate check and writes the lead,
and `record_route` writes the one history record that explains the decision and moves the
team's round-robin cursor. A refused duplicate rolls all of it back, cursor included.

Lock order (one everywhere): the routing state of the team, the chosen rep's row (their
claim limit and capacity), the duplicate-key locks, the lead row. Claims take a rep's row and
then a lead's, and nothing takes a routing state after a rep's row, so routing cannot
deadlock with them."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.models import Lead

from .. import access
from ..locks import lock_routing_state
from ..models import OwnershipEvent, RoutingState, TerritoryRule
from ..selectors.claims import count_claim_slots
from ..selectors.policies import EffectivePolicy
from ..selectors.territory import get_candidate, list_rules_in_force, read_roster, team_names
from ..territory import (
    AT_CAPACITY,
    AT_LIMIT,
    INACTIVE,
    Candidate,
    choose_rep,
    first_match,
    lead_values,
)
from .periods import assign_new_lead, record_ownership_event

Target = TerritoryRule.Target


@dataclass
class Route:
    """Where the rules send a customer: an owner (their row locked) or a pool, and why."""

    owner: User | None
    pool_team_id: int | None
    details: dict
    state: RoutingState | None = None
    skipped: list[dict] = field(default_factory=list)
    # Read under the owner's row lock: the team's policy and the owner's claim slots, so the
    # assignment checks the claim limit without reading them again.
    policy: EffectivePolicy | None = None
    held: int | None = None


def route_new_customer(*, fields: dict, now: datetime) -> Route | None:
    """The first rule the customer meets decides; None when there are no rules at all (the
    customer goes where it would have gone without them: the public pool)."""
    rules = list_rules_in_force()
    if not rules:
        return None
    rule, held = first_match(rules, lead_values(fields))
    details = {
        "via": "routing",
        "rule": rule.as_record() if rule else None,
        "matched": held,
        "method": rule.target_kind if rule else "no_rule",
        "skipped": [],
    }
    if rule is None or rule.target_kind == Target.PUBLIC_POOL:
        return Route(owner=None, pool_team_id=None, details=details)
    if rule.target_kind == Target.TEAM_POOL:
        return _to_pool(details, rule.target_team_id)
    if rule.target_kind == Target.REP:
        return _to_named_rep(details, rule.target_rep_id, now=now)
    return _to_team_rep(details, rule.target_team_id, method=rule.target_kind, now=now)


def _to_pool(
    details: dict, team_id: int | None, *, fallback: bool = False, team_name: str | None = None
) -> Route:
    details["team"] = _team_record(team_id, name=team_name)
    if fallback:
        details["fallback"] = "team_pool" if team_id is not None else "public_pool"
    return Route(owner=None, pool_team_id=team_id, details=details)


def _to_named_rep(details: dict, rep_id: int, *, now: datetime) -> Route:
    try:
        rep = lock_user(rep_id)
    except NotFound:
        return _to_pool(details, None, fallback=True)
    candidate = get_candidate(user=rep, now=now)
    reason = candidate.refusal() or (None if access.may_own(rep) else INACTIVE)
    if reason:
        details["skipped"] = [candidate.as_record(reason)]
        return _to_pool(details, rep.team_id, fallback=True)
    details["team"] = _team_record(rep.team_id)
    details["chosen"] = candidate.as_record()
    return Route(owner=rep, pool_team_id=rep.team_id, details=details)


def _to_team_rep(details: dict, team_id: int, *, method: str, now: datetime) -> Route:
    state = lock_routing_state(team_id)
    team = read_roster(team_id=team_id, now=now)
    roster = team.candidates
    skipped: list[dict] = []
    while True:
        choice = choose_rep(method, roster, state.last_rep_id)
        skipped += [s for s in choice.skipped if s["id"] not in {k["id"] for k in skipped}]
        if choice.rep is None:
            details["skipped"] = skipped
            return _to_pool(details, team_id, fallback=True, team_name=team.team_name)
        rep = lock_user(choice.rep.id)
        # Re-read under the rep's lock: a claim of theirs may have committed meanwhile.
        if _full_now(choice.rep, now=now):
            roster = [c for c in roster if c.id != choice.rep.id]
            skipped.append(choice.rep.as_record(_why_full(choice.rep)))
            continue
        details["team"] = _team_record(team_id, name=team.team_name)
        details["chosen"] = choice.rep.as_record()
        details["skipped"] = skipped
        return Route(
            owner=rep,
            pool_team_id=team_id,
            details=details,
            state=state,
            policy=team.policy if rep.team_id == team_id else None,
            held=choice.rep.load,
        )


def _full_now(candidate: Candidate, *, now: datetime) -> bool:
    candidate.load = count_claim_slots(owner_id=candidate.id, now=now)
    return candidate.refusal() in (AT_CAPACITY, AT_LIMIT)


def _why_full(candidate: Candidate) -> str:
    return candidate.refusal() or AT_CAPACITY


def _team_record(team_id: int | None, *, name: str | None = None) -> dict | None:
    if team_id is None:
        return None
    if name is None:
        name = team_names([team_id]).get(team_id, "")
    return {"id": team_id, "name": name}


def record_route(
    *, route: Route, lead: Lead, actor: User | None, now: datetime, extra: dict
) -> None:
    """The one history record of an automatic assignment (an `assign` to the chosen rep, or
    a `route` to a pool), the rep's notice, and the team's cursor. Caller holds the locks
    taken by `route_new_customer` and created `lead` in this transaction."""
    details = {**route.details, **extra}
    if route.owner is not None:
        assign_new_lead(
            lead=lead,
            owner=route.owner,
            actor=actor,
            now=now,
            details=details,
            policy=route.policy,
            held=route.held,
        )
        notify(
            [
                NewNotification(
                    user_id=route.owner.pk,
                    kind=Notification.Kind.ROUTED,
                    lead_id=lead.pk,
                    payload={"company": lead.company_name, "rule": details.get("rule")},
                )
            ]
        )
    else:
        record_ownership_event(
            lead=lead, kind=OwnershipEvent.Kind.ROUTE, actor=actor, details=details, at=now
        )
    if route.state is not None and route.owner is not None:
        route.state.last_rep_id = route.owner.pk
        route.state.updated_at = timezone.now()
        route.state.save(update_fields=["last_rep", "updated_at"])
