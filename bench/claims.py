"""Claim endpoint throughput and latency on PostgreSQL + gunicorn, next to pgbench's raw limit.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-claims
    .venv/bin/python bench/claims.py --duration 20 --workers 4

Environment:

    BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/noclash_bench
                         (dropped and recreated on every run; never point it at real data)

What one run does:

1. Recreates the bench database, runs the migrations, loads 100,000 public-pool leads with
   COPY (no contacts), creates 4 teams with a manager and 200 reps (through the account
   services) with API tokens, and raises the global claim limit to 100,000 with a cooldown of 0
   so that uniform claims are refused only when the lead is already owned.
2. pgbench, 8 and 32 clients: the bare claim transaction on the same schema (lock the lead
   row FOR NO KEY UPDATE, look for an open ownership period, insert the period and its history
   row, commit). Every client walks its own sequence of lead ids, so every transaction is a
   successful claim (the heaviest path): this is the database's ceiling for the endpoint.
3. gunicorn (sync workers, DEBUG=0, persistent connections with CONN_MAX_AGE=600) serving the
   real endpoint POST /api/v1/leads/{id}/claim/ (token auth, permissions, limit check,
   history, serializer), loaded by `wrk` (Debian's package, installed with apt-get when
   missing) with a generated Lua script that picks a random lead and one of the 200 tokens per
   request. wrk is C on one thread, so the load generator costs a few percent of one core;
   the CPU it used is printed next to each scenario. Scenarios, each --duration seconds after
   a short warm-up: uniform over all leads at 8 and 32 connections, and a hot spot (10 leads)
   at 32 connections. Ownership tables are emptied (TRUNCATE) before each run, so every
   scenario starts from a full pool.

   Then the same endpoint at a fixed rate: 32 clients sending, between them, 1/10 of the
   better pgbench figure of this run (uniform and hot spot), from bench/openloop.py: requests
   are scheduled in advance and each one's latency counts from its scheduled start, so a
   server that falls behind is charged for the wait (no coordinated omission, as in wrk2).

   A 200 (claimed, or already yours) and a 409 with code `already_owned` are correct answers;
   anything else (other statuses, other 409 codes, socket errors, timeouts) is an error.

   After each scenario the database is checked: one open period and one history row per
   claim, never two open periods on a lead, exactly one claim per hot lead.

4. Prints a summary table: req/s, 200s, 409s, errors, p50 and p99 latency per scenario, the
   pgbench TPS at the same client count and the ratio endpoint/pgbench, and whether the
   targets are met: the endpoint sustains at least 1/10 of pgbench's TPS (closed loop: the
   most it does), 32 clients sending that rate get every answer with p99 under 50 ms, zero
   errors (hot spot included). Exits 1 when a target is missed. Also printed: the SQL
   statements per claim and the CPU time per request of the gunicorn workers and of their
   PostgreSQL backends (read from /proc), which bound req/s at cores / CPU per request and
   vary much less than req/s when other work shares the machine.

`make bench-claims BENCH_ARGS="--duration 20 --workers 3"` passes options through make.

Why the latency target is read at the target rate, not at wrk's full load: see
bench/claimbench/report.py. The parts of this benchmark are in bench/claimbench/; the set-up it
shares with bench/dedupe.py and bench/recycle.py is bench/common.py.
"""

import argparse
import math
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from claimbench.database import (
    check_integrity,
    count_queries,
    load_leads,
    open_the_pool,
    reset_ownership,
)
from claimbench.http_load import LoadResult, run_openloop, run_wrk
from claimbench.machine import backend_pids, child_pids, process_cpu
from claimbench.pgbench import PGBENCH_SCRIPT, PgbenchResult, run_pgbench
from claimbench.report import TARGET_RATIO, print_summary, report_server_log
from common import (
    create_reps,
    ensure_tool,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench"
HOT_LEADS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up load")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--pgbench-mode", default="simple", choices=["simple", "extended", "prepared"]
    )
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        print(f"warning: load average {load1:.2f} before the run; other work skews the numbers")
    wrk = ensure_tool("wrk", "wrk")
    pgbench = ensure_tool("pgbench", "postgresql-client")
    workdir = Path(tempfile.mkdtemp(prefix="bench-claims-"))

    print(f"database {urlsplit(database_url)._replace(netloc='…').geturl()}: recreating ...")
    started = time.monotonic()
    recreate_database(database_url)
    env = server_env(database_url, debug=False)
    setup_django(env)
    migrate()
    leads = load_leads(args.leads)
    rep_ids, tokens = create_reps(args.reps)
    # pgbench draws reps from a range: they must be contiguous ids.
    assert max(rep_ids) - min(rep_ids) + 1 == len(rep_ids)
    open_the_pool()
    hot = random.sample(range(leads[0], leads[1] + 1), HOT_LEADS)
    claim_queries, refusal_queries = count_queries(leads[0], tokens)
    print(
        f"loaded {args.leads} leads, {args.reps} reps in {time.monotonic() - started:.1f} s; "
        f"SQL per request, BEGIN/COMMIT included: {claim_queries} (claim), "
        f"{refusal_queries} (already owned)"
    )

    script = workdir / "claim.pgbench"
    script.write_text(PGBENCH_SCRIPT)
    pg_results: dict[int, PgbenchResult] = {}
    for clients in (8, 32):
        reset_ownership()
        result = run_pgbench(
            pgbench=pgbench,
            url=database_url,
            script=script,
            clients=clients,
            seconds=args.duration,
            leads=leads,
            rep_ids=rep_ids,
            mode=args.pgbench_mode,
        )
        pg_results[clients] = result
        print(
            f"pgbench   {clients:>2} clients: {result.tps:7.0f} tps, "
            f"avg {result.latency_ms:.2f} ms, {result.failed} failed, "
            f"machine {result.machine_busy:.0%} busy; integrity {check_integrity()}",
            flush=True,
        )

    port = free_port()
    log = workdir / "gunicorn.log"
    results: list[LoadResult] = []
    from django.db import connection

    connection.close()
    proc = start_gunicorn(env, workers=args.workers, port=port, log=log)
    try:
        load = {"wrk": wrk, "port": port, "workdir": workdir, "tokens": tokens, "leads": leads}
        run_wrk(**load, name="warmup", clients=8, seconds=args.warmup, hot=[])
        # Closed loop (wrk: the most the endpoint does), then 32 clients sending the target
        # rate between them: 1/10 of the better pgbench figure of this run.
        rate = math.ceil(TARGET_RATIO * max(p.tps for p in pg_results.values()))
        scenarios = [
            ("uniform", 8, [], None),
            ("uniform", 32, [], None),
            ("hotspot", 32, hot, None),
            ("uniform", 32, [], rate),
            ("hotspot", 32, hot, rate),
        ]
        for name, clients, hot_ids, offered in scenarios:
            time.sleep(1)  # requests abandoned by wrk at the end of the last run finish here
            reset_ownership()
            # CPU time per request of the server processes: much less sensitive than req/s to
            # whatever else runs on the machine, and it says where a ceiling comes from.
            app, db = child_pids(proc.pid), backend_pids()
            app_before, db_before = process_cpu(app), process_cpu(db)
            if offered is None:
                result = run_wrk(
                    **load, name=name, clients=clients, seconds=args.duration, hot=hot_ids
                )
            else:
                result = run_openloop(
                    **{k: v for k, v in load.items() if k != "wrk"},
                    name=name,
                    clients=clients,
                    rate=offered,
                    seconds=args.duration,
                    hot=hot_ids,
                )
            if result.requests:
                result.app_cpu_ms = 1000 * (process_cpu(app) - app_before) / result.requests
                result.db_cpu_ms = 1000 * (process_cpu(db) - db_before) / result.requests
            result.pgbench_tps = pg_results[clients].tps
            results.append(result)
            time.sleep(1)
            result.integrity = integrity = check_integrity(hot_ids=hot_ids or None)
            print(
                f"{name:<9} {clients:>2} clients, "
                f"{'closed loop' if offered is None else f'{offered}/s offered'}: "
                f"{result.rps:7.0f} req/s "
                f"({result.ok / result.seconds:.0f} claims/s), "
                f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, max "
                f"{result.max_ms:.0f} ms, {result.errors} errors; CPU per request: gunicorn "
                f"{result.app_cpu_ms:.1f} ms, PostgreSQL {result.db_cpu_ms:.1f} ms; load generator "
                f"{result.generator_cpu:.0%} of a core, machine {result.machine_busy:.0%} "
                f"busy; integrity {integrity}",
                flush=True,
            )
            if result.sample:
                print(f"  first error: {result.sample}")
    finally:
        stop_gunicorn(proc)
    report_server_log(log)
    shutil.rmtree(workdir, ignore_errors=True)
    met = print_summary(
        results, pg_results, workers=args.workers, queries=(claim_queries, refusal_queries)
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
