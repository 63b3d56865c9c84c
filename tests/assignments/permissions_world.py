"""The world of the permission tests (test_permissions*.py), its tables and helpers.

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

from accounts.models import Team, User
from assignments.models import POLICY_FIELDS, Ownership, OwnershipEvent, PoolPolicy
from leads.models import Contact, FollowUp, Lead
from tests.conftest import PASSWORD

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
