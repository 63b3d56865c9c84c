"""The credit ledger is append-only: on PostgreSQL a trigger refuses UPDATE and DELETE of
credits (a correction appends a reversal and new shares instead)."""

from django.db import migrations

FORWARD = [
    """
    CREATE TRIGGER credit_append_only
    BEFORE UPDATE OR DELETE ON assignments_credit
    FOR EACH ROW EXECUTE FUNCTION noclash_history_is_append_only()
    """,
]
BACKWARD = ["DROP TRIGGER IF EXISTS credit_append_only ON assignments_credit"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0008_credit_collaborators")]

    operations = [migrations.RunPython(forward, backward)]
