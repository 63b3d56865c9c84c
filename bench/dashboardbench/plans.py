"""What the dashboard's requests run, in process through the full middleware stack
(django.test.Client with the same token or session as the load): the SQL statements per
request, and EXPLAIN (ANALYZE, BUFFERS) of those on the large tables, summarised to the
indexes (or scans) each one uses and its execution time. And the index the dashboard needs
on the ownership history, which the assignments app's next migration adds (created here, the
same definition, when the database does not have it yet)."""

import re
import time

# The tables whose reads matter at scale.
LARGE_TABLES = (
    "assignments_ownershipevent",
    "leads_followup",
    "leads_statuschange",
    "leads_lead",
    "assignments_collision",
    "assignments_credit",
    "assignments_ownership",
    "assignments_transferrequest",
    "assignments_dispute",
)


def proposed_indexes():
    """(model, index): the AddIndex the lead engineer adds to the assignments app (the
    dashboard's helper may not write migrations there)."""
    from django.db import models

    from assignments.models import OwnershipEvent

    return [
        (
            OwnershipEvent,
            models.Index(
                fields=["at"], include=["kind", "from_owner", "to_owner"], name="event_at_kinds"
            ),
        )
    ]


def ensure_proposed_indexes(*, drop: bool = False) -> list[str]:
    """Create the proposed indexes that are missing (or, with `drop`, remove them to measure
    without); returns what was done."""
    from django.db import connection

    done = []
    for model, index in proposed_indexes():
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
        with connection.schema_editor() as editor:
            if drop and index.name in existing:
                editor.remove_index(model, index)
                done.append(f"dropped {index.name}")
            elif not drop and index.name not in existing:
                started = time.monotonic()
                editor.add_index(model, index)
                done.append(
                    f"created {index.name} ({str(index.create_sql(model, editor))}) in "
                    f"{time.monotonic() - started:.0f} s"
                )
    return done


def capture(path: str, headers: dict[str, str]):
    """One request as the load sends it, after a first one that warms the connection."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        ms = (time.perf_counter() - started) * 1000
    return response.status_code, list(captured.captured_queries), ms


def count_queries(path: str, headers: dict[str, str]) -> int:
    status, queries, _ms = capture(path, headers)
    assert status == 200, (path, status)
    return len(queries)


def plan_summary(sql: str) -> tuple[float, list[str]]:
    """The execution time of a statement (second of two runs: the steady state) and the
    access paths of its plan: which index each scan uses, or that it scans a table."""
    from django.db import connection

    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
    ms = 0.0
    paths = []
    for line in lines:
        found = re.search(r"Execution Time: ([\d.]+) ms", line)
        if found:
            ms = float(found.group(1))
        scan = re.search(
            r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
            r"(?: Backward)?(?: using (\w+))? on (\w+))",
            line,
        )
        if scan:
            rows = re.search(r"actual time=[\d.]+\.\.[\d.]+ rows=(\d+)", line)
            paths.append(f"{scan.group(1)} ({rows.group(1) if rows else '?'} rows)")
        elif "Bitmap Index Scan on" in line:
            paths.append(line.strip().split("  (")[0])
    return ms, paths


def print_plans(requests: list[tuple[str, str, dict[str, str]]]) -> None:
    """For each (name, path, headers): the statements per request, and each statement on a
    large table with its access paths and time."""
    for name, path, headers in requests:
        status, queries, ms = capture(path, headers)
        large = [q for q in queries if any(f'"{t}"' in q["sql"] for t in LARGE_TABLES)]
        print(
            f"\n=== {name}: GET {path} -> {status}, {ms:.0f} ms in process, "
            f"{len(queries)} statements, {len(large)} on the large tables:"
        )
        for query in large:
            sql = query["sql"]
            took, paths = plan_summary(sql)
            table = next(t for t in LARGE_TABLES if f'"{t}"' in sql)
            print(f"  {took:7.1f} ms  {table}: {'; '.join(paths) or '-'}")
