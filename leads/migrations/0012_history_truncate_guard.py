"""No TRUNCATE of the lifecycle history either (PostgreSQL). TRUNCATE fires no row triggers,
so the append-only trigger of 0007 never sees it: a statement-level trigger refuses it.

The guard function is shared with the ownership history and the credit ledger (assignments).
It lets a TRUNCATE through only when both hold:
- the session asked for it (`SET noclash.allow_truncate = on`: the test suite's flush between
  transactional tests, a throw-away bench database), and
- the one asking owns the table (or is a member of its owner role, or a superuser).
Any role may set the setting, so the setting alone would guard nothing; the application's
role owns no table (README, "Database roles"), so even a mistaken grant of TRUNCATE to it,
with the setting on, is refused. The owner could drop the trigger, as it could drop the
table: the guard is against accidents such as `manage.py flush` on the wrong database.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION noclash_refuse_truncate() RETURNS trigger AS $$
    BEGIN
        IF current_setting('noclash.allow_truncate', true) = 'on'
           AND pg_has_role(
               current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER'
           ) THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER status_change_no_truncate
    BEFORE TRUNCATE ON leads_statuschange
    FOR EACH STATEMENT EXECUTE FUNCTION noclash_refuse_truncate()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS status_change_no_truncate ON leads_statuschange",
    "DROP FUNCTION IF EXISTS noclash_refuse_truncate()",
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
    # 0011 comes from another branch of issue 15; the lead re-points this after merging it.
    dependencies = [("leads", "0011_export_records")]

    operations = [migrations.RunPython(forward, backward)]
