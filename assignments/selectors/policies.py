"""Pool policies as they apply: the global default with a team's overrides."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q

from ..models import DEFAULT_POLICY, MAX_POLICY_DURATION, POLICY_FIELDS, PoolPolicy


@dataclass(frozen=True)
class EffectivePolicy:
    claim_limit: int
    protection_period: timedelta
    followup_extension: timedelta
    max_protection: timedelta
    cooldown: timedelta

    def __post_init__(self) -> None:
        # A value stored before durations were bounded (or written past the service) must not
        # turn every claim, creation and follow-up of its team into an OverflowError: it is
        # read as the longest duration allowed.
        for field in ("protection_period", "followup_extension", "max_protection", "cooldown"):
            value = getattr(self, field)
            if value > MAX_POLICY_DURATION:
                object.__setattr__(self, field, MAX_POLICY_DURATION)
            elif value < timedelta(0):
                object.__setattr__(self, field, timedelta(0))
        for field in ("protection_period", "max_protection"):
            if getattr(self, field) <= timedelta(0):
                # A claim must end after it starts (a check constraint says so).
                object.__setattr__(self, field, timedelta(seconds=1))


def get_global_policy() -> PoolPolicy:
    policy, _created = PoolPolicy.objects.get_or_create(team=None, defaults=DEFAULT_POLICY)
    return policy


def get_effective_policy(*, team_id: int | None) -> EffectivePolicy:
    """The global policy with the team's overrides applied, read now (one query). Never
    cached: a rule decides on the policy in the database at that moment (rule 4), so a
    lowered limit binds in every process at once. The claim reads it inside its own
    statement (`get_claim_state`)."""
    rows = {
        p.team_id: p for p in PoolPolicy.objects.filter(Q(team__isnull=True) | Q(team_id=team_id))
    }
    base = rows.get(None) or get_global_policy()
    override = rows.get(team_id) if team_id is not None else None
    values = {}
    for field in POLICY_FIELDS:
        value = getattr(override, field, None) if override is not None else None
        values[field] = value if value is not None else getattr(base, field)
    return EffectivePolicy(**values)
