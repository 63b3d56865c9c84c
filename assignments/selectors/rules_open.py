"""The rules in the open (透明): what each user may read of the rules in force. A rep reads
their team's pool policy, the territory rules that can send customers to them (rules naming
them or their team, and the public pool's) and their own capacity and away period; a manager
the same for the teams they run and those teams' reps; an admin everything. A rule that sends
customers only to another team or another rep is not shown to a rep."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import AwayPeriod, Team, User

from .. import access
from ..models import TerritoryRule
from .policies import EffectivePolicy, get_effective_policy

Target = TerritoryRule.Target
TEAM_TARGETS = (Target.ROUND_ROBIN, Target.LEAST_LOADED, Target.TEAM_POOL)


@dataclass(frozen=True)
class ScopedPolicy:
    team: Team | None  # None: the global policy (what a team without overrides follows)
    policy: EffectivePolicy


@dataclass(frozen=True)
class Availability:
    """A rep as routing will treat them: how many live claims it may give them, and their
    current (or next) away period."""

    rep: User
    capacity: int
    own_capacity: bool  # set on the rep; otherwise their team's claim limit
    away: AwayPeriod | None
    away_now: bool


@dataclass(frozen=True)
class RulesInOpen:
    policies: list[ScopedPolicy]
    rules: list[TerritoryRule]
    reps: list[Availability]


def _team_ids(user: User) -> set[int]:
    if user.is_admin:
        return set(Team.objects.values_list("id", flat=True))
    if user.is_manager:
        return access.pool_team_ids(user)
    return {user.team_id} if user.team_id else set()


def list_visible_rules(*, user: User) -> list[TerritoryRule]:
    """The active territory rules, in the order they are tried, that the user may read."""
    rules = TerritoryRule.objects.filter(active=True).select_related("target_rep", "target_team")
    if not user.is_admin:
        team_ids = _team_ids(user)
        rep_ids = {user.pk}
        if user.is_manager and team_ids:
            rep_ids |= set(User.objects.filter(team_id__in=team_ids).values_list("id", flat=True))
        rules = rules.filter(
            Q(target_kind=Target.PUBLIC_POOL)
            | Q(target_kind=Target.REP, target_rep_id__in=rep_ids)
            | Q(target_kind__in=TEAM_TARGETS, target_team_id__in=team_ids)
        )
    return list(rules.order_by("position", "id"))


def _availability(reps: list[User], limits: dict[int | None, int], now: datetime):
    periods: dict[int, AwayPeriod] = {}
    upcoming = AwayPeriod.objects.filter(user__in=reps, ends_at__gt=now).order_by("starts_at")
    for period in upcoming:
        periods.setdefault(period.user_id, period)
    for rep in reps:
        away = periods.get(rep.pk)
        limit = limits.get(rep.team_id, limits[None])
        yield Availability(
            rep=rep,
            capacity=rep.capacity if rep.capacity is not None else limit,
            own_capacity=rep.capacity is not None,
            away=away,
            away_now=away is not None and away.starts_at <= now,
        )


def get_rules_in_open(*, user: User, now: datetime | None = None) -> RulesInOpen:
    now = now or timezone.now()
    team_ids = _team_ids(user)
    teams = list(Team.objects.filter(pk__in=team_ids).order_by("name"))
    policies = [ScopedPolicy(team=t, policy=get_effective_policy(team_id=t.pk)) for t in teams]
    if user.is_admin or not teams:
        policies.insert(0, ScopedPolicy(team=None, policy=get_effective_policy(team_id=None)))
    limits = {p.team.pk if p.team else None: p.policy.claim_limit for p in policies}
    limits.setdefault(None, get_effective_policy(team_id=None).claim_limit)
    if user.is_admin or user.is_manager:
        reps = User.objects.filter(is_active=True, role=User.Role.REP)
        if not user.is_admin:
            reps = reps.filter(team_id__in=team_ids)
        reps = list(reps.select_related("team").order_by("team__name", "display_name", "id"))
    else:
        reps = [user] if access.may_own(user) else []
    return RulesInOpen(
        policies=policies,
        rules=list_visible_rules(user=user),
        reps=list(_availability(reps, limits, now)),
    )
