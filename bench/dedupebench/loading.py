"""Loading the synthetic customers: every lead's index rows computed with the product's own
normaliser (one process per core), then COPY of leads, contacts, keys and names; the indexes
(btree on keys, trigram GIN on brands) are built after the load, then VACUUM ANALYZE and a
CHECKPOINT. The generated rows are cached in var/bench-dedupe/ for the next run."""

import hashlib
import multiprocessing
import os
import random
import time
from pathlib import Path

from common import BASE_DIR, copy_text

from .customers import SEED, make_lead


def _index_chunk(args):
    """Worker: the index rows of leads [start, stop), as COPY text."""
    start, stop = args
    import django

    django.setup()
    from leads.dedupe.identity import identity_of_payload

    leads, contacts, keys, names = [], [], [], []
    for i in range(start, stop):
        rng = random.Random(SEED * 7919 + i)  # noqa: S311 - synthetic data
        lead = make_lead(rng, i)
        lead_id = i + 1
        identity = identity_of_payload(lead)
        leads.append((lead_id, lead))
        for contact in lead["contacts"]:
            contacts.append((lead_id, contact))
        keys.extend((lead_id, key) for key in identity.keys)
        if identity.name is not None:
            n = identity.name
            names.append(
                (
                    lead_id,
                    n.core,
                    identity.brand,
                    n.pinyin,
                    identity.city,
                    identity.uscc,
                    identity.individual,
                )
            )
    return leads, contacts, keys, names


def load(count: int) -> None:
    """Generate (or reuse) and COPY the leads with their contacts and index rows."""
    from django.db import connection
    from django.utils import timezone

    from leads.models import Contact, Lead

    cache = BASE_DIR / "var" / "bench-dedupe" / f"{count}-{SEED}-{_normaliser_digest()}"
    cache.mkdir(parents=True, exist_ok=True)
    files = {t: cache / f"{t}.tsv" for t in ("lead", "contact", "key", "name")}
    if not all(f.exists() for f in files.values()):
        started = time.perf_counter()
        fields = [f for f in Lead._meta.concrete_fields if not f.primary_key]
        defaults = {f.column: f.get_default() for f in fields}
        defaults.update(source="bench", created_at=timezone.now(), pool_team_id=None)
        step = 20_000
        chunks = [(s, min(s + step, count)) for s in range(0, count, step)]
        out = {t: f.open("w") for t, f in files.items()}
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 2) as pool:
            for leads, contacts, keys, names in pool.imap(_index_chunk, chunks):
                for lead_id, lead in leads:
                    row = {**defaults, **{k: v for k, v in lead.items() if k != "contacts"}}
                    values = [str(lead_id)] + [copy_text(row[f.column]) for f in fields]
                    out["lead"].write("\t".join(values) + "\n")
                for lead_id, c in contacts:
                    out["contact"].write(
                        "\t".join(
                            copy_text(v)
                            for v in (lead_id, c["name"], c["title"], c["phone"], c["email"])
                        )
                        + "\n"
                    )
                for lead_id, key in keys:
                    out["key"].write(f"{lead_id}\t{copy_text(key)}\n")
                for row in names:
                    out["name"].write("\t".join(copy_text(v) for v in row) + "\n")
        for f in out.values():
            f.close()
        print(f"generated and normalised {count:,} leads in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    lead_cols = ["id"] + [f.column for f in Lead._meta.concrete_fields if not f.primary_key]
    contact_cols = ["lead_id", "name", "title", "phone", "email"]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Build the indexes after the load, as a bulk import would.
        cursor.execute("DROP INDEX IF EXISTS leadkey_key")
        cursor.execute("DROP INDEX IF EXISTS leadname_brand_trgm")
        cursor.execute("ALTER TABLE leads_leadkey DROP CONSTRAINT IF EXISTS leadkey_one_per_lead")
        for table, cols, name in (
            ("leads_lead", lead_cols, "lead"),
            (Contact._meta.db_table, contact_cols, "contact"),
            ("leads_leadkey", ["lead_id", "key"], "key"),
            (
                "leads_leadname",
                ["lead_id", "core", "brand", "pinyin", "city", "uscc", "individual"],
                "name",
            ),
        ):
            with files[name].open() as f:
                cursor.copy_expert(
                    f"COPY {q(table)} ({', '.join(q(c) for c in cols)}) FROM STDIN", f
                )
        cursor.execute("SELECT setval(pg_get_serial_sequence('leads_lead', 'id'), %s)", [count])
        cursor.execute(
            "ALTER TABLE leads_leadkey ADD CONSTRAINT leadkey_one_per_lead UNIQUE (lead_id, key)"
        )
        cursor.execute("CREATE INDEX leadkey_key ON leads_leadkey (key)")
        cursor.execute(
            "CREATE INDEX leadname_brand_trgm ON leads_leadname USING gin (brand gin_trgm_ops)"
        )
        for table in ("leads_lead", "leads_contact", "leads_leadkey", "leads_leadname"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        # Measure a steady database, not the minutes in which a 1.5 GB load is checkpointed
        # (every commit's WAL flush waits behind that I/O).
        cursor.execute("CHECKPOINT")
        cursor.execute("SELECT count(*) FROM leads_leadkey")
        key_rows = cursor.fetchone()[0]
    print(
        f"loaded {count:,} leads, {key_rows:,} index keys, indexes built "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _normaliser_digest() -> str:
    """A digest of every module under leads/dedupe/ (sorted by path) and of the generator
    (customers.py and this file: what the cached rows are made of)."""
    package = BASE_DIR / "leads" / "dedupe"
    source = b"".join(path.read_bytes() for path in sorted(package.rglob("*.py")))
    here = Path(__file__).resolve().parent
    generator = b"".join((here / name).read_bytes() for name in ("customers.py", "loading.py"))
    return hashlib.sha256(source + generator).hexdigest()[:10]
