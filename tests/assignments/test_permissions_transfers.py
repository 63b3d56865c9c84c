"""Who may see and decide transfer requests (转移审批), for every role against every endpoint
of them. Two requests, both by rep (East), in the world of permissions_world.py:

    east   for `mate` (owned by teammate, East): East's manager decides
    south  for `claimed` (owned by outsider, South, in the public pool): South's decides

The requester's own manager sees a request to another team but does not decide it; the
owner is told of the outcome but does not see the request; anyone else gets a 404. Every
refusal leaves requests and owners exactly as they were."""

import pytest

from assignments.models import OwnershipEvent, TransferRequest
from assignments.services import request_transfer
from tests.assignments.permissions_world import ROLES, live_owner_id, snapshot

pytestmark = pytest.mark.django_db

SEES = {
    "east": {"rep", "manager", "admin"},
    "south": {"rep", "manager", "other_manager", "admin"},
}
DECIDES = {"east": {"manager", "admin"}, "south": {"other_manager", "admin"}}
ACTIONS = {"approve": {"reason": "ok"}, "reject": {"reason": "no"}, "withdraw": {}}


def expected(action: str, role: str, request: str) -> tuple[int, str | None]:
    if role not in SEES[request]:
        return 404, "not_found"
    if action == "GET":
        return 200, None
    allowed = {"rep"} if action == "withdraw" else DECIDES[request]
    return (200, None) if role in allowed else (403, "permission_denied")


MATRIX = [
    (role, action, request, *expected(action, role, request))
    for request in ("east", "south")
    for action in ("GET", *ACTIONS)
    for role in ROLES
]


@pytest.fixture
def requests_(world):
    rep = world.users["rep"]
    return {
        "east": request_transfer(lead_id=world.ids["mate"], actor=rep, reason="mine"),
        "south": request_transfer(lead_id=world.ids["claimed"], actor=rep, reason="mine"),
    }


def state():
    return snapshot() | {
        "requests": list(
            TransferRequest.objects.order_by("pk").values_list("pk", "status", "decided_by_id")
        )
    }


@pytest.mark.parametrize(
    ("role", "action", "which", "status", "code"),
    MATRIX,
    ids=[f"{r}-{a}-{q}" for r, a, q, *_ in MATRIX],
)
def test_matrix(api, world, requests_, role, action, which, status, code):
    transfer = requests_[which]
    url = f"/api/v1/transfer-requests/{transfer.pk}/"
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
    assert body["id"] == transfer.pk
    final = TransferRequest.objects.get(pk=transfer.pk)
    if action == "GET":
        assert state() == before
    elif action == "approve":
        assert final.status == "approved" and final.decided_by == world.users[role]
        assert live_owner_id(transfer.lead_id) == world.ids["rep"]
        assert OwnershipEvent.objects.filter(kind="transfer", actor=world.users[role]).count() == 1
    elif action == "reject":
        assert final.status == "rejected" and final.decided_by == world.users[role]
        assert live_owner_id(transfer.lead_id) == transfer.owner_id
    else:
        assert final.status == "withdrawn"
        assert live_owner_id(transfer.lead_id) == transfer.owner_id


@pytest.mark.parametrize("role", ROLES)
def test_the_list_shows_each_role_what_it_may_see(api, world, requests_, role):
    response = api(world.users[role]).get("/api/v1/transfer-requests/")
    assert response.status_code == 200
    shown = {row["id"] for row in response.json()["results"]}
    assert shown == {requests_[name].pk for name in SEES if role in SEES[name]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/transfer-requests/"),
        ("GET", "/api/v1/transfer-requests/{id}/"),
        ("POST", "/api/v1/transfer-requests/{id}/approve/"),
        ("POST", "/api/v1/transfer-requests/{id}/reject/"),
        ("POST", "/api/v1/transfer-requests/{id}/withdraw/"),
        ("POST", "/api/v1/leads/{lead}/transfer-requests/"),
    ],
)
def test_anonymous_gets_401_and_changes_nothing(api, world, requests_, method, path):
    url = path.format(id=requests_["east"].pk, lead=world.ids["mate"])
    before = state()
    response = api().get(url) if method == "GET" else api().post(url, {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert state() == before


def test_a_missing_request_is_404_for_everyone(api, world):
    for role in ROLES:
        response = api(world.users[role]).post(
            "/api/v1/transfer-requests/987654/approve/", {}, format="json"
        )
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
