"""Who may see and do what, for every role against every API endpoint (rule 6: enforced on
the server for every request).

The world: two teams (East: manager, rep, teammate; South: other_manager, outsider), an admin,
and eight leads, all created through the services:

    own         owned by rep           (East pool)
    mate        owned by teammate      (East pool)
    foreign     owned by outsider      (South pool)
    claimed     owned by outsider      (public pool, claimed from it)
    cross       owned by rep           (South pool: an admin put rep on a South pool lead)
    pool        nobody                 (public pool)
    team_pool   nobody                 (East pool)
    other_pool  nobody                 (South pool)

Path templates name leads, users and teams in braces; `world.url()` fills in the ids. Every
refused request (4xx) and every read must leave owners, history, follow-ups, leads, users,
teams and policies exactly as they were.
"""

import re
from dataclasses import dataclass

import pytest

from accounts.models import Team, User
from assignments import access
from assignments.models import POLICY_FIELDS, Ownership, OwnershipEvent, PoolPolicy
from assignments.selectors import attach_live_ownership, get_global_policy
from assignments.services import claim_lead
from leads.masks import mask_email, mask_phone
from leads.models import Contact, FollowUp, Lead
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ("rep", "teammate", "outsider", "manager", "other_manager", "admin")
LEADS = ("own", "mate", "foreign", "claimed", "cross", "pool", "team_pool", "other_pool")
ALL_OWNED = {"own", "mate", "foreign", "claimed", "cross"}

# What each signed-in role sees: GET /leads/ (scope=all), and 200 rather than 404 on a lead's
# detail, follow-ups and history. Reps: the pools they may claim from plus their own leads;
# managers: those plus their teams' reps' leads; admins: everything.
VISIBLE = {
    "rep": {"own", "cross", "pool", "team_pool"},
    "teammate": {"mate", "pool", "team_pool"},
    "outsider": {"foreign", "claimed", "pool", "other_pool"},
    "manager": {"own", "mate", "cross", "pool", "team_pool"},
    "other_manager": {"foreign", "claimed", "pool", "other_pool"},
    "admin": set(LEADS),
}

# The `cross` lead is owned by rep but sits in the other team's pool (an admin can put it
# there). Ownership decides: its owner and their manager can work it like any of their leads.
# (role, method, path template, expected status, expected code or None)
MATRIX = [
    # --- leads list and create --------------------------------------------------------------
    *[(role, "GET", "/leads/", 200, None) for role in ROLES],
    *[(role, "GET", "/leads/?scope=mine", 200, None) for role in ROLES],
    ("rep", "GET", "/leads/?scope=team", 403, "permission_denied"),
    ("teammate", "GET", "/leads/?scope=team", 403, "permission_denied"),
    ("outsider", "GET", "/leads/?scope=team", 403, "permission_denied"),
    ("manager", "GET", "/leads/?scope=team", 200, None),
    ("other_manager", "GET", "/leads/?scope=team", 200, None),
    ("admin", "GET", "/leads/?scope=team", 200, None),
    *[(role, "POST", "/leads/", 201, None) for role in ROLES],
    # --- detail, follow-ups and history: one row per role x lead, from VISIBLE ---------------
    *[
        (role, "GET", template % lead, 200, None)
        if lead in VISIBLE[role]
        else (role, "GET", template % lead, 404, "not_found")
        for template in ("/leads/{%s}/", "/leads/{%s}/followups/", "/leads/{%s}/history/")
        for role in ROLES
        for lead in LEADS
    ],
    # --- claim ------------------------------------------------------------------------------
    ("rep", "POST", "/leads/{pool}/claim/", 200, None),
    ("rep", "POST", "/leads/{team_pool}/claim/", 200, None),
    ("rep", "POST", "/leads/{own}/claim/", 200, None),  # already theirs: a no-op
    ("rep", "POST", "/leads/{mate}/claim/", 409, "already_owned"),
    ("rep", "POST", "/leads/{claimed}/claim/", 409, "already_owned"),
    ("rep", "POST", "/leads/{foreign}/claim/", 404, "not_found"),
    ("rep", "POST", "/leads/{other_pool}/claim/", 404, "not_found"),
    ("rep", "POST", "/leads/{cross}/claim/", 200, None),  # already theirs: a no-op
    ("teammate", "POST", "/leads/{own}/claim/", 409, "already_owned"),
    ("outsider", "POST", "/leads/{own}/claim/", 404, "not_found"),
    ("outsider", "POST", "/leads/{team_pool}/claim/", 404, "not_found"),
    ("outsider", "POST", "/leads/{other_pool}/claim/", 200, None),
    ("manager", "POST", "/leads/{pool}/claim/", 200, None),
    ("manager", "POST", "/leads/{own}/claim/", 409, "already_owned"),
    ("manager", "POST", "/leads/{foreign}/claim/", 404, "not_found"),
    ("manager", "POST", "/leads/{other_pool}/claim/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{own}/claim/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{team_pool}/claim/", 404, "not_found"),
    ("admin", "POST", "/leads/{pool}/claim/", 403, "cannot_claim"),
    ("admin", "POST", "/leads/{own}/claim/", 403, "cannot_claim"),
    # --- release {reason} -------------------------------------------------------------------
    ("rep", "POST", "/leads/{own}/release/", 200, None),
    ("rep", "POST", "/leads/{cross}/release/", 200, None),
    ("rep", "POST", "/leads/{mate}/release/", 404, "not_found"),
    ("rep", "POST", "/leads/{claimed}/release/", 404, "not_found"),
    ("rep", "POST", "/leads/{foreign}/release/", 404, "not_found"),
    ("rep", "POST", "/leads/{other_pool}/release/", 404, "not_found"),
    ("rep", "POST", "/leads/{pool}/release/", 409, "not_owned"),
    ("teammate", "POST", "/leads/{own}/release/", 404, "not_found"),
    ("outsider", "POST", "/leads/{own}/release/", 404, "not_found"),
    ("outsider", "POST", "/leads/{cross}/release/", 404, "not_found"),
    ("manager", "POST", "/leads/{own}/release/", 200, None),
    ("manager", "POST", "/leads/{mate}/release/", 200, None),
    ("manager", "POST", "/leads/{cross}/release/", 200, None),
    ("manager", "POST", "/leads/{foreign}/release/", 404, "not_found"),
    ("manager", "POST", "/leads/{claimed}/release/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{own}/release/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{cross}/release/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{foreign}/release/", 200, None),
    ("other_manager", "POST", "/leads/{claimed}/release/", 200, None),
    ("admin", "POST", "/leads/{own}/release/", 200, None),
    ("admin", "POST", "/leads/{foreign}/release/", 200, None),
    ("admin", "POST", "/leads/{cross}/release/", 200, None),
    # --- log a follow-up --------------------------------------------------------------------
    ("rep", "POST", "/leads/{own}/followups/", 201, None),
    ("rep", "POST", "/leads/{cross}/followups/", 201, None),
    ("rep", "POST", "/leads/{mate}/followups/", 404, "not_found"),
    ("rep", "POST", "/leads/{claimed}/followups/", 404, "not_found"),
    ("rep", "POST", "/leads/{foreign}/followups/", 404, "not_found"),
    ("rep", "POST", "/leads/{pool}/followups/", 409, "not_owned"),
    ("teammate", "POST", "/leads/{own}/followups/", 404, "not_found"),
    ("outsider", "POST", "/leads/{own}/followups/", 404, "not_found"),
    ("outsider", "POST", "/leads/{cross}/followups/", 404, "not_found"),
    ("manager", "POST", "/leads/{own}/followups/", 201, None),
    ("manager", "POST", "/leads/{mate}/followups/", 201, None),
    ("manager", "POST", "/leads/{cross}/followups/", 201, None),
    ("manager", "POST", "/leads/{foreign}/followups/", 404, "not_found"),
    ("manager", "POST", "/leads/{claimed}/followups/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{own}/followups/", 404, "not_found"),
    ("other_manager", "POST", "/leads/{foreign}/followups/", 201, None),
    ("admin", "POST", "/leads/{own}/followups/", 201, None),
    ("admin", "POST", "/leads/{claimed}/followups/", 201, None),
    # --- reassign {to, reason}: "to" is the word after the arrow -----------------------------
    ("rep", "POST", "/leads/{own}/reassign/ -> teammate", 403, "permission_denied"),
    ("rep", "POST", "/leads/{mate}/reassign/ -> rep", 403, "permission_denied"),
    ("teammate", "POST", "/leads/{own}/reassign/ -> teammate", 403, "permission_denied"),
    ("outsider", "POST", "/leads/{foreign}/reassign/ -> outsider", 403, "permission_denied"),
    ("outsider", "POST", "/leads/{own}/reassign/ -> outsider", 403, "permission_denied"),
    ("manager", "POST", "/leads/{own}/reassign/ -> teammate", 200, None),
    ("manager", "POST", "/leads/{mate}/reassign/ -> rep", 200, None),
    ("manager", "POST", "/leads/{pool}/reassign/ -> rep", 200, None),
    ("manager", "POST", "/leads/{team_pool}/reassign/ -> teammate", 200, None),
    ("manager", "POST", "/leads/{cross}/reassign/ -> teammate", 200, None),
    ("manager", "POST", "/leads/{own}/reassign/ -> outsider", 403, "out_of_scope"),
    ("manager", "POST", "/leads/{pool}/reassign/ -> outsider", 403, "out_of_scope"),
    ("manager", "POST", "/leads/{foreign}/reassign/ -> rep", 404, "not_found"),
    ("manager", "POST", "/leads/{claimed}/reassign/ -> rep", 404, "not_found"),
    ("manager", "POST", "/leads/{other_pool}/reassign/ -> rep", 404, "not_found"),
    ("manager", "POST", "/leads/{own}/reassign/ -> rep", 409, "already_owner"),
    ("manager", "POST", "/leads/{own}/reassign/ -> admin", 400, "invalid_target"),
    ("other_manager", "POST", "/leads/{own}/reassign/ -> outsider", 404, "not_found"),
    ("other_manager", "POST", "/leads/{own}/reassign/ -> teammate", 403, "out_of_scope"),
    ("other_manager", "POST", "/leads/{claimed}/reassign/ -> other_manager", 200, None),
    ("admin", "POST", "/leads/{own}/reassign/ -> outsider", 200, None),
    ("admin", "POST", "/leads/{foreign}/reassign/ -> rep", 200, None),
    ("admin", "POST", "/leads/{other_pool}/reassign/ -> teammate", 200, None),
    ("admin", "POST", "/leads/{cross}/reassign/ -> outsider", 200, None),
    ("admin", "POST", "/leads/{own}/reassign/ -> nobody", 400, "invalid_target"),
    # --- pool policy: everyone reads the global one, only admins change it ------------------
    *[(role, "GET", "/policy/", 200, None) for role in ROLES],
    *[(role, "PATCH", "/policy/", 403, "permission_denied") for role in ROLES[:-1]],
    ("admin", "PATCH", "/policy/", 200, None),
    # --- team policy: the team's members, its manager and admins read; admins change --------
    ("rep", "GET", "/teams/{team}/policy/", 200, None),
    ("teammate", "GET", "/teams/{team}/policy/", 200, None),
    ("manager", "GET", "/teams/{team}/policy/", 200, None),
    ("admin", "GET", "/teams/{team}/policy/", 200, None),
    ("outsider", "GET", "/teams/{team}/policy/", 404, "not_found"),
    ("other_manager", "GET", "/teams/{team}/policy/", 404, "not_found"),
    ("outsider", "GET", "/teams/{other_team}/policy/", 200, None),
    ("other_manager", "GET", "/teams/{other_team}/policy/", 200, None),
    ("rep", "GET", "/teams/{other_team}/policy/", 404, "not_found"),
    ("manager", "GET", "/teams/{other_team}/policy/", 404, "not_found"),
    ("admin", "GET", "/teams/{no_team}/policy/", 404, "not_found"),
    ("rep", "PATCH", "/teams/{team}/policy/", 403, "permission_denied"),
    ("teammate", "PATCH", "/teams/{team}/policy/", 403, "permission_denied"),
    ("manager", "PATCH", "/teams/{team}/policy/", 403, "permission_denied"),
    # Those who may not even read a team's policy get the same 404 as on GET, so that a
    # PATCH does not confirm what a GET hides.
    ("outsider", "PATCH", "/teams/{team}/policy/", 404, "not_found"),
    ("other_manager", "PATCH", "/teams/{team}/policy/", 404, "not_found"),
    ("admin", "PATCH", "/teams/{team}/policy/", 200, None),
    ("admin", "PATCH", "/teams/{other_team}/policy/", 200, None),
    # --- accounts: everyone reads themself, only admins manage users and teams ---------------
    *[(role, "GET", "/me/", 200, None) for role in ROLES],
    *[
        (role, method, path, 403, "permission_denied")
        for role in ROLES[:-1]
        for method, path in (
            ("GET", "/users/"),
            ("POST", "/users/"),
            ("GET", "/teams/"),
            ("POST", "/teams/"),
        )
    ],
    ("admin", "GET", "/users/", 200, None),
    ("admin", "POST", "/users/", 201, None),
    ("admin", "GET", "/teams/", 200, None),
    ("admin", "POST", "/teams/", 201, None),
]

# Every endpoint an anonymous caller might try.
ENDPOINTS = [
    ("GET", "/leads/"),
    ("POST", "/leads/"),
    ("GET", "/leads/{own}/"),
    ("POST", "/leads/{pool}/claim/"),
    ("POST", "/leads/{own}/release/"),
    ("GET", "/leads/{own}/followups/"),
    ("POST", "/leads/{own}/followups/"),
    ("GET", "/leads/{own}/history/"),
    ("POST", "/leads/{own}/reassign/ -> teammate"),
    ("GET", "/policy/"),
    ("PATCH", "/policy/"),
    ("GET", "/teams/{team}/policy/"),
    ("PATCH", "/teams/{team}/policy/"),
    ("GET", "/me/"),
    ("GET", "/users/"),
    ("POST", "/users/"),
    ("GET", "/teams/"),
    ("POST", "/teams/"),
]


@dataclass
class World:
    users: dict[str, User | None]
    ids: dict[str, int]

    def url(self, template: str) -> str:
        path = template.split(" -> ")[0]
        return "/api/v1" + path.format(**self.ids)

    def body(self, method: str, template: str) -> dict | None:
        if method == "GET":
            return None
        kind = kind_of(template)
        if kind == "reassign":
            return {"to": self.ids[template.split(" -> ")[1]], "reason": "Rep on leave"}
        return {
            "leads": {"company_name": "Fresh Co", "contacts": [{"name": "Li", "phone": "139"}]},
            "claim": None,
            "release": {"reason": "Not a fit"},
            "followups": {"kind": "call", "note": "Talked to the CEO"},
            "policy": {"claim_limit": 7},
            "team_policy": {"claim_limit": 3},
            "users": {"username": "dora", "password": PASSWORD, "role": "rep"},
            "teams": {"name": "North"},
        }[kind]


def kind_of(template: str) -> str:
    parts = template.split(" -> ")[0].split("?")[0].strip("/").split("/")
    if parts[0] == "leads":
        return {1: "leads", 2: "lead"}.get(len(parts)) or parts[2]
    if parts[0] == "teams" and len(parts) == 3:
        return "team_policy"
    return parts[0]


def placeholder(template: str) -> str:
    return re.search(r"\{(\w+)\}", template).group(1)


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


def snapshot() -> dict:
    """Everything a request might change: owners (and protection), history, follow-ups,
    leads, users, teams and policies."""
    return {
        "ownership": list(
            Ownership.objects.order_by("pk").values_list(
                "pk", "lead_id", "owner_id", "protected_until", "ended_at"
            )
        ),
        "history": OwnershipEvent.objects.count(),
        "followups": FollowUp.objects.count(),
        "leads": list(Lead.objects.order_by("pk").values_list("pk", "pool_team_id")),
        "contacts": Contact.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "role", "team_id")),
        "teams": list(Team.objects.order_by("pk").values_list("pk", "name", "manager_id")),
        "policies": list(PoolPolicy.objects.order_by("pk").values_list("team_id", *POLICY_FIELDS)),
    }


def live_owner_id(lead_id: int) -> int | None:
    period = Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).first()
    return period.owner_id if period else None


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


def test_matrix_covers_every_endpoint_for_every_role():
    """Guard the table itself: each signed-in role meets each endpoint at least once."""
    covered = {(role, method, kind_of(path)) for role, method, path, *_ in _rows(MATRIX)}
    for role in ROLES:
        for method, path in ENDPOINTS:
            assert (role, method, kind_of(path)) in covered, (role, method, path)


def _rows(table):
    for row in table:
        yield row.values if hasattr(row, "values") else row


# The pages draw a button only when the access module allows its action; the API's services
# decide with the same module. For each lead action of the matrix: (access question, how the
# API's answer must relate to it).
PAGE_CHECKS = {
    ("GET", "lead"): (access.can_see, "exact"),
    ("GET", "followups"): (access.can_see, "exact"),
    ("GET", "history"): (access.can_see, "exact"),
    ("POST", "followups"): (access.can_work, "exact"),
    ("POST", "release"): (access.can_release, "exact"),
    # A claim button is drawn only for a pool lead; the API also answers the owner (a no-op)
    # and a rep who may see the pool (409 already_owned).
    ("POST", "claim"): (access.can_claim, "implies"),
    # The reassign form is offered to whoever may reassign the lead; the API may still
    # refuse the chosen target (out of scope, not a rep, already the owner).
    ("POST", "reassign"): (access.can_reassign, "permission"),
}
PERMISSION_CODES = {"not_found", "permission_denied", "cannot_claim"}


@pytest.mark.parametrize(
    ("role", "method", "path", "status", "code"),
    [row for row in MATRIX if (row[1], kind_of(row[2])) in PAGE_CHECKS],
)
def test_pages_and_api_ask_the_same_access_rules(world, role, method, path, status, code):
    user = world.users[role]
    lead = Lead.objects.get(pk=world.ids[placeholder(path)])
    attach_live_ownership([lead])
    question, relation = PAGE_CHECKS[(method, kind_of(path))]

    allowed = question(user, lead, lead.live_ownership)

    granted = 200 <= status < 300
    if relation == "exact":
        assert allowed == granted
    elif relation == "implies":
        assert not allowed or granted
        assert not (code in PERMISSION_CODES and allowed)
    else:
        assert code not in PERMISSION_CODES if allowed else not granted
