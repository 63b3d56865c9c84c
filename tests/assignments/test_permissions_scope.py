"""For whom each role may create a lead, which leads it lists in each scope, and whose contact
details it sees in full rather than masked (see permissions_world.py for the world)."""

import pytest

from leads.masks import mask_email, mask_phone
from leads.models import Contact, Lead
from tests.assignments.permissions_world import ALL_OWNED, ROLES, VISIBLE, live_owner_id, snapshot

pytestmark = pytest.mark.django_db

# (role, named fields, status, code, owner of the new lead, its pool team); names are
# resolved to ids. Who may put a new lead under whom, or into which pool.
CREATE = [
    ("rep", {}, 201, None, "rep", "team"),
    ("rep", {"owner": "teammate"}, 403, "permission_denied", None, None),
    # A rep's new lead always sits in their own team's pool.
    ("rep", {"pool_team": "other_team"}, 201, None, "rep", "team"),
    ("outsider", {}, 201, None, "outsider", "other_team"),
    ("manager", {}, 201, None, None, None),
    ("manager", {"owner": "rep"}, 201, None, "rep", "team"),
    ("manager", {"pool_team": "team"}, 201, None, None, "team"),
    ("manager", {"owner": "outsider"}, 403, "out_of_scope", None, None),
    ("manager", {"pool_team": "other_team"}, 403, "out_of_scope", None, None),
    ("other_manager", {"owner": "rep"}, 403, "out_of_scope", None, None),
    ("admin", {"owner": "outsider"}, 201, None, "outsider", "other_team"),
    ("admin", {"pool_team": "other_team"}, 201, None, None, "other_team"),
    ("admin", {"owner": "admin"}, 400, "invalid_target", None, None),
]


@pytest.mark.parametrize(("role", "fields", "status", "code", "owner", "pool"), CREATE)
def test_who_may_create_a_lead_for_whom(api, world, role, fields, status, code, owner, pool):
    before = snapshot()
    payload = {"company_name": "Fresh Co", **{k: world.ids[v] for k, v in fields.items()}}

    response = api(world.users[role]).post("/api/v1/leads/", payload, format="json")

    assert response.status_code == status, response.content
    body = response.json()
    if status >= 400:
        assert (body["code"], snapshot()) == (code, before)
        return
    lead = Lead.objects.get(pk=body["id"])
    assert lead.pool_team_id == (world.ids[pool] if pool else None)
    assert live_owner_id(lead.pk) == (world.ids[owner] if owner else None)
    assert (body["owner"] or {}).get("id") == live_owner_id(lead.pk)


# (role, scope, leads listed)
LISTS = [
    *[(role, "all", VISIBLE[role]) for role in ROLES],
    ("rep", "pool", {"pool", "team_pool"}),
    ("rep", "mine", {"own", "cross"}),
    ("teammate", "mine", {"mate"}),
    ("outsider", "pool", {"pool", "other_pool"}),
    ("outsider", "mine", {"foreign", "claimed"}),
    ("manager", "pool", {"pool", "team_pool"}),
    ("manager", "mine", set()),
    ("manager", "team", {"own", "mate", "cross"}),
    ("other_manager", "pool", {"pool", "other_pool"}),
    ("other_manager", "team", {"foreign", "claimed"}),
    ("admin", "pool", {"pool", "team_pool", "other_pool"}),
    ("admin", "team", ALL_OWNED),
]


@pytest.mark.parametrize(("role", "scope", "expected"), LISTS)
def test_lead_list_shows_exactly_what_the_role_may_see(api, world, role, scope, expected):
    response = api(world.users[role]).get(f"/api/v1/leads/?scope={scope}&page_size=100")
    assert response.status_code == 200
    listed = {x["id"] for x in response.json()["results"]}
    assert listed == {world.ids[name] for name in expected}


# (role, lead, contact details masked)
MASKING = [
    ("rep", "pool", True),
    ("rep", "team_pool", True),
    ("rep", "own", False),
    ("rep", "cross", False),
    ("teammate", "team_pool", True),
    ("outsider", "other_pool", True),
    ("outsider", "claimed", False),
    ("manager", "pool", False),
    ("manager", "mate", False),
    ("other_manager", "other_pool", False),
    ("admin", "pool", False),
    ("admin", "foreign", False),
]


@pytest.mark.parametrize(("role", "lead", "masked"), MASKING)
def test_reps_see_pool_contacts_masked_and_their_own_in_full(api, world, role, lead, masked):
    client = api(world.users[role])
    lead_id = world.ids[lead]
    contact = Contact.objects.filter(lead_id=lead_id).order_by("id").first()
    expected = (
        {"phone": mask_phone(contact.phone), "email": mask_email(contact.email)}
        if masked
        else {"phone": contact.phone, "email": contact.email}
    )
    assert "****" not in contact.phone
    detail = client.get(f"/api/v1/leads/{lead_id}/").json()
    listed = next(
        x
        for x in client.get("/api/v1/leads/?page_size=100").json()["results"]
        if x["id"] == lead_id
    )
    for body in (detail, listed):
        contact = body["contacts"][0]
        assert {"phone": contact["phone"], "email": contact["email"]} == expected
