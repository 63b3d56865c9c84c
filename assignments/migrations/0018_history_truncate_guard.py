"""No TRUNCATE of the ownership history, the credit ledger or the disputes (PostgreSQL): the
tables whose rows triggers already keep from UPDATE and DELETE (0003, 0009, 0013). TRUNCATE
fires no row triggers, so a statement-level trigger refuses it, with the guard function of
leads 0012 (which says when a TRUNCATE is let through: the table's owner, in a session that
set `noclash.allow_truncate = on`, as the test suite's flush does)."""

from django.db import migrations

TABLES = {
    "ownership_event_no_truncate": "assignments_ownershipevent",
    "credit_no_truncate": "assignments_credit",
    "dispute_no_truncate": "assignments_dispute",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for trigger, table in TABLES.items():
            schema_editor.execute(
                f"CREATE TRIGGER {trigger} BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION noclash_refuse_truncate()",
                params=None,
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for trigger, table in TABLES.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}", params=None)


class Migration(migrations.Migration):
    # 0017 comes from another branch of issue 15; the lead re-points this after merging it.
    dependencies = [
        ("assignments", "0017_import_jobs"),
        ("leads", "0012_history_truncate_guard"),
    ]

    operations = [migrations.RunPython(forward, backward)]
