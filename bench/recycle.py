"""Recycling 100,000 expired claims among 1,000,000 leads on PostgreSQL, while reps keep
claiming over HTTP.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-recycle
    .venv/bin/python bench/recycle.py [--leads 1000000 --expired 100000 --batch 1000]

Environment: BENCH_RECYCLE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/noclash_bench_recycle).

What one run does:
1. Recreates the database, migrates, COPYs the leads, creates 200 reps with tokens, and gives
   10% of the leads an expired claim (protection ended 1-3 days ago, oldest first) and another
   10% a live one, spread over the reps.
2. Measures the claim endpoint alone (wrk, 8 connections, uniform over the leads) for a
   baseline p50/p99.
3. Starts the same load again and, two seconds in, runs the real recycling service
   (`recycle_stale_claims`, what the Celery task calls) in this process: batches of
   --batch leads locked with SKIP LOCKED, one `expire` history row and one notification per
   lead. Prints seconds and leads/s, and the claim latency during the run.
4. Verifies: exactly one `expire` record and one notification per expired claim, no open
   stale claim left; then times an empty sweep.
Targets (issue 4): >= 10,000 leads/s including history and outbox rows; reps' claim p99 under
100 ms during the run. Exits 1 when a target is missed.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import (  # noqa: E402 - the claim benchmark's set-up helpers
    create_reps,
    ensure_tool,
    free_port,
    load_leads,
    migrate,
    open_the_pool,
    recreate_database,
    run_wrk,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_recycle"
TARGET_RATE = 10_000
TARGET_P99_MS = 100


def give_claims(*, leads: tuple[int, int], expired: int, live: int, rep_ids: list[int]) -> None:
    """Set-based: expired claims on every k-th lead, live ones on the next."""
    from django.db import connection

    total = leads[1] - leads[0] + 1
    step = total // (expired + live) * 2 or 2
    with connection.cursor() as cursor:
        for offset, count, ended_ago in ((0, expired, "1 day"), (1, live, None)):
            protected = (
                f"now() - interval '{ended_ago}' - (l.id %% 7200) * interval '30 seconds'"
                if ended_ago
                else "now() + interval '5 days'"
            )
            cursor.execute(
                f"""
                INSERT INTO assignments_ownership
                       (lead_id, owner_id, started_at, protected_until, ended_at, end_kind)
                SELECT l.id, (%(reps)s::bigint[])[1 + (l.id %% %(n)s)],
                       now() - interval '10 days', {protected}, NULL, ''
                  FROM leads_lead l
                 WHERE (l.id - %(first)s) %% %(step)s = %(offset)s
                 ORDER BY l.id
                 LIMIT %(count)s
                """,
                {
                    "reps": rep_ids,
                    "n": len(rep_ids),
                    "first": leads[0],
                    "step": step,
                    "offset": offset,
                    "count": count,
                },
            )
        cursor.execute("ANALYZE assignments_ownership")


def verify(expected: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT lead_id) FROM assignments_ownershipevent WHERE kind = 'expire'"
        )
        events, distinct = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM accounts_notification WHERE kind = 'claim_expired'")
        (notes,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM assignments_ownership o JOIN leads_lead l ON l.id = o.lead_id "
            "WHERE o.ended_at IS NULL AND o.protected_until <= now() AND l.status <> 'won'"
        )
        (left,) = cursor.fetchone()
    ok = events == distinct == notes == expected and left == 0
    return f"{'ok' if ok else 'FAILED'}: {events} expire records ({distinct} leads), {notes} notices, {left} stale left"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--expired", type=int, default=100_000)
    parser.add_argument("--live", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=8, help="wrk connections claiming")
    args = parser.parse_args()

    url = os.environ.get("BENCH_RECYCLE_DATABASE_URL", DEFAULT_DATABASE_URL)
    wrk = ensure_tool("wrk", "wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-recycle-"))
    started = time.monotonic()
    recreate_database(url)
    env = server_env(url, debug=False)
    env["RECYCLE_BATCH_SIZE"] = str(args.batch)
    setup_django(env)
    migrate()
    leads = load_leads(args.leads)
    rep_ids, tokens = create_reps(args.reps)
    open_the_pool()
    give_claims(leads=leads, expired=args.expired, live=args.live, rep_ids=rep_ids)
    print(
        f"loaded {args.leads:,} leads, {args.expired:,} expired and {args.live:,} live claims, "
        f"{args.reps} reps in {time.monotonic() - started:.0f} s",
        flush=True,
    )

    from assignments.services.recycle import recycle_stale_claims

    port = free_port()
    server = start_gunicorn(env, workers=args.workers, port=port, log=workdir / "gunicorn.log")
    try:
        load = {
            "wrk": wrk,
            "port": port,
            "workdir": workdir,
            "tokens": tokens,
            "leads": leads,
            "hot": [],
        }
        run_wrk(name="warm-up", clients=args.clients, seconds=3, **load)  # workers warm
        baseline = run_wrk(name="baseline", clients=args.clients, seconds=10, **load)
        during = {}

        def claim_during() -> None:
            during["result"] = run_wrk(name="during", clients=args.clients, seconds=12, **load)

        thread = threading.Thread(target=claim_during)
        thread.start()
        time.sleep(2)
        t0 = time.perf_counter()
        released = recycle_stale_claims(batch_size=args.batch)
        seconds = time.perf_counter() - t0
        thread.join()
        t1 = time.perf_counter()
        again = recycle_stale_claims(batch_size=args.batch)
        empty_ms = (time.perf_counter() - t1) * 1000
    finally:
        stop_gunicorn(server)

    check = verify(args.expired)
    rate = released / seconds if seconds else 0.0
    result = during["result"]
    print()
    print(
        f"recycled {released:,} expired claims among {args.leads:,} leads in {seconds:.2f} s = {rate:,.0f} leads/s"
    )
    print(
        f"  (batches of {args.batch}, with {released:,} history rows and {released:,} notifications)"
    )
    print(f"  integrity: {check}; a second, empty sweep released {again} in {empty_ms:.1f} ms")
    print(
        f"claims over HTTP ({args.clients} connections, {args.workers} gunicorn workers):\n"
        f"  baseline: {baseline.rps:6.0f} req/s, p50 {baseline.p50_ms:6.1f} ms, "
        f"p99 {baseline.p99_ms:6.1f} ms, errors {baseline.errors}\n"
        f"  during  : {result.rps:6.0f} req/s, p50 {result.p50_ms:6.1f} ms, "
        f"p99 {result.p99_ms:6.1f} ms, errors {result.errors}"
    )
    met_rate = rate >= TARGET_RATE
    met_p99 = result.p99_ms < TARGET_P99_MS and result.errors == 0
    print(f"target >= {TARGET_RATE:,} leads/s: {'met' if met_rate else 'NOT MET'}")
    print(
        f"target claim p99 < {TARGET_P99_MS} ms during the run, no errors: {'met' if met_p99 else 'NOT MET'}"
    )
    return 0 if (met_rate and met_p99 and check.startswith("ok")) else 1


if __name__ == "__main__":
    sys.exit(main())
