"""Who may see and do what, for every role against every API endpoint (rule 6: enforced on
the server for every request).

The world, the matrix and the helpers are in permissions_world.py; the `world` fixture is in
conftest.py. Also: test_permissions_scope.py (creating, listing, masking) and
test_permissions_pages.py (the pages ask the same access rules).
"""

import pytest

from accounts.models import Team, User
from assignments.models import OwnershipEvent, PoolPolicy
from assignments.selectors import get_global_policy
from leads.models import FollowUp, Lead
from tests.assignments.permissions_world import (
    ENDPOINTS,
    MATRIX,
    ROLES,
    World,
    kind_of,
    live_owner_id,
    placeholder,
    snapshot,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def assert_done(world: World, role: str, method: str, template: str, response, before) -> None:
    """A granted write did what it says (so a 2xx that silently did nothing fails)."""
    actor = world.users[role]
    kind = kind_of(template)
    body = response.json()
    if method == "GET":
        if kind == "lead":
            assert body["id"] == world.ids[placeholder(template)]
        elif kind == "me":
            assert body["id"] == actor.pk
        else:
            assert "results" in body or "claim_limit" in body
        return
    # The lead (or, for a team's policy, the team) named in the path.
    target_id = world.ids[placeholder(template)] if "{" in template else None
    if kind == "leads":
        assert Lead.objects.count() == len(before["leads"]) + 1
    elif kind == "claim":
        assert live_owner_id(target_id) == actor.pk
    elif kind == "release":
        assert live_owner_id(target_id) is None
        event = OwnershipEvent.objects.filter(lead_id=target_id).latest("id")
        assert (event.kind, event.actor_id, event.reason) == ("release", actor.pk, "Not a fit")
    elif kind == "followups":
        assert FollowUp.objects.count() == before["followups"] + 1
        assert FollowUp.objects.latest("id").author_id == actor.pk
    elif kind == "reassign":
        target = world.ids[template.split(" -> ")[1]]
        assert live_owner_id(target_id) == target
        event = OwnershipEvent.objects.filter(lead_id=target_id).latest("id")
        assert (event.kind, event.actor_id, event.to_owner_id) == ("reassign", actor.pk, target)
    elif kind == "policy":
        assert get_global_policy().claim_limit == 7
    elif kind == "team_policy":
        assert PoolPolicy.objects.get(team_id=target_id).claim_limit == 3
    elif kind == "users":
        assert User.objects.filter(username="dora", role="rep").exists()
    elif kind == "teams":
        assert Team.objects.filter(name="North").exists()
    else:  # pragma: no cover - a new endpoint in the table needs a check here
        raise AssertionError(f"no effect check for {kind}")


def call(client, method: str, url: str, body: dict | None):
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, body, format="json")


@pytest.mark.parametrize(("role", "method", "path", "status", "code"), MATRIX)
def test_permission_matrix(api, world, role, method, path, status, code):
    """One request by one role. Refusals and reads change nothing; refusals say nothing more
    than their code (a 404 does not even admit that the lead exists)."""
    client = api(world.users[role])
    before = snapshot()

    response = call(client, method, world.url(path), world.body(method, path))

    assert response.status_code == status, response.content
    body = response.json()
    if code is not None:
        assert body["code"] == code
    if status >= 400 or method == "GET":
        assert snapshot() == before
    if status >= 400:
        leaked = set(body) - {"code", "detail"}
        if code == "already_owned":
            # A collision says who owns the customer and until when, and nothing else.
            assert leaked == {"owner", "protected_until"}
            assert set(body["owner"]) == {"id", "display_name"}
        else:
            assert leaked == set(), body
    else:
        assert_done(world, role, method, path, response, before)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_gets_401_everywhere_and_changes_nothing(api, world, method, path):
    before = snapshot()
    response = call(api(), method, world.url(path), world.body(method, path))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert snapshot() == before


def test_a_bad_token_is_401(api, world):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_anonymous_may_obtain_a_token(api, world):
    response = api().post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/me/").json()["id"] == world.ids["rep"]


def test_matrix_covers_every_endpoint_for_every_role():
    """Guard the table itself: each signed-in role meets each endpoint at least once."""
    covered = {(role, method, kind_of(path)) for role, method, path, *_ in _rows(MATRIX)}
    for role in ROLES:
        for method, path in ENDPOINTS:
            assert (role, method, kind_of(path)) in covered, (role, method, path)


def _rows(table):
    for row in table:
        yield row.values if hasattr(row, "values") else row
