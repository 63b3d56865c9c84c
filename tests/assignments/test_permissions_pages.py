"""The pages and the API ask the same access rules, for every lead action of the permission
matrix (see permissions_world.py for the world and the matrix)."""

import pytest

from assignments import access
from assignments.selectors import attach_live_ownership
from leads.models import Lead
from tests.assignments.permissions_world import MATRIX, kind_of, placeholder

pytestmark = pytest.mark.django_db

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
