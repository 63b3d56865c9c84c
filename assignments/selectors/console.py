"""What the admin console (系统设置) shows of users and policies: ownership facts about
accounts (claims held, the claim limit a capacity defaults to), read for a whole page at once."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count

from accounts.models import AwayPeriod, Team, User

from .. import live
from ..models import (
    DEFAULT_POLICY,
    POLICY_FIELDS,
    Ownership,
    PoolPolicy,
    TerritoryRule,
    TerritoryRuleChange,
)
from .policies import get_global_policy


@dataclass(frozen=True)
class UserRow:
    user: User
    held: int  # live claims that count toward the limit (see `live`)
    capacity: int  # their own capacity, or the team's claim limit
    own_capacity: bool  # False: the capacity is the team's claim limit
    away: AwayPeriod | None  # the away period they are in now (the longest)


def claim_limits() -> dict[int | None, int]:
    """{team id: claim limit in force} for every team with its own limit, and under None the
    global limit (which a team without its own has). One query."""
    limits: dict[int | None, int] = {None: DEFAULT_POLICY["claim_limit"]}
    for team_id, limit in PoolPolicy.objects.values_list("team_id", "claim_limit"):
        if limit is not None:
            limits[team_id] = limit
    return limits


def list_user_rows(*, users: list[User], now: datetime) -> list[UserRow]:
    """The console's users table: three queries whatever the number of users."""
    ids = [u.pk for u in users]
    held = dict(
        Ownership.objects.filter(live.slot_q(now), owner_id__in=ids)
        .values("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    limits = claim_limits()
    away: dict[int, AwayPeriod] = {}
    for period in AwayPeriod.objects.filter(
        user_id__in=ids, starts_at__lte=now, ends_at__gt=now
    ).order_by("-ends_at"):
        away.setdefault(period.user_id, period)
    return [
        UserRow(
            user=u,
            held=held.get(u.pk, 0),
            capacity=u.capacity if u.capacity is not None else limits.get(u.team_id, limits[None]),
            own_capacity=u.capacity is not None,
            away=away.get(u.pk),
        )
        for u in users
    ]


@dataclass(frozen=True)
class PolicyScope:
    """The global policy (team None) or one team's overrides, beside what is in force."""

    team: Team | None
    policy: PoolPolicy | None  # the stored row (a team without overrides may have none)
    inherited: dict  # field -> the global value a team's empty field inherits


def list_policy_scopes() -> list[PolicyScope]:
    """The global policy first, then every team by name. Two queries."""
    rows = {p.team_id: p for p in PoolPolicy.objects.all()}
    base = rows.get(None) or get_global_policy()
    inherited = {f: getattr(base, f) for f in POLICY_FIELDS}
    scopes = [PolicyScope(team=None, policy=base, inherited=inherited)]
    for team in Team.objects.order_by("name"):
        scopes.append(PolicyScope(team=team, policy=rows.get(team.pk), inherited=inherited))
    return scopes


# --- territory rules -------------------------------------------------------------------------
def list_rules() -> list[TerritoryRule]:
    """Every rule (on and off) in the order they are tried, with the target's names."""
    return list(
        TerritoryRule.objects.select_related("target_rep", "target_team").order_by("position", "id")
    )


@dataclass
class RuleChangeRow:
    change: TerritoryRuleChange
    name: str  # the rule's name after the change (before it, for a deletion)


def list_rule_changes(*, limit: int) -> list[RuleChangeRow]:
    """The latest changes of the rules, newest first: who, when, what, which rule."""
    changes = TerritoryRuleChange.objects.select_related("actor").order_by("-at", "-id")[:limit]
    rows = []
    for change in changes:
        data = change.after if isinstance(change.after, dict) else change.before
        rows.append(RuleChangeRow(change=change, name=(data or {}).get("name", "")))
    return rows


def list_rule_editor_choices() -> dict:
    """What a rule can name: active reps (with their team) and teams."""
    return {
        "reps": list(
            User.objects.filter(role=User.Role.REP, is_active=True)
            .select_related("team")
            .order_by("team__name", "display_name")
        ),
        "teams": list(Team.objects.order_by("name")),
    }
