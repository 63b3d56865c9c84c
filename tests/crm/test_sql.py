import pytest
from django.db import connection, transaction

from crm.errors import NotFound
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
