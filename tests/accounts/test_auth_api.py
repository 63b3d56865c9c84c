import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_authenticates_me(api, rep):
    response = api().post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]

    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "alice"
    assert body["display_name"] == "Alice Rep"
    assert body["role"] == "rep"
    assert body["team"]["name"] == "East"


def test_same_token_is_returned_twice(api, rep):
    first = api().post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    second = api().post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert first.json()["token"] == second.json()["token"]


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "alice", "password": "wrong"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_bad_credentials_are_400_invalid_credentials(api, rep, payload):
    response = api().post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    assert "token" not in response.json()


def test_inactive_user_gets_no_token(api, rep):
    rep.is_active = False
    rep.save()
    response = api().post(
        "/api/v1/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


@pytest.mark.parametrize(
    "payload", [{}, {"username": "alice"}, {"password": "x"}, {"username": ""}]
)
def test_missing_fields_are_400_invalid_with_field_errors(api, rep, payload):
    response = api().post("/api/v1/auth/token/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]


def test_malformed_json_is_400_parse_error(api, rep):
    response = api().post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_me_without_credentials_is_401(api):
    response = api().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_bad_token_is_401(api, rep):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token deadbeef")
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_me_lists_managed_teams(api, manager):
    body = api(manager).get("/api/v1/me/").json()
    assert body["role"] == "manager"
    assert [t["name"] for t in body["managed_teams"]] == ["East"]


def test_token_of_a_deactivated_user_stops_working(api, rep):
    client = api(rep)
    assert client.get("/api/v1/me/").status_code == 200
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize(
    "header",
    ["Token " + "a" * 41, "Token abc\x00def", "Token " + "é" * 10, "Token", "Token a b"],
)
def test_malformed_tokens_are_401_not_errors(api, rep, header):
    api(rep)  # rep has a token; none of these headers is it
    client = api()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_user_is_the_user_the_orm_reads(api, rep):
    """The token check reads the user with hand-written SQL: every field must come out as
    the ORM gives it (aware datetimes, booleans and JSON on SQLite too)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from accounts.selectors import get_token

    api(rep)
    rep.last_login = timezone.now()
    rep.email_muted_kinds = ["claim_expired"]
    rep.save()
    token = get_token(key=Token.objects.get(user=rep).key)
    expected = User.objects.get(pk=rep.pk)
    for field in User._meta.concrete_fields:
        if field.attname != "password":
            assert getattr(token.user, field.attname) == getattr(expected, field.attname), field
    assert token.user.last_login.tzinfo is not None
    assert token.created == Token.objects.get(user=rep).created
