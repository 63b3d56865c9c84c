import pytest

from accounts.models import Team, User

pytestmark = pytest.mark.django_db

NEW_USER = {
    "username": "dora",
    "password": "a-long-Secret-771",
    "display_name": "杜拉 Dora",
    "role": "rep",
}


def test_admin_creates_a_rep_in_a_team_who_can_then_log_in(api, admin_user, team):
    response = api(admin_user).post("/api/v1/users/", {**NEW_USER, "team": team.id}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["username"] == "dora"
    assert body["team"] == team.id
    assert "password" not in body

    token = api().post(
        "/api/v1/auth/token/", {"username": "dora", "password": NEW_USER["password"]}, format="json"
    )
    assert token.status_code == 200


def test_superuser_acts_as_admin(api, db):
    User.objects.create_superuser("su", "su@example.com", "x-very-long-pass-1")
    client = api()
    token = client.post(
        "/api/v1/auth/token/", {"username": "su", "password": "x-very-long-pass-1"}, format="json"
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/me/").json()["role"] == "admin"
    assert client.post("/api/v1/users/", NEW_USER, format="json").status_code == 201


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_non_admins_cannot_list_or_create_users(api, request, who):
    user = request.getfixturevalue(who)
    client = api(user)
    assert client.get("/api/v1/users/").status_code == 403
    response = client.post("/api/v1/users/", NEW_USER, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not User.objects.filter(username="dora").exists()


def test_anonymous_cannot_create_users(api, db):
    response = api().post("/api/v1/users/", NEW_USER, format="json")
    assert response.status_code == 401
    assert not User.objects.filter(username="dora").exists()


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"username": "alice"}, "username", "username_taken"),
        ({"username": "ALICE"}, "username", "username_taken"),
        ({"username": "has space"}, "username", "invalid"),
        ({"password": "123"}, "password", "weak_password"),
        ({"password": "dora"}, "password", "weak_password"),
        ({"role": "emperor"}, "role", "invalid_choice"),
        ({"team": 999999}, "team", "does_not_exist"),
        ({"team": "east"}, "team", "incorrect_type"),
        ({"language": "fr"}, "language", "invalid_choice"),
    ],
)
def test_bad_user_input_is_400_with_a_stable_field_code(api, admin_user, rep, change, field, code):
    before = User.objects.count()
    response = api(admin_user).post("/api/v1/users/", {**NEW_USER, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert code in [e["code"] for e in body["errors"][field]]
    assert User.objects.count() == before


def test_user_list_is_paginated_with_results_and_next(api, admin_user, rep, teammate):
    body = api(admin_user).get("/api/v1/users/").json()
    assert {"results", "next"} <= set(body)
    assert {"alice", "bob", "root_admin"} <= {u["username"] for u in body["results"]}


def test_admin_creates_team_with_a_manager(api, admin_user, db):
    mgr = (
        api(admin_user)
        .post("/api/v1/users/", {**NEW_USER, "username": "mia", "role": "manager"}, format="json")
        .json()
    )
    response = api(admin_user).post(
        "/api/v1/teams/", {"name": "North", "manager": mgr["id"]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["manager"]["id"] == mgr["id"]
    team = Team.objects.get(name="North")
    assert team.manager.username == "mia"
    listed = api(admin_user).get("/api/v1/teams/").json()["results"]
    assert "North" in [t["name"] for t in listed]


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"name": "East"}, "name", "team_exists"),
        ({"name": ""}, "name", "blank"),
        ({"name": "N", "manager": "REP"}, "manager", "not_a_manager"),
        ({"name": "N", "manager": 99999}, "manager", "does_not_exist"),
    ],
)
def test_bad_team_input_is_400(api, admin_user, team, rep, payload, field, code):
    if payload.get("manager") == "REP":
        payload = {**payload, "manager": rep.id}
    before = Team.objects.count()
    response = api(admin_user).post("/api/v1/teams/", payload, format="json")
    assert response.status_code == 400
    assert code in [e["code"] for e in response.json()["errors"][field]]
    assert Team.objects.count() == before


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_non_admins_cannot_touch_teams(api, request, who):
    client = api(request.getfixturevalue(who))
    assert client.get("/api/v1/teams/").status_code == 403
    assert client.post("/api/v1/teams/", {"name": "X"}, format="json").status_code == 403
