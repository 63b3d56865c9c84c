from django.db import transaction

from accounts.models import Team, User
from assignments.models import POLICY_FIELDS, PoolPolicy
from assignments.selectors import clear_policy_cache, get_global_policy
from crm.errors import PermissionDenied


@transaction.atomic
def update_policy(*, actor: User | None, team: Team | None, changes: dict) -> PoolPolicy:
    """Admins change the global policy or a team's overrides (None on a team = inherit)."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()
    if team is None:
        policy = get_global_policy()
    else:
        policy, _created = PoolPolicy.objects.get_or_create(team=team)
    for field, value in changes.items():
        if field in POLICY_FIELDS:
            setattr(policy, field, value)
    policy.save()
    clear_policy_cache()
    transaction.on_commit(clear_policy_cache)
    return policy
