"""Who may read the dashboard's numbers (经理看板) and what bad input answers, for every
statistic over the API and the page; and that the statement count does not grow with the
number of records."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from assignments.models import Collision, OwnershipEvent, TransferRequest
from leads.models import FollowUp, Lead, StatusChange
from tests.assignments.stats_world import RANGE, at, build, open_claims
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NAMES = ["collisions", "requests", "activity", "expiring", "pool-flow", "funnel", "won"]


@pytest.fixture
def sw(team, other_team, manager, other_manager, rep, teammate, outsider, admin_user):
    return build(
        team=team,
        other_team=other_team,
        manager=manager,
        other_manager=other_manager,
        rep=rep,
        teammate=teammate,
        outsider=outsider,
        admin_user=admin_user,
    )


# --- permissions ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_reps_are_refused_every_statistic(api, sw, name):
    response = api(sw.alice).get(f"/api/v1/stats/{name}/", RANGE)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_401(api, sw, name):
    assert api().get(f"/api/v1/stats/{name}/").status_code == 401


@pytest.mark.parametrize("name", NAMES)
def test_a_manager_reads_their_team_and_not_another(api, sw, name):
    mine = api(sw.manny).get(f"/api/v1/stats/{name}/", {**RANGE, "team": sw.east.pk})
    assert mine.status_code == 200 and mine.json()["team"] == sw.east.pk
    other = api(sw.manny).get(f"/api/v1/stats/{name}/", {**RANGE, "team": sw.south.pk})
    assert other.status_code == 403
    assert other.json()["code"] == "out_of_scope"
    # A team that does not exist answers the same: nothing is learnt about other teams.
    missing = api(sw.manny).get(f"/api/v1/stats/{name}/", {**RANGE, "team": 999_999})
    assert (missing.status_code, missing.json()["code"]) == (403, "out_of_scope")


@pytest.mark.parametrize("name", NAMES)
def test_an_admin_reads_every_team(api, sw, name):
    for team in ("", sw.east.pk, sw.south.pk):
        response = api(sw.admin).get(f"/api/v1/stats/{name}/", {**RANGE, "team": team})
        assert response.status_code == 200, response.content
    missing = api(sw.admin).get(f"/api/v1/stats/{name}/", {**RANGE, "team": 999_999})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")


def test_a_manager_without_a_team_sees_nothing_of_others(api, sw):
    loner = make_user("lonely", role=User.Role.MANAGER)
    body = api(loner).get("/api/v1/stats/collisions/", RANGE).json()
    assert body["summary"] == {"blocked": 0}
    body = api(loner).get("/api/v1/stats/won/", {"from": "2026-02-16", "to": "2026-04-12"})
    assert body.json()["rows"] == []


def test_a_manager_of_two_teams_reads_both_without_a_filter(api, sw):
    sw.south.manager = sw.manny
    sw.south.save()
    both = api(sw.manny).get("/api/v1/stats/collisions/", RANGE).json()
    assert both["summary"] == {"blocked": 4}  # as the admin sees it: East's 3 and South's


def test_a_deactivated_manager_is_refused(api, sw):
    client = api(sw.manny)
    account_services.update_user(actor=sw.admin, user_id=sw.manny.pk, is_active=False)
    assert client.get("/api/v1/stats/collisions/", RANGE).status_code in (401, 403)


# --- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2026-13-01"}, "invalid_date"),
        ({"from": "yesterday"}, "invalid_date"),
        ({"to": "2026-3-1"}, "invalid_date"),
        ({"to": "1999-12-31"}, "invalid_date"),
        ({"from": "2026-03-10", "to": "2026-03-09"}, "invalid_range"),
        ({"from": "2026-01-01", "to": "2026-04-03"}, "range_too_long"),
        ({"team": "east"}, "invalid_team"),
        ({"team": "-1"}, "invalid_team"),
        ({"team": "99999999999999999999999"}, "invalid_team"),
    ],
)
def test_bad_input_is_400_with_a_code(api, sw, params, code):
    response = api(sw.manny).get("/api/v1/stats/collisions/", params)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["detail"]


def test_a_quarter_is_the_longest_range(api, sw):
    """92 days (July to September): allowed, four months touched; one more day is not."""
    ok = api(sw.admin).get("/api/v1/stats/won/", {"from": "2026-07-01", "to": "2026-09-30"})
    assert ok.status_code == 200
    assert ok.json()["labels"] == ["2026-07", "2026-08", "2026-09"]
    too_long = api(sw.admin).get("/api/v1/stats/won/", {"from": "2026-06-30", "to": "2026-09-30"})
    assert (too_long.status_code, too_long.json()["code"]) == (400, "range_too_long")
    assert too_long.json()["max_days"] == 92


def test_an_unknown_statistic_is_400_for_managers_and_403_for_reps(api, sw):
    response = api(sw.manny).get("/api/v1/stats/everything/")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_stat"
    assert "pool-flow" in response.json()["names"]
    assert api(sw.alice).get("/api/v1/stats/everything/").status_code == 403


def test_the_default_range_is_the_last_twelve_weeks(api, sw):
    body = api(sw.admin).get("/api/v1/stats/collisions/").json()
    today = timezone.localdate()
    assert body["to"] == today.isoformat()
    assert len(body["labels"]) == 12
    assert body["labels"][-1] == (today - timedelta(days=today.weekday())).isoformat()


# --- statements per request -------------------------------------------------------------------
def _more_records(sw, n: int) -> None:
    """n more of every kind of record the statistics read, over the range's weeks."""
    target = Lead.objects.create(company_name="More Co")
    people = [sw.alice, sw.bob, sw.charlie]
    for i in range(n):
        who, other = people[i % 3], people[(i + 1) % 3]
        when = at(3, 2 + i % 20, 12)
        Collision.objects.create(user=who, lead=target, owner=other, code="already_owned", at=when)
        OwnershipEvent.objects.create(lead=target, kind="claim", to_owner=who, at=when)
        OwnershipEvent.objects.create(lead=target, kind="release", from_owner=who, at=when)
        FollowUp.objects.create(lead=target, author=who, kind="call", note="…", occurred_at=when)
        lead = Lead.objects.create(company_name=f"More {i}", created_by=who, created_at=when)
        StatusChange.objects.create(
            lead=lead, from_status="new", to_status="contacted", actor=who, at=when
        )
        TransferRequest.objects.create(lead=lead, requester=who, owner=other, created_at=when)


def _count(client, path: str, params: dict) -> int:
    client.get(path, params)  # warm: the user's session, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, response.content
    return len(captured)


def test_statements_do_not_grow_with_the_records(api, client, sw):
    open_claims(sw)
    manager_api = api(sw.manny)
    client.force_login(sw.manny)
    before = {name: _count(manager_api, f"/api/v1/stats/{name}/", RANGE) for name in NAMES}
    page_before = _count(client, "/dashboard/", RANGE)
    _more_records(sw, 40)
    open_claims(sw)
    after = {name: _count(manager_api, f"/api/v1/stats/{name}/", RANGE) for name in NAMES}
    assert after == before
    assert _count(client, "/dashboard/", RANGE) == page_before
    # Each statistic is a handful of statements, whatever the range holds.
    assert max(before.values()) <= 16, before
