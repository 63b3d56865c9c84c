import pytest
from django.db import connection, transaction

from crm.errors import NotFound
from crm.sql import Statement
from leads.locks import lock_lead


@pytest.mark.django_db(transaction=True)
def test_hot_statements_survive_a_rollback_and_a_reconnect(make_lead):
    """On PostgreSQL the hot statements are prepared once per connection (crm/sql.py): a
    rolled-back transaction keeps them, a new connection prepares them again."""
    lead = make_lead()
    connection.close()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        assert lock_lead(lead.pk).pk == lead.pk  # first use on this connection
        raise Undo
    with transaction.atomic():
        assert lock_lead(lead.pk).company_name == lead.company_name
        with pytest.raises(NotFound):
            lock_lead(lead.pk + 1000)
    connection.close()
    with transaction.atomic():
        assert lock_lead(lead.pk).pk == lead.pk


@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_does_not_lose_track_of_prepared_statements(make_lead):
    from django.db import IntegrityError

    from leads.models import Lead

    lead = make_lead()
    connection.close()
    with pytest.raises(IntegrityError), transaction.atomic():
        lock_lead(lead.pk)
        # Any failing statement: the transaction is aborted and rolled back.
        Lead.objects.filter(pk=lead.pk).update(company_name=None)
    assert lock_lead(lead.pk).pk == lead.pk


STANDALONE = Statement(
    "test_standalone_insert",
    "INSERT INTO assignments_collision (user_id, lead_id, owner_id, code, attempted, reasons, "
    "confirmed, at) VALUES (%s, %s, NULL, 'already_owned', '{}', '[]', false, %s)",
)


@pytest.mark.django_db(transaction=True)
def test_a_statement_committed_on_its_own(make_lead, rep, on_postgres):
    """One round trip, its own transaction, committed asynchronously on PostgreSQL; the
    session's setting is untouched after, and a failure leaves the connection usable."""
    from django.db import IntegrityError
    from django.utils import timezone

    from assignments.models import Collision

    lead = make_lead()
    with connection.cursor() as cursor:
        STANDALONE.execute_committed_async(cursor, [rep.pk, lead.pk, timezone.now()])
        if on_postgres:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
        with pytest.raises(IntegrityError):
            STANDALONE.execute_committed_async(cursor, [rep.pk, 987654321, timezone.now()])
    assert Collision.objects.filter(lead=lead).count() == 1  # and the connection works
    with pytest.raises(RuntimeError), transaction.atomic(), connection.cursor() as cursor:
        STANDALONE.execute_committed_async(cursor, [rep.pk, lead.pk, timezone.now()])
    assert Collision.objects.count() == 1
