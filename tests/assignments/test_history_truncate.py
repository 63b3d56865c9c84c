"""TRUNCATE of the history tables is refused on PostgreSQL (assignments 0018, leads 0012):
TRUNCATE fires no row trigger, so the append-only triggers alone would let it empty them.

The test database's connections set `noclash.allow_truncate = on` (crm/settings/test.py) so
that the flush after each transactional test works; these tests turn it off, or act as
another role, inside a savepoint of the test's transaction, which rolls everything back
(TRUNCATE and CREATE ROLE included)."""

import os
import re

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from assignments.models import Credit, Dispute, OwnershipEvent
from assignments.services.lifecycle import change_status
from leads.models import Lead, StatusChange

GUARDED = [OwnershipEvent, Credit, Dispute, StatusChange]
REFUSED = re.escape("append-only (TRUNCATE refused)")


@pytest.fixture
def pg(on_postgres):
    if not on_postgres:
        pytest.skip("the TRUNCATE guard is a PostgreSQL trigger")


@pytest.fixture
def history(pg, rep, make_lead):
    """A customer owned by a rep, contacted: its history rows exist. (Their deferred
    foreign-key checks run now: PostgreSQL refuses any TRUNCATE of a table with pending
    trigger events, before our guard would speak.)"""
    lead = make_lead(actor=rep)
    change_status(lead_id=lead.pk, actor=rep, status=Lead.Status.CONTACTED)
    assert OwnershipEvent.objects.exists() and StatusChange.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def run(*statements: str) -> None:
    """The statements in a savepoint that is always rolled back; re-raises their error."""
    with pytest.raises(_RolledBack), transaction.atomic():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        raise _RolledBack


class _RolledBack(Exception):
    pass


@pytest.mark.parametrize("model", GUARDED, ids=lambda m: m._meta.db_table)
def test_the_owner_without_the_setting_is_refused(history, model):
    table = model._meta.db_table
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL noclash.allow_truncate = off")
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert OwnershipEvent.objects.exists() and StatusChange.objects.exists()


def test_a_cascade_from_the_customers_is_refused(history):
    """TRUNCATE leads_lead CASCADE would empty the history through its foreign keys."""
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL noclash.allow_truncate = off")
            cursor.execute("TRUNCATE leads_lead CASCADE")
    assert OwnershipEvent.objects.exists()


def test_the_owner_may_when_its_session_says_so(history):
    """What the test suite's flush does (the setting is on for the test connections)."""
    with pytest.raises(_RolledBack), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL noclash.allow_truncate = on")
            cursor.execute("TRUNCATE assignments_ownershipevent, leads_statuschange CASCADE")
        assert not OwnershipEvent.objects.exists() and not StatusChange.objects.exists()
        raise _RolledBack
    assert OwnershipEvent.objects.exists() and StatusChange.objects.exists()


@pytest.fixture
def app_role(history):
    """A role like the application's (owns no table), which was wrongly granted TRUNCATE too.
    Created inside the test's transaction: it disappears with the rollback."""
    role = f"noclash_test_app_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public "
            f"TO {role}"
        )
    return role


@pytest.mark.parametrize("model", GUARDED, ids=lambda m: m._meta.db_table)
def test_another_role_is_refused_even_with_truncate_granted_and_the_setting_on(app_role, model):
    table = model._meta.db_table
    with pytest.raises(DatabaseError, match=REFUSED):
        run(
            f"SET LOCAL ROLE {app_role}",
            "SET LOCAL noclash.allow_truncate = on",
            f"TRUNCATE {table} CASCADE",
        )
    assert OwnershipEvent.objects.exists() and StatusChange.objects.exists()


def test_another_role_cannot_switch_the_guard_off(app_role):
    with pytest.raises(DatabaseError, match="must be owner"):
        run(
            f"SET LOCAL ROLE {app_role}",
            "ALTER TABLE assignments_ownershipevent DISABLE TRIGGER ownership_event_no_truncate",
        )
    with pytest.raises(DatabaseError, match="must be owner"):
        run(f"SET LOCAL ROLE {app_role}", "DROP TRIGGER credit_no_truncate ON assignments_credit")
    with pytest.raises(DatabaseError, match="permission denied"):
        run(f"SET LOCAL ROLE {app_role}", "SET LOCAL session_replication_role = replica")


def test_the_guard_is_on_every_history_table(pg, db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger"
            " WHERE tgfoid = 'noclash_refuse_truncate'::regproc AND tgenabled = 'O'"
        )
        tables = {row[0] for row in cursor.fetchall()}
    assert tables == {model._meta.db_table for model in GUARDED}


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_still_empties_the_history(pg, rep, make_lead):
    """What runs after every transactional test: `flush`, a TRUNCATE of every table."""
    lead = make_lead(actor=rep)
    change_status(lead_id=lead.pk, actor=rep, status=Lead.Status.CONTACTED)
    assert OwnershipEvent.objects.exists() and StatusChange.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not OwnershipEvent.objects.exists() and not StatusChange.objects.exists()
