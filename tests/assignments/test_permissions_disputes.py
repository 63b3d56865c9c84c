"""Who may file, see, rule on and withdraw disputes (撞单申诉), for every role against every
endpoint of them, in the world of permissions_world.py: rep collided with `mate` (owned by
teammate, East: a refused claim logs the link) and disputes it. East's manager and admins
rule; the two reps see the dispute without the evidence; anyone else gets a 404. Every
refusal leaves disputes and owners exactly as they were."""

import pytest

from assignments.exceptions import AlreadyOwned
from assignments.models import Dispute
from assignments.services import claim_lead, file_dispute
from tests.assignments.permissions_world import ROLES, live_owner_id, snapshot

pytestmark = pytest.mark.django_db

SEES = {"rep", "teammate", "manager", "admin"}
EVIDENCE = {"manager", "admin"}
RULES = {"manager", "admin"}
ACTIONS = {"rule": {"ruling": "keep", "reason": "stays"}, "withdraw": {}}


def expected(action: str, role: str) -> tuple[int, str | None]:
    if role not in SEES:
        return 404, "not_found"
    if action == "GET":
        return 200, None
    allowed = {"rep"} if action == "withdraw" else RULES
    return (200, None) if role in allowed else (403, "permission_denied")


MATRIX = [(role, action, *expected(action, role)) for action in ("GET", *ACTIONS) for role in ROLES]
# Filing on `mate`: rep has a link; its owner is already the owner; an admin owns nothing;
# the others have no link (a 404, as for any customer they cannot see).
FILING = {
    "rep": (201, None),
    "teammate": (409, "already_owner"),
    "outsider": (404, "not_found"),
    "manager": (404, "not_found"),
    "other_manager": (404, "not_found"),
    "admin": (403, "permission_denied"),
}


@pytest.fixture
def dispute(world):
    rep = world.users["rep"]
    with pytest.raises(AlreadyOwned):
        claim_lead(lead_id=world.ids["mate"], actor=rep)
    return file_dispute(lead_id=world.ids["mate"], actor=rep, statement="mine")


def state():
    return snapshot() | {
        "disputes": list(Dispute.objects.order_by("pk").values_list("pk", "status", "ruling"))
    }


@pytest.mark.parametrize(
    ("role", "action", "status", "code"), MATRIX, ids=[f"{r}-{a}" for r, a, *_ in MATRIX]
)
def test_matrix(api, world, dispute, role, action, status, code):
    url = f"/api/v1/disputes/{dispute.pk}/"
    client = api(world.users[role])
    before = state()
    if action == "GET":
        response = client.get(url)
    else:
        response = client.post(f"{url}{action}/", ACTIONS[action], format="json")
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
        assert state() == before
        return
    body = response.json()
    assert body["id"] == dispute.pk
    assert (body["evidence"] is not None) == (role in EVIDENCE)
    final = Dispute.objects.get(pk=dispute.pk)
    if action == "GET":
        assert state() == before
    elif action == "rule":
        assert final.status == "ruled" and final.ruled_by == world.users[role]
        assert live_owner_id(dispute.lead_id) == world.ids["teammate"]
    else:
        assert final.status == "withdrawn"


@pytest.mark.parametrize("role", ROLES)
def test_filing(api, world, dispute, role):
    Dispute.objects.filter(pk=dispute.pk).update(status="withdrawn", ruled_at=dispute.filed_at)
    before = state()
    response = api(world.users[role]).post(
        f"/api/v1/leads/{world.ids['mate']}/disputes/", {"statement": "mine"}, format="json"
    )
    status, code = FILING[role]
    assert response.status_code == status, response.content
    if code is not None:
        assert response.json()["code"] == code
        assert state() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_what_it_may_see(api, world, dispute, role):
    response = api(world.users[role]).get("/api/v1/disputes/")
    assert response.status_code == 200
    shown = {row["id"] for row in response.json()["results"]}
    assert shown == ({dispute.pk} if role in SEES else set())


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/disputes/"),
        ("GET", "/api/v1/disputes/{id}/"),
        ("POST", "/api/v1/disputes/{id}/rule/"),
        ("POST", "/api/v1/disputes/{id}/withdraw/"),
        ("POST", "/api/v1/leads/{lead}/disputes/"),
    ],
)
def test_anonymous_gets_401_and_changes_nothing(api, world, dispute, method, path):
    url = path.format(id=dispute.pk, lead=world.ids["mate"])
    before = state()
    response = api().get(url) if method == "GET" else api().post(url, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert state() == before
