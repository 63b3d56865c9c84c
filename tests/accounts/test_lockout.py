"""Password guessing is stopped at all three doors (sign-in page, token endpoint, admin):
LOGIN_FAILURE_LIMIT wrong passwords lock the (username, IP) pair out, the right password is
then refused with a readable answer saying when to retry, and it works again after the
cool-off, which doubles for a pair locked out again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.db.models import F

from accounts.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5


def rewind(minutes: float) -> None:
    """Let time pass: every stored attempt, expiry and audit record moves back."""
    delta = timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AuditEvent.objects.update(at=F("at") - delta)


# --- the three doors, each: try(password, ip) -> (status, response) --------------------------
def page_try(client, username, password, ip="10.0.0.1"):
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return response


def page_ok(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def admin_try(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def admin_ok(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def token_try(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def token_ok(response) -> bool:
    return response.status_code == 200 and "token" in response.json()


DOORS = {
    "page": (page_try, page_ok),
    "admin": (admin_try, admin_ok),
    "token": (token_try, token_ok),
}


@pytest.fixture
def who(admin_user):
    # The admin door takes staff only; the other doors anyone: one admin for all three.
    return admin_user


@pytest.mark.parametrize("door", DOORS)
def test_wrong_passwords_then_right_one_refused_until_cool_off(client, who, door):
    attempt, ok = DOORS[door]
    for _ in range(LIMIT - 1):
        response = attempt(client, who.username, "wrong-password")
        assert not ok(response)
        assert response.status_code != 429
    # The limit-th wrong password locks the pair out.
    response = attempt(client, who.username, "wrong-password")
    assert response.status_code == 429
    # The right password is refused too, with when to retry.
    response = attempt(client, who.username, PASSWORD)
    assert response.status_code == 429
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    if door == "token":
        body = response.json()
        assert body["code"] == "locked_out"
        assert "Try again after" in body["detail"]
        assert body["retry_after"] == int(response["Retry-After"])
    else:
        html = response.content.decode()
        assert 'data-testid="locked-out"' in html
        assert "Try again after" in html
    assert AuditEvent.objects.filter(kind="lockout", username=who.username).count() == 1
    # Attempts while locked out do not move the retry time (nor count as a new lockout).
    assert attempt(client, who.username, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(kind="lockout").count() == 1
    # Not yet after 14 minutes; after the 15-minute cool-off the right password works.
    rewind(14)
    assert attempt(client, who.username, PASSWORD).status_code == 429
    rewind(1.1)
    assert ok(attempt(client, who.username, PASSWORD))


@pytest.mark.parametrize("door", DOORS)
def test_lockout_is_per_username_and_address(client, who, door):
    """Someone guessing from one address does not lock the user out of their own desk."""
    attempt, ok = DOORS[door]
    for _ in range(LIMIT):
        attempt(client, who.username, "wrong-password", ip="203.0.113.9")
    assert attempt(client, who.username, PASSWORD, ip="203.0.113.9").status_code == 429
    assert ok(attempt(client, who.username, PASSWORD, ip="10.0.0.7"))


def test_second_lockout_lasts_twice_as_long(client, who):
    for _ in range(LIMIT):
        token_try(client, who.username, "wrong")
    first = int(token_try(client, who.username, PASSWORD)["Retry-After"])
    rewind(16)
    # After the cool-off the right password works (and a success clears the count).
    assert token_ok(token_try(client, who.username, PASSWORD))
    # Guess again: the second lockout of the same pair doubles the cool-off.
    for _ in range(LIMIT):
        token_try(client, who.username, "wrong")
    response = token_try(client, who.username, PASSWORD)
    assert response.status_code == 429
    second = int(response["Retry-After"])
    assert 29 * 60 <= second <= 30 * 60
    assert first <= 15 * 60
    rewind(16)
    assert token_try(client, who.username, PASSWORD).status_code == 429
    rewind(15)
    assert token_ok(token_try(client, who.username, PASSWORD))


def test_failed_sign_ins_are_recorded_with_door_and_address(client, who):
    page_try(client, who.username, "wrong", ip="198.51.100.4")
    token_try(client, "nobody-such", "wrong", ip="198.51.100.5")
    admin_try(client, who.username, "wrong", ip="198.51.100.6")
    failed = {
        (e.door, e.username, e.ip_address)
        for e in AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    }
    assert failed == {
        ("page", who.username, "198.51.100.4"),
        ("token", "nobody-such", "198.51.100.5"),
        ("admin", who.username, "198.51.100.6"),
    }
    assert token_ok(token_try(client, who.username, PASSWORD, ip="198.51.100.5"))
    assert page_ok(page_try(client, who.username, PASSWORD, ip="198.51.100.4"))
    signed_in = set(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN).values_list("door", "actor")
    )
    assert signed_in == {("token", who.pk), ("page", who.pk)}


def test_lockout_page_in_chinese(client, who):
    for _ in range(LIMIT):
        client.post(
            "/login/",
            {"username": who.username, "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    response = client.post(
        "/login/",
        {"username": who.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 429
    assert '<html lang="zh-hans"' in response.content.decode()
