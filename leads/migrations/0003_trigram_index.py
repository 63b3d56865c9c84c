"""PostgreSQL: a trigram GIN index on the normalised brand of every lead (pg_trgm), so that
similar-name candidates are found without scanning. SQLite uses LeadNameGram instead."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS leadname_brand_trgm ON leads_leadname USING gin (brand gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS leadname_brand_trgm"]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_dedupe_index")]

    operations = [migrations.RunPython(forward, backward)]
