"""The lifecycle history is append-only, like the ownership history: on PostgreSQL a trigger
refuses UPDATE and DELETE of status changes. (SQLite: the app offers no way to edit them, and a
trigger there would also block the test suite's flush.)"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION noclash_record_is_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER status_change_append_only
    BEFORE UPDATE OR DELETE ON leads_statuschange
    FOR EACH ROW EXECUTE FUNCTION noclash_record_is_append_only()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS status_change_append_only ON leads_statuschange",
    "DROP FUNCTION IF EXISTS noclash_record_is_append_only()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_lifecycle_deals_kind_country")]

    operations = [migrations.RunPython(forward, backward)]
