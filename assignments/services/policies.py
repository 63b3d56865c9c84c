from django.db import transaction

from accounts.models import Team, User

from .. import access
from ..models import POLICY_FIELDS, PoolPolicy
from ..selectors.policies import get_global_policy


@transaction.atomic
def update_policy(*, actor: User | None, team: Team | None, changes: dict) -> PoolPolicy:
    """Admins change the global policy or a team's overrides (None on a team = inherit).
    Nothing keeps a copy: every rule reads the policy in its own transaction."""
    access.ensure_can_change_policies(actor)
    if team is None:
        policy = get_global_policy()
    else:
        policy, _created = PoolPolicy.objects.get_or_create(team=team)
    for field, value in changes.items():
        if field in POLICY_FIELDS:
            setattr(policy, field, value)
    policy.save()
    return policy
