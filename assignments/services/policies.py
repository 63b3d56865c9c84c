from datetime import timedelta

from django.db import transaction

from accounts import audit
from accounts.models import Team, User

from .. import access
from ..exceptions import InvalidPolicy
from ..models import MAX_POLICY_DURATION, POLICY_FIELDS, PoolPolicy
from ..selectors.policies import get_global_policy

MAX_CLAIM_LIMIT = 100_000
MAX_DURATION = MAX_POLICY_DURATION
_DURATIONS = ("protection_period", "followup_extension", "max_protection", "cooldown")


@transaction.atomic
def update_policy(*, actor: User | None, team: Team | None, changes: dict) -> PoolPolicy:
    """Admins change the global policy or a team's overrides (None on a team = inherit).
    Nothing keeps a copy: every rule reads the policy in its own transaction."""
    access.ensure_can_change_policies(actor)
    check_policy_bounds(changes)
    if team is None:
        policy = get_global_policy()
    else:
        policy, _created = PoolPolicy.objects.get_or_create(team=team)
    before = _summary(policy)
    for field, value in changes.items():
        if field in POLICY_FIELDS:
            setattr(policy, field, value)
    policy.save()
    old, new = audit.diff(before, _summary(policy))
    if new:
        audit.record_event(
            kind=audit.Kind.POLICY_CHANGED,
            actor=actor,
            obj=policy,
            object_type="pool_policy",
            object_repr=team.name if team is not None else "global",
            action="update",
            before=old,
            after=new,
        )
    return policy


def _summary(policy: PoolPolicy) -> dict:
    """The policy's fields as plain values (durations in seconds) for the audit record."""
    values = {}
    for field in POLICY_FIELDS:
        value = getattr(policy, field)
        values[field] = value.total_seconds() if isinstance(value, timedelta) else value
    return values


def check_policy_bounds(changes: dict) -> None:
    """Values a person can mistype (a duration of 99999 days) are refused here, whichever door
    they came through; an empty value on a team means "inherit" and is always fine."""
    for field, value in changes.items():
        if value is None:
            continue
        if field == "claim_limit":
            ok = isinstance(value, int) and 0 <= value <= MAX_CLAIM_LIMIT
        elif field in _DURATIONS:
            # A claim (or its cap) that ends as it starts would be no claim at all.
            low = timedelta(0)
            ok = isinstance(value, timedelta) and low <= value <= MAX_DURATION
            ok = ok and (value > low or field not in ("protection_period", "max_protection"))
        else:
            ok = True
        if not ok:
            raise InvalidPolicy(field=field)
