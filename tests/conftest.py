import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Team, User

PASSWORD = "correct-horse-battery-9"


def make_user(
    username: str, *, role: str = User.Role.REP, team: Team | None = None, **extra
) -> User:
    return account_services.create_user(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        display_name=extra.pop("display_name", username.title()),
        team=team,
        **extra,
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Caches are keyed by database ids, which the tests reuse after each rollback."""
    from django.core.cache import cache

    from assignments.selectors.territory import clear_rules_cache

    cache.clear()
    clear_rules_cache()
    yield
    cache.clear()
    clear_rules_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Chinese leaves its language active in the thread (LocaleMiddleware does
    not reset it): each test starts in the default language, whatever ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def team(db) -> Team:
    return account_services.create_team(actor=None, name="East")


@pytest.fixture
def other_team(db) -> Team:
    return account_services.create_team(actor=None, name="South")


@pytest.fixture
def manager(team) -> User:
    user = make_user("manny", role=User.Role.MANAGER, team=team)
    team.manager = user
    team.save()
    return user


@pytest.fixture
def other_manager(other_team) -> User:
    user = make_user("olga", role=User.Role.MANAGER, team=other_team)
    other_team.manager = user
    other_team.save()
    return user


@pytest.fixture
def rep(team, manager) -> User:
    return make_user("alice", team=team, display_name="Alice Rep")


@pytest.fixture
def teammate(team, manager) -> User:
    return make_user("bob", team=team, display_name="Bob Rep")


@pytest.fixture
def outsider(other_team, other_manager) -> User:
    return make_user("charlie", team=other_team, display_name="Charlie Rep")


@pytest.fixture
def admin_user(db) -> User:
    return make_user("root_admin", role=User.Role.ADMIN, display_name="Ada Admin")


@pytest.fixture
def api():
    """api(user) -> an APIClient that sends that user's token; api() is anonymous."""

    def _client(user: User | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            token = account_services.issue_token(username=user.username, password=PASSWORD)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def make_lead(db):
    """make_lead(actor=None, **fields): create a lead through the service (a pool lead when
    the actor is an admin/manager, owned by the actor when a rep)."""
    from assignments import services

    counter = {"n": 0}

    def _make(actor: User | None = None, **fields):
        counter["n"] += 1
        n = counter["n"]
        if actor is None:
            actor = User.objects.filter(role=User.Role.ADMIN).first() or make_user(
                "pool_admin", role=User.Role.ADMIN
            )
        # Distinct customers: names that share no brand, and a phone/e-mail of their own, so
        # the duplicate check lets every one of them in.
        tag = hashlib.sha256(f"lead-{n}".encode()).hexdigest()[:10]
        fields.setdefault("company_name", f"Firm {tag}")
        fields.setdefault(
            "contacts",
            [
                {
                    "name": "Wang",
                    "title": "CEO",
                    # The first one keeps the number older tests read back (138****8000).
                    "phone": f"1381234{8000 + n - 1:04d}",
                    "email": "wang@example.cn" if n == 1 else f"wang@{tag}.cn",
                }
            ],
        )
        # Test lists ("Pool 0", "Pool 1", ...) look alike on purpose: confirmed as distinct.
        fields.setdefault("confirm_duplicate", True)
        return services.create_lead(actor=actor, **fields)

    return _make


@pytest.fixture
def set_policy(db):
    """set_policy(team=None, **values): change the global policy or a team's overrides."""
    from assignments.services import update_policy

    def _set(team: Team | None = None, **values):
        return update_policy(actor=None, team=team, changes=values)

    return _set


def expire_claim(lead_id: int, *, ago: timedelta = timedelta(seconds=1)) -> None:
    """Move a lead's open claim back in time so that its protection ended `ago`."""
    from django.db.models import F
    from django.utils import timezone

    from assignments.models import Ownership

    period = Ownership.objects.get(lead_id=lead_id, ended_at__isnull=True)
    shift = period.protected_until - timezone.now() + ago
    Ownership.objects.filter(pk=period.pk).update(
        started_at=F("started_at") - shift, protected_until=F("protected_until") - shift
    )


def mark_won(lead) -> None:
    """Mark a customer won. Changing a customer's status is the lifecycle issue's service;
    until it lands, tests set the column directly (nothing else reads it in between)."""
    from leads.models import Lead

    Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.WON)
