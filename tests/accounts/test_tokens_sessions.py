"""API tokens expire, die with a password change (page, admin, API), can be revoked; a
logout deletes the session; page sessions end when idle and at an absolute age."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-horse-staple-42"


def token_for(user) -> str:
    return services.issue_token(username=user.username, password=PASSWORD).key


def me(client, key):
    return client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")


# --- expiry -----------------------------------------------------------------------------------
def test_token_expires_after_its_ttl_and_a_new_one_is_issued(client, rep):
    key = token_for(rep)
    assert me(client, key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=30, seconds=1))
    response = me(client, key)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "token_expired"
    # Signing in again gives a new token (the expired one is gone), which works.
    response = client.post(
        "/api/v1/auth/token/",
        {"username": rep.username, "password": PASSWORD},
        content_type="application/json",
    )
    new_key = response.json()["token"]
    assert new_key != key
    assert me(client, new_key).status_code == 200
    assert not Token.objects.filter(key=key).exists()


@override_settings(API_TOKEN_TTL=timedelta(days=2))
def test_token_ttl_is_configurable(client, rep):
    key = token_for(rep)
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=1, hours=23))
    assert me(client, key).status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=2, minutes=1))
    assert me(client, key).status_code in (401, 403)


# --- revoke -----------------------------------------------------------------------------------
def test_revoke_ends_the_presenting_token(client, rep):
    key = token_for(rep)
    response = client.post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 204
    assert me(client, key).status_code in (401, 403)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TOKEN_REVOKED)
    assert event.actor == rep
    # Revoking again with the dead token: refused as unauthenticated, never a 500.
    again = client.post("/api/v1/auth/token/revoke/", HTTP_AUTHORIZATION=f"Token {key}")
    assert again.status_code in (401, 403)


def test_revoke_needs_a_token(client, rep):
    assert client.post("/api/v1/auth/token/revoke/").status_code in (401, 403)
    client.force_login(rep)
    response = client.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 400
    assert response.json()["code"] == "token_required"


# --- password change from every door ------------------------------------------------------------
def test_password_change_by_api_ends_every_token(client, rep):
    key = token_for(rep)
    response = client.post(
        "/api/v1/me/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 204
    assert me(client, key).status_code in (401, 403)
    assert not Token.objects.filter(user=rep).exists()
    assert AuditEvent.objects.filter(kind="user_changed", action="password").count() == 1


def test_password_change_by_api_refuses_a_wrong_old_password(client, rep):
    key = token_for(rep)
    response = client.post(
        "/api/v1/me/password/",
        {"old_password": "not-it", "new_password": NEW_PASSWORD},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 400
    assert me(client, key).status_code == 200


def test_password_change_on_the_page_ends_every_token(client, rep):
    key = token_for(rep)
    client.force_login(rep)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert me(client, key).status_code in (401, 403)
    # This session stays signed in; the audit records the change as from any door.
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(kind="user_changed", action="password").count() == 1


def test_password_change_in_the_admin_ends_every_token(client, rep, admin_user):
    key = token_for(rep)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{rep.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert me(client, key).status_code in (401, 403)


def test_other_changes_keep_the_token(client, rep):
    key = token_for(rep)
    services.update_user(actor=None, user_id=rep.pk, display_name="Alice R.")
    services.set_user_language(user=rep, language="en")
    assert me(client, key).status_code == 200


# --- sessions ---------------------------------------------------------------------------------
def test_logout_is_post_only_and_deletes_the_session(client, rep):
    client.post("/login/", {"username": rep.username, "password": PASSWORD})
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_OUT, actor=rep).count() == 1


def _set_session(client, **values):
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_idle_session_is_signed_out(client, rep):
    client.post("/login/", {"username": rep.username, "password": PASSWORD})
    assert client.get("/").status_code == 200
    now = int(time.time())
    _set_session(client, last_seen=now - 2 * 3600 + 30)
    assert client.get("/").status_code == 200
    _set_session(client, last_seen=now - 2 * 3600 - 5)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@override_settings(SESSION_IDLE_TIMEOUT=timedelta(minutes=10))
def test_idle_timeout_is_configurable_and_applies_to_the_api(client, rep):
    client.force_login(rep)
    assert client.get("/api/v1/me/").status_code == 200
    _set_session(client, last_seen=int(time.time()) - 11 * 60)
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_session_has_an_absolute_age(client, rep):
    client.post("/login/", {"username": rep.username, "password": PASSWORD})
    now = int(time.time())
    _set_session(client, signed_in_at=now - 12 * 3600 + 60, last_seen=now)
    assert client.get("/").status_code == 200
    _set_session(client, signed_in_at=now - 12 * 3600 - 1, last_seen=now)
    assert client.get("/").status_code == 302


def test_session_is_written_at_most_once_a_minute(client, rep, django_assert_max_num_queries):
    client.post("/login/", {"username": rep.username, "password": PASSWORD})
    client.get("/")
    row = Session.objects.get(session_key=client.session.session_key)
    expire = row.expire_date
    client.get("/")
    client.get("/")
    assert Session.objects.get(pk=row.pk).expire_date == expire
    _set_session(client, last_seen=int(time.time()) - 61)
    expire = Session.objects.get(pk=row.pk).expire_date
    time.sleep(1.01)
    client.get("/")
    assert Session.objects.get(pk=row.pk).expire_date > expire
    assert client.session["last_seen"] >= int(time.time()) - 2
