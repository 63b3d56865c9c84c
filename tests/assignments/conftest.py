"""Fixtures of the assignment tests: `world`, the permission tests' world (its tables and
helpers are in permissions_world.py)."""

import pytest

from assignments.selectors import get_global_policy
from assignments.services import claim_lead
from tests.assignments.permissions_world import World


@pytest.fixture
def world(rep, teammate, outsider, manager, other_manager, admin_user, team, other_team, make_lead):
    get_global_policy()
    leads = {
        "own": make_lead(actor=rep),
        "mate": make_lead(actor=teammate),
        "foreign": make_lead(actor=outsider),
        "claimed": make_lead(),
        "cross": make_lead(actor=admin_user, owner_id=rep.pk, pool_team_id=other_team.pk),
        "pool": make_lead(),
        "team_pool": make_lead(pool_team_id=team.pk),
        "other_pool": make_lead(pool_team_id=other_team.pk),
    }
    claim_lead(lead_id=leads["claimed"].pk, actor=outsider)
    users = {
        "rep": rep,
        "teammate": teammate,
        "outsider": outsider,
        "manager": manager,
        "other_manager": other_manager,
        "admin": admin_user,
    }
    ids = {name: lead.pk for name, lead in leads.items()}
    ids |= {name: user.pk for name, user in users.items()}
    ids |= {"team": team.pk, "other_team": other_team.pk, "no_team": 999_999, "nobody": 999_999}
    return World(users={**users, "anonymous": None}, ids=ids)
