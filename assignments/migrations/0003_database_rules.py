"""Rules the database enforces on PostgreSQL beyond Django's constraints:

- ownership periods of one lead never overlap (exclusion constraint with btree_gist), so
  "who owned this customer at time T" has exactly one answer;
- the ownership history is append-only: UPDATE and DELETE raise.

SQLite keeps the partial unique index (one open period per lead); a history trigger there would
also block the test-suite flush (DELETE FROM), and the app offers no way to edit history.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE assignments_ownership ADD CONSTRAINT ownership_periods_do_not_overlap
    EXCLUDE USING gist (lead_id WITH =, tstzrange(started_at, ended_at, '[)') WITH &&)
    """,
    """
    CREATE OR REPLACE FUNCTION noclash_history_is_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ownership history is append-only (% refused)', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER ownership_event_append_only
    BEFORE UPDATE OR DELETE ON assignments_ownershipevent
    FOR EACH ROW EXECUTE FUNCTION noclash_history_is_append_only()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS ownership_event_append_only ON assignments_ownershipevent",
    "DROP FUNCTION IF EXISTS noclash_history_is_append_only()",
    "ALTER TABLE assignments_ownership DROP CONSTRAINT IF EXISTS ownership_periods_do_not_overlap",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("assignments", "0002_initial")]

    operations = [migrations.RunPython(forward, backward)]
