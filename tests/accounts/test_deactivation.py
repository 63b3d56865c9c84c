"""A deactivated user is out at once: their open session and their API token stop working
at the next request (Django's ModelBackend and our TokenAuthentication refuse inactive
users), they cannot sign in again, and reactivating lets them back in."""

import pytest

from accounts import services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_deactivated_reps_session_and_token_stop_working(client, api, admin_user, rep):
    assert (
        client.post("/login/", {"username": rep.username, "password": PASSWORD}).status_code == 302
    )
    token_client = api(rep)
    assert client.get("/leads/mine/").status_code == 200
    assert token_client.get("/api/v1/me/").status_code == 200

    services.update_user(actor=admin_user, user_id=rep.pk, is_active=False)

    page = client.get("/leads/mine/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    assert client.get("/api/v1/me/").status_code in (401, 403)
    response = token_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert token_client.get("/api/v1/leads/").status_code == 401

    # No new session nor token either.
    relogin = client.post("/login/", {"username": rep.username, "password": PASSWORD})
    assert relogin.status_code == 200  # the form again, with an error
    token = api().post(
        "/api/v1/auth/token/", {"username": rep.username, "password": PASSWORD}, format="json"
    )
    assert token.status_code == 400

    services.update_user(actor=admin_user, user_id=rep.pk, is_active=True)
    assert token_client.get("/api/v1/me/").status_code == 200
    assert (
        client.post("/login/", {"username": rep.username, "password": PASSWORD}).status_code == 302
    )


def test_deactivating_through_the_api_signs_them_out(api, admin_user, rep):
    token_client = api(rep)
    response = api(admin_user).patch(f"/api/v1/users/{rep.pk}/", {"active": False}, format="json")
    assert response.status_code == 200
    assert token_client.get("/api/v1/me/").status_code == 401
