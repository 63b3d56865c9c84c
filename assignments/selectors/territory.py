"""What routing decides on: the territory rules in force and a team's reps as routing sees
them (active, away, load against capacity)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import AwayPeriod, Team, User
from crm.sql import db_value

from .. import live
from ..models import TerritoryRule
from ..territory import Candidate, Rule
from .policies import EffectivePolicy, get_effective_policy

_cache: dict[str, object] = {"signature": None, "rules": ()}


def rule_data(rule: TerritoryRule) -> dict:
    """A stored rule as plain data (what `territory.Rule.from_data` and the change log take)."""
    return {
        "id": rule.pk,
        "name": rule.name,
        "position": rule.position,
        "active": rule.active,
        "version": rule.version,
        "conditions": rule.conditions,
        "target_kind": rule.target_kind,
        "target_rep_id": rule.target_rep_id,
        "target_team_id": rule.target_team_id,
    }


_SIGNATURE_SQL = """
SELECT (SELECT count(*) FROM assignments_territoryrulechange),
       (SELECT count(*) FROM assignments_territoryrule),
       (SELECT max(updated_at) FROM assignments_territoryrule)
"""


def list_rules_in_force() -> tuple[Rule, ...]:
    """The active rules in order, compiled. A process keeps the compiled set and checks its
    version inside the caller's transaction every time, so an edit binds every process at
    its next creation. The version is the number of recorded rule changes (every change
    through the services writes one, and rows are never deleted, so the count only grows as
    changes commit — unlike a latest timestamp or id, which an earlier-started edit that
    commits later would not raise), with the rule table's size and latest edit for changes
    made around the services (the Django admin)."""
    with connection.cursor() as cursor:
        cursor.execute(_SIGNATURE_SQL)
        signature = tuple(cursor.fetchone())
    if _cache["signature"] != signature:
        rules = TerritoryRule.objects.filter(active=True).order_by("position", "id")
        compiled = tuple(Rule.from_data(rule_data(r)) for r in rules)
        _cache["rules"], _cache["signature"] = compiled, signature
    return _cache["rules"]


_ROSTER_SQL = f"""
SELECT u.id, u.display_name, u.is_active, u.capacity,
       (SELECT count(*) FROM assignments_ownership o
         WHERE o.owner_id = u.id AND {live.SLOT_SQL.sql()}),
       EXISTS (SELECT 1 FROM accounts_awayperiod a
                WHERE a.user_id = u.id AND a.starts_at <= %s AND a.ends_at > %s),
       t.name
  FROM accounts_team t LEFT JOIN accounts_user u ON u.team_id = t.id AND u.role = %s
 WHERE t.id = %s
 ORDER BY u.id
"""  # noqa: S608 - only the fixed slot condition is formatted in


@dataclass
class Roster:
    """A team as routing sees it now: its name, its policy and its reps with their loads."""

    team_name: str
    policy: EffectivePolicy
    candidates: list[Candidate]


def read_roster(*, team_id: int, now: datetime) -> Roster:
    """The team's reps as routing sees them now, in two statements (the policy; the reps
    with their loads, whether they are away and the team's name) and a third only when
    someone is away (until when, and why)."""
    policy = get_effective_policy(team_id=team_id)
    limit = policy.claim_limit
    at = db_value(AwayPeriod._meta.get_field("starts_at"), now)
    with connection.cursor() as cursor:
        cursor.execute(_ROSTER_SQL, [*live.SLOT_SQL.params(now), at, at, User.Role.REP, team_id])
        rows = cursor.fetchall()
    team_name = rows[0][6] if rows else ""
    rows = [row for row in rows if row[0] is not None]
    away = away_now([row[0] for row in rows if row[5]], now=now) if any(r[5] for r in rows) else {}
    candidates = [
        Candidate(
            id=rep_id,
            name=name,
            active=bool(active),
            away=away.get(rep_id),
            load=load,
            capacity=capacity if capacity is not None else limit,
            limit=limit,
        )
        for rep_id, name, active, capacity, load, _away, _team in rows
    ]
    return Roster(team_name=team_name, policy=policy, candidates=candidates)


def list_candidates(*, team_id: int, now: datetime) -> list[Candidate]:
    """The team's reps as routing sees them now (`read_roster`)."""
    return read_roster(team_id=team_id, now=now).candidates


def get_candidate(*, user: User, now: datetime) -> Candidate:
    """One rep as routing sees them (a rule that names the rep)."""
    limit = get_effective_policy(team_id=user.team_id).claim_limit
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM assignments_ownership o WHERE o.owner_id = %s AND {live.SLOT_SQL.sql()}",  # noqa: S608, E501
            [user.pk, *live.SLOT_SQL.params(now)],
        )
        load = cursor.fetchone()[0]
    capacity = User.objects.filter(pk=user.pk).values_list("capacity", flat=True).first()
    return Candidate(
        id=user.pk,
        name=user.display_name,
        active=user.is_active,
        away=away_now([user.pk], now=now).get(user.pk),
        load=load,
        capacity=capacity if capacity is not None else limit,
        limit=limit,
    )


def away_now(user_ids: Iterable[int], *, now: datetime) -> dict[int, dict]:
    """{user id: {"until", "reason"}} for those away at `now`."""
    away: dict[int, dict] = {}
    periods = AwayPeriod.objects.filter(
        user_id__in=list(user_ids), starts_at__lte=now, ends_at__gt=now
    ).order_by("-ends_at")
    for period in periods:
        away.setdefault(
            period.user_id,
            {"until": timezone.localtime(period.ends_at).isoformat(), "reason": period.reason},
        )
    return away


def team_names(team_ids: Iterable[int]) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=set(team_ids)).values_list("id", "name"))


def clear_rules_cache() -> None:
    """Forget the compiled rules (tests reuse database ids after each rollback)."""
    _cache["signature"], _cache["rules"] = None, ()
