"""The admin console's services: users (role, team, capacity, activation), away periods,
teams and API keys. Admins only; every refusal is a domain error with a stable code."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import services
from accounts.exceptions import (
    ApiKeySourceTaken,
    CannotChangeSelf,
    InvalidApiKey,
    InvalidAwayPeriod,
    InvalidCapacity,
    InvalidUserChange,
    NotAManager,
    StillManagesTeams,
    TeamNameTaken,
)
from accounts.models import ApiKey, AwayPeriod, Team, User
from crm.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


def test_admin_changes_role_team_capacity_name_and_email(admin_user, rep, other_team):
    services.update_user(
        actor=admin_user,
        user_id=rep.pk,
        role=User.Role.MANAGER,
        team=other_team,
        capacity=12,
        display_name="  Alice Wang ",
        email="alice@example.cn",
    )
    rep.refresh_from_db()
    assert (rep.role, rep.team, rep.capacity) == (User.Role.MANAGER, other_team, 12)
    assert (rep.display_name, rep.email) == ("Alice Wang", "alice@example.cn")


def test_only_the_keys_given_change_and_empty_capacity_means_the_team_limit(admin_user, rep):
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=5)
    services.update_user(actor=admin_user, user_id=rep.pk, email="a@example.cn")
    rep.refresh_from_db()
    assert rep.capacity == 5
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=None)
    rep.refresh_from_db()
    assert rep.capacity is None
    assert rep.email == "a@example.cn"


@pytest.mark.parametrize("capacity", [0, -1, 10_001, 10**12, "abc", 2.5, True])
def test_capacity_out_of_bounds_is_refused_and_nothing_changes(admin_user, rep, capacity):
    with pytest.raises(InvalidCapacity):
        services.update_user(actor=admin_user, user_id=rep.pk, capacity=capacity, role="manager")
    rep.refresh_from_db()
    assert (rep.capacity, rep.role) == (None, User.Role.REP)


def test_bad_role_or_email_is_a_domain_error(admin_user, rep):
    with pytest.raises(InvalidUserChange):
        services.update_user(actor=admin_user, user_id=rep.pk, role="boss")
    with pytest.raises(InvalidUserChange):
        services.update_user(actor=admin_user, user_id=rep.pk, email="not an address")


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_only_admins_change_users(request, who, teammate):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.update_user(actor=actor, user_id=teammate.pk, capacity=3)
    with pytest.raises(PermissionDenied):
        services.add_away_period(
            actor=actor,
            user_id=teammate.pk,
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(days=1),
        )
    teammate.refresh_from_db()
    assert teammate.capacity is None
    assert not AwayPeriod.objects.exists()


def test_an_admin_cannot_deactivate_or_demote_themself(admin_user):
    with pytest.raises(CannotChangeSelf):
        services.update_user(actor=admin_user, user_id=admin_user.pk, is_active=False)
    with pytest.raises(CannotChangeSelf):
        services.update_user(actor=admin_user, user_id=admin_user.pk, role=User.Role.MANAGER)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.role == User.Role.ADMIN
    # Their own name is theirs to change.
    services.update_user(actor=admin_user, user_id=admin_user.pk, display_name="Ada")


def test_deactivate_and_reactivate(admin_user, rep):
    services.update_user(actor=admin_user, user_id=rep.pk, is_active=False)
    rep.refresh_from_db()
    assert not rep.is_active and not rep.is_rep
    services.update_user(actor=admin_user, user_id=rep.pk, is_active=True)
    rep.refresh_from_db()
    assert rep.is_active


def test_a_manager_who_runs_a_team_is_not_made_a_rep(admin_user, manager, team):
    with pytest.raises(StillManagesTeams) as refused:
        services.update_user(actor=admin_user, user_id=manager.pk, role=User.Role.REP)
    assert refused.value.extra["teams"] == [team.name]
    services.update_team(actor=admin_user, team_id=team.pk, manager=None)
    services.update_user(actor=admin_user, user_id=manager.pk, role=User.Role.REP)
    manager.refresh_from_db()
    assert manager.role == User.Role.REP


def test_unknown_user_is_not_found(admin_user):
    with pytest.raises(NotFound):
        services.update_user(actor=admin_user, user_id=999_999, capacity=3)
    with pytest.raises(NotFound):
        services.update_user(actor=admin_user, user_id=2**70, capacity=3)


# --- away periods ---------------------------------------------------------------------------
def test_away_periods_add_end_and_delete(admin_user, rep):
    now = timezone.now()
    current = services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=2),
        reason="年假",
    )
    future = services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=now + timedelta(days=10),
        ends_at=now + timedelta(days=12),
    )
    assert current.created_by == admin_user and current.reason == "年假"

    ended = services.end_away_period(actor=admin_user, period_id=current.pk)
    assert ended.ends_at <= timezone.now()
    assert AwayPeriod.objects.filter(pk=current.pk).exists()  # the record stays
    # A period that has not begun is dropped when "ended".
    assert services.end_away_period(actor=admin_user, period_id=future.pk) is None
    assert not AwayPeriod.objects.filter(pk=future.pk).exists()

    services.delete_away_period(actor=admin_user, period_id=current.pk)
    assert not AwayPeriod.objects.filter(user=rep).exists()
    with pytest.raises(NotFound):
        services.delete_away_period(actor=admin_user, period_id=current.pk)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (timedelta(days=2), timedelta(days=1)),  # ends before it starts
        (timedelta(days=1), timedelta(days=1)),  # empty
        (timedelta(days=-5), timedelta(days=-1)),  # already over
        (timedelta(days=-400), timedelta(days=1)),  # began more than a year ago
        (timedelta(days=1), timedelta(days=2000)),  # ends beyond five years
    ],
)
def test_away_period_bounds(admin_user, rep, starts, ends):
    now = timezone.now()
    with pytest.raises(InvalidAwayPeriod):
        services.add_away_period(
            actor=admin_user, user_id=rep.pk, starts_at=now + starts, ends_at=now + ends
        )
    assert not AwayPeriod.objects.exists()


def test_replace_away_periods_keeps_the_past_and_is_all_or_nothing(admin_user, rep):
    now = timezone.now()
    services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
    )
    past = AwayPeriod.objects.create(
        user=rep, starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=8)
    )
    bad = [
        {"starts_at": now + timedelta(days=5), "ends_at": now + timedelta(days=6)},
        {"starts_at": now + timedelta(days=8), "ends_at": now + timedelta(days=7)},
    ]
    with pytest.raises(InvalidAwayPeriod):
        services.replace_away_periods(actor=admin_user, user_id=rep.pk, periods=bad)
    assert AwayPeriod.objects.filter(user=rep).count() == 2

    new = services.replace_away_periods(actor=admin_user, user_id=rep.pk, periods=bad[:1])
    assert set(AwayPeriod.objects.filter(user=rep).values_list("pk", flat=True)) == {
        past.pk,
        new[0].pk,
    }


# --- teams ----------------------------------------------------------------------------------
def test_update_team_renames_and_changes_manager(admin_user, team, manager, other_manager):
    services.update_team(actor=admin_user, team_id=team.pk, name="East China")
    team.refresh_from_db()
    assert (team.name, team.manager) == ("East China", manager)
    services.update_team(actor=admin_user, team_id=team.pk, manager=other_manager)
    team.refresh_from_db()
    assert team.manager == other_manager


def test_team_refusals(admin_user, team, other_team, rep, manager):
    with pytest.raises(TeamNameTaken):
        services.update_team(actor=admin_user, team_id=team.pk, name=other_team.name.upper())
    with pytest.raises(TeamNameTaken):
        services.create_team(actor=admin_user, name=" east ")
    with pytest.raises(NotAManager):
        services.update_team(actor=admin_user, team_id=team.pk, manager=rep)
    with pytest.raises(InvalidUserChange):
        services.update_team(actor=admin_user, team_id=team.pk, name="   ")
    with pytest.raises(PermissionDenied):
        services.update_team(actor=manager, team_id=team.pk, name="Mine")
    with pytest.raises(NotFound):
        services.update_team(actor=admin_user, team_id=999_999, name="Ghost")
    team.refresh_from_db()
    assert (team.name, team.manager) == ("East", manager)


def test_a_new_manager_without_a_team_joins_the_team_they_run(admin_user, team):
    boss = services.create_user(
        actor=admin_user, username="boss", password="a-long-Secret-771", role="manager"
    )
    services.update_team(actor=admin_user, team_id=team.pk, manager=boss)
    boss.refresh_from_db()
    assert boss.team == team
    assert Team.objects.get(pk=team.pk).manager == boss


# --- API keys -------------------------------------------------------------------------------
def test_create_api_key_keeps_only_the_hash(admin_user):
    key, raw = services.create_api_key(actor=admin_user, name="Website form", source="website")
    assert len(raw) >= 40
    assert key.prefix == raw[:8]
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {key.name, key.source, key.key_hash, key.prefix}
    assert key.created_by == admin_user and key.is_live


def test_one_live_key_per_source_until_revoked(admin_user):
    first, _raw = services.create_api_key(actor=admin_user, name="Form", source="website")
    with pytest.raises(ApiKeySourceTaken):
        services.create_api_key(actor=admin_user, name="Form 2", source="Website")
    revoked = services.revoke_api_key(actor=admin_user, key_id=first.pk)
    assert revoked.revoked_at is not None and revoked.revoked_by == admin_user
    again = services.revoke_api_key(actor=admin_user, key_id=first.pk)
    assert again.revoked_at == revoked.revoked_at  # revoking twice changes nothing
    second, _raw = services.create_api_key(actor=admin_user, name="Form 2", source="website")
    assert second.is_live and ApiKey.objects.count() == 2


@pytest.mark.parametrize(("name", "source"), [("", "web"), ("Form", "  "), ("x" * 101, "web")])
def test_api_key_needs_a_name_and_a_source(admin_user, name, source):
    with pytest.raises(InvalidApiKey):
        services.create_api_key(actor=admin_user, name=name, source=source)


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_only_admins_manage_keys(request, who, admin_user):
    key, _raw = services.create_api_key(actor=admin_user, name="Form", source="web")
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_api_key(actor=actor, name="Mine", source="mine")
    with pytest.raises(PermissionDenied):
        services.revoke_api_key(actor=actor, key_id=key.pk)
    key.refresh_from_db()
    assert key.is_live
    with pytest.raises(NotFound):
        services.revoke_api_key(actor=admin_user, key_id=999_999)


@pytest.mark.django_db(transaction=True)
def test_two_admins_creating_a_key_for_one_source_at_once_get_one_key(admin_user):
    """The database's one-live-key-per-source constraint decides; the loser gets the
    domain error, not an IntegrityError."""
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def create(n: int) -> None:
        try:
            barrier.wait()
            services.create_api_key(actor=admin_user, name=f"Form {n}", source="website")
            outcomes.append("created")
        except ApiKeySourceTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "taken", "taken", "taken"]
    assert ApiKey.objects.filter(source="website", revoked_at__isnull=True).count() == 1
