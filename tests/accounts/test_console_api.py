"""The admin console's API: one user (GET, PATCH), teams (PATCH) and API keys. Admins
change; a manager reads the users of their teams; reps and strangers are refused; bad input
is a 400 with a code, never a 500, and leaves nothing half-written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import ApiKey, AwayPeriod, User

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/v1/users/{user.pk}/"


# --- GET and PATCH /api/v1/users/{id}/ ------------------------------------------------------
def test_admin_reads_a_user_with_capacity_and_away(api, admin_user, rep):
    now = timezone.now()
    services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=now,
        ends_at=now + timedelta(days=2),
        reason="培训",
    )
    body = api(admin_user).get(url(rep)).json()
    assert body["id"] == rep.pk
    assert body["active"] is True and body["capacity"] is None
    assert [p["reason"] for p in body["away"]] == ["培训"]
    assert set(body["away"][0]) == {"id", "from", "to", "reason"}
    assert "password" not in body


def test_admin_patches_capacity_active_team_and_role(api, admin_user, rep, other_team):
    client = api(admin_user)
    response = client.patch(
        url(rep),
        {"capacity": 8, "active": False, "team": other_team.pk, "role": "manager"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["capacity"], body["active"], body["team"], body["role"]) == (
        8,
        False,
        other_team.pk,
        "manager",
    )
    rep.refresh_from_db()
    assert not rep.is_active and rep.team == other_team and rep.capacity == 8

    body = client.patch(url(rep), {"capacity": None, "team": None}, format="json").json()
    assert body["capacity"] is None and body["team"] is None


def test_patch_away_replaces_current_and_future_periods(api, admin_user, rep):
    now = timezone.now()
    services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=2),
    )
    start = (timezone.localdate() + timedelta(days=10)).isoformat()
    end = (timezone.localdate() + timedelta(days=12)).isoformat()
    response = api(admin_user).patch(
        url(rep), {"away": [{"from": start, "to": end, "reason": "年假"}]}, format="json"
    )
    assert response.status_code == 200, response.json()
    (period,) = AwayPeriod.objects.filter(user=rep)
    # Dates count as whole days: from the start of the first to the end of the last.
    assert timezone.localtime(period.starts_at).date().isoformat() == start
    assert period.ends_at - period.starts_at == timedelta(days=3)
    assert response.json()["away"][0]["reason"] == "年假"

    # Precise moments too; and [] clears them.
    moment = (now + timedelta(hours=3)).isoformat()
    later = (now + timedelta(hours=9)).isoformat()
    assert (
        api(admin_user)
        .patch(url(rep), {"away": [{"from": moment, "to": later}]}, format="json")
        .status_code
        == 200
    )
    assert AwayPeriod.objects.get(user=rep).ends_at - AwayPeriod.objects.get(
        user=rep
    ).starts_at == timedelta(hours=6)
    assert api(admin_user).patch(url(rep), {"away": []}, format="json").json()["away"] == []
    assert not AwayPeriod.objects.filter(user=rep).exists()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"capacity": "abc"}, "invalid"),
        ({"capacity": -1}, "invalid"),
        ({"capacity": 0}, "invalid"),
        ({"capacity": 10**20}, "invalid"),
        ({"capacity": 2.5}, "invalid"),
        ({"team": 999_999}, "invalid"),
        ({"team": "abc"}, "invalid"),
        ({"team": 2**80}, "invalid"),
        ({"role": "boss"}, "invalid"),
        ({"active": "maybe"}, "invalid"),
        ({"email": "nope"}, "invalid"),
        ({"away": [{"from": "2030-01-05", "to": "2030-01-01"}]}, "invalid_away_period"),
        ({"away": [{"from": "9999-12-30", "to": "9999-12-31"}]}, "invalid"),
        ({"away": [{"from": "0001-01-01", "to": "0001-01-02"}]}, "invalid_away_period"),
        ({"away": [{"from": "2020-01-01", "to": "2020-01-02"}]}, "invalid_away_period"),
        ({"away": [{"from": "soon", "to": "later"}]}, "invalid"),
        ({"away": [{"to": "2030-01-01"}]}, "invalid"),
        ({"away": {"from": "2030-01-01"}}, "invalid"),
        ({"away": [{"from": "2030-01-01", "to": "2030-01-02", "reason": "x" * 201}]}, "invalid"),
    ],
)
def test_bad_input_is_a_400_with_a_code_and_changes_nothing(api, admin_user, rep, change, code):
    response = api(admin_user).patch(url(rep), {"display_name": "Changed", **change}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert response.json()["detail"]
    rep.refresh_from_db()
    assert rep.display_name == "Alice Rep" and rep.capacity is None and rep.is_active
    assert not AwayPeriod.objects.exists()


def test_a_bad_away_period_after_good_changes_leaves_nothing_half_written(api, admin_user, rep):
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = api(admin_user).patch(
        url(rep),
        {"capacity": 4, "away": [{"from": soon, "to": soon}, {"from": "2020-01-01", "to": soon}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_away_period"
    rep.refresh_from_db()
    assert rep.capacity is None
    assert not AwayPeriod.objects.exists()


def test_admin_cannot_deactivate_or_demote_themself(api, admin_user):
    client = api(admin_user)
    for change in ({"active": False}, {"role": "rep"}):
        response = client.patch(url(admin_user), change, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "cannot_change_self"


def test_demoting_a_manager_who_runs_a_team_is_a_409(api, admin_user, manager):
    response = api(admin_user).patch(url(manager), {"role": "rep"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "still_manages_teams"


def test_manager_reads_their_team_but_changes_nothing(api, manager, rep, outsider, admin_user):
    client = api(manager)
    assert client.get(url(rep)).status_code == 200
    assert client.get(url(manager)).status_code == 200
    assert client.get(url(outsider)).status_code == 403
    assert client.get(url(admin_user)).status_code == 403
    response = client.patch(url(rep), {"capacity": 3}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert client.patch(url(manager), {"role": "admin"}, format="json").status_code == 403
    rep.refresh_from_db()
    manager.refresh_from_db()
    assert rep.capacity is None and manager.role == User.Role.MANAGER


def test_reps_and_strangers_are_refused(api, rep, teammate):
    for client, status in ((api(rep), 403), (api(), 401)):
        for target in (rep, teammate):
            assert client.get(url(target)).status_code == status
            assert client.patch(url(target), {"capacity": 1}, format="json").status_code == status
    teammate.refresh_from_db()
    assert teammate.capacity is None


def test_unknown_user_is_a_404(api, admin_user):
    client = api(admin_user)
    assert client.get("/api/v1/users/999999/").status_code == 404
    assert client.patch("/api/v1/users/999999/", {"capacity": 2}, format="json").status_code == 404
    huge = "/api/v1/users/99999999999999999999999/"
    assert client.get(huge).status_code == 404
    assert client.patch(huge, {"capacity": 2}, format="json").status_code == 404


# --- PATCH /api/v1/teams/{id}/ --------------------------------------------------------------
def test_admin_renames_a_team_and_changes_its_manager(api, admin_user, team, other_manager):
    response = api(admin_user).patch(
        f"/api/v1/teams/{team.pk}/",
        {"name": "华东", "manager": other_manager.pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "华东"
    assert response.json()["manager"]["id"] == other_manager.pk
    assert api(admin_user).get(f"/api/v1/teams/{team.pk}/").json()["name"] == "华东"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"name": "South"}, 400, "team_exists"),
        ({"name": ""}, 400, "invalid"),
        ({"name": "x" * 101}, 400, "invalid"),
        ({"manager": 999_999}, 400, "invalid"),
        ({"manager": "abc"}, 400, "invalid"),
        ("rep", 400, "not_a_manager"),
    ],
)
def test_team_patch_refusals(api, request, admin_user, team, other_team, change, status, code):
    if change == "rep":
        change = {"manager": request.getfixturevalue("rep").pk}
    response = api(admin_user).patch(f"/api/v1/teams/{team.pk}/", change, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    team.refresh_from_db()
    assert team.name == "East"


@pytest.mark.parametrize("who", ["rep", "manager", None])
def test_only_admins_touch_teams(api, request, who, team):
    client = api(request.getfixturevalue(who) if who else None)
    expected = 401 if who is None else 403
    assert client.get(f"/api/v1/teams/{team.pk}/").status_code == expected
    assert (
        client.patch(f"/api/v1/teams/{team.pk}/", {"name": "Mine"}, format="json").status_code
        == expected
    )
    team.refresh_from_db()
    assert team.name == "East"


def test_unknown_team_is_a_404(api, admin_user):
    response = api(admin_user).patch("/api/v1/teams/999999/", {"name": "X"}, format="json")
    assert response.status_code == 404


# --- /api/v1/api-keys/ ----------------------------------------------------------------------
def test_the_key_is_shown_once(api, admin_user):
    client = api(admin_user)
    response = client.post(
        "/api/v1/api-keys/", {"name": "Website form", "source": "website"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    raw = body["key"]
    assert body["prefix"] == raw[:8] and body["live"] is True
    listing = client.get("/api/v1/api-keys/")
    assert listing.status_code == 200
    assert raw not in listing.content.decode()
    (item,) = listing.json()["results"]
    assert item["id"] == body["id"] and "key" not in item and "key_hash" not in item


def test_one_live_key_per_source_is_a_409(api, admin_user):
    client = api(admin_user)
    first = client.post("/api/v1/api-keys/", {"name": "A", "source": "web"}, format="json")
    second = client.post("/api/v1/api-keys/", {"name": "B", "source": "web"}, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "api_key_source_taken"
    assert ApiKey.objects.count() == 1

    revoked = client.delete(f"/api/v1/api-keys/{first.json()['id']}/")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] and revoked.json()["live"] is False
    assert ApiKey.objects.filter(pk=first.json()["id"]).exists()  # the row stays
    third = client.post("/api/v1/api-keys/", {"name": "C", "source": "web"}, format="json")
    assert third.status_code == 201


def test_revoke_by_post_too_and_twice_is_harmless(api, admin_user):
    client = api(admin_user)
    key_id = client.post("/api/v1/api-keys/", {"name": "A", "source": "web"}, format="json").json()[
        "id"
    ]
    first = client.post(f"/api/v1/api-keys/{key_id}/revoke/")
    again = client.delete(f"/api/v1/api-keys/{key_id}/")
    assert first.status_code == again.status_code == 200
    assert first.json()["revoked_at"] == again.json()["revoked_at"]
    assert client.delete("/api/v1/api-keys/999999/").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "A"},
        {"source": "web"},
        {"name": "", "source": "web"},
        {"name": "A", "source": "x" * 81},
    ],
)
def test_bad_key_input_is_a_400(api, admin_user, body):
    response = api(admin_user).post("/api/v1/api-keys/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("who", ["rep", "manager", None])
def test_only_admins_see_create_or_revoke_keys(api, request, admin_user, who):
    key, _raw = services.create_api_key(actor=admin_user, name="Form", source="web")
    client = api(request.getfixturevalue(who) if who else None)
    expected = 401 if who is None else 403
    assert client.get("/api/v1/api-keys/").status_code == expected
    assert (
        client.post("/api/v1/api-keys/", {"name": "A", "source": "mine"}, format="json").status_code
        == expected
    )
    assert client.delete(f"/api/v1/api-keys/{key.pk}/").status_code == expected
    assert client.post(f"/api/v1/api-keys/{key.pk}/revoke/").status_code == expected
    key.refresh_from_db()
    assert key.is_live and ApiKey.objects.count() == 1
