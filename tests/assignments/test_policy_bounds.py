"""Pool policy values a person can mistype are refused by the service, whichever door they
come through: a 400 with a code, never a 500 or a policy nobody meant."""

from datetime import timedelta

import pytest

from assignments.exceptions import InvalidPolicy
from assignments.selectors import get_effective_policy, get_global_policy
from assignments.services import update_policy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "changes",
    [
        {"protection_period": timedelta(days=3651)},
        {"cooldown": timedelta(days=-1)},
        {"protection_period": timedelta(0)},
        {"max_protection": timedelta(0)},
        {"claim_limit": -1},
        {"claim_limit": 100_001},
        {"claim_limit": "ten"},
    ],
)
def test_out_of_bounds_values_are_refused(team, changes):
    get_global_policy()
    for scope in (None, team):
        with pytest.raises(InvalidPolicy) as refused:
            update_policy(actor=None, team=scope, changes=changes)
        assert refused.value.extra["field"] == next(iter(changes))
    assert get_effective_policy(team_id=team.pk) == get_effective_policy(team_id=None)
    assert get_global_policy().protection_period == timedelta(days=7)


def test_bounds_themselves_are_fine(team):
    update_policy(
        actor=None,
        team=team,
        changes={
            "max_protection": timedelta(days=3650),
            "cooldown": timedelta(0),
            "claim_limit": 0,
        },
    )
    policy = get_effective_policy(team_id=team.pk)
    assert (policy.max_protection, policy.cooldown, policy.claim_limit) == (
        timedelta(days=3650),
        timedelta(0),
        0,
    )


def test_the_api_answers_an_absurd_duration_with_a_400(api, admin_user, team):
    client = api(admin_user)
    for url in ("/api/v1/policy/", f"/api/v1/teams/{team.pk}/policy/"):
        response = client.patch(url, {"max_protection": "99999999 00:00:00"}, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid_policy"
    assert get_effective_policy(team_id=team.pk).max_protection == timedelta(days=30)
