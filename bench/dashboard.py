"""The managers' dashboard (经理看板) on PostgreSQL + gunicorn: every stats endpoint and the
page, p99, over 1,000,000 leads, 2,000,000 history records and 100,000 collision records.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-dashboard
    make bench-dashboard BENCH_ARGS="--scenarios page,page-all --requests 50"
    .venv/bin/python bench/dashboard.py [--leads 1000000 --events 2000000 --collisions 100000]

Environment:

    BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/noclash_bench_dashboard
                         (dropped and recreated on every run; never point it at real data)

What one run does:

1. Recreates the database, migrates, creates 4 teams with a manager, --reps reps and an
   admin (the account services; API tokens and logged-in sessions), then COPYs two years of
   records (bench/dashboardbench/data.py): --leads customers, --events ownership history
   records, --collisions collision records, and in proportion follow-ups, status changes,
   transfer requests, disputes, won deals with their credits and open claims. Creates the
   index the dashboard needs on the ownership history if the migrations did not
   (`event_at_kinds`, bench/dashboardbench/plans.py; --without-proposed-index drops it to
   show what it buys), then VACUUM ANALYZE and a CHECKPOINT. Prints the time of each step.
2. In process (django.test.Client, the whole middleware stack): the SQL statements per
   request, and for the admin's requests (every team: the most rows) each statement on a
   large table with the indexes its plan uses and its execution time (EXPLAIN ANALYZE).
3. Over HTTP against gunicorn (3 sync workers, DEBUG=0, persistent connections, static files
   collected as production's image does), each scenario with --clients clients in a closed
   loop, --requests each after a warm-up, and one client alone:
   - api-<name>        GET /api/v1/stats/<name>/ as a random team's manager (their team; the
                       default range, the last 12 weeks)
   - api-<name>-all    the same as the admin (every team)
   - page, page-all    GET /dashboard/ (all seven statistics, charts and tables) as a
                       manager, as the admin
   - page-all-quarter  the admin's page over the longest range allowed (92 days)
4. Prints p50/p99/max per scenario and whether "p99 < 500 ms, no errors" is met; exits 1
   when a target is missed. The machine may be shared: the CPU other processes used during
   each scenario is shown, and a disturbed scenario is run again (--retries).
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the benchmarks' shared set-up helpers
    BASE_DIR,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)
from creditbench.data import create_users, session_cookies
from creditbench.http_load import Result, Scenario, measure, run, wait_for_quiet
from dashboardbench.data import load_all, vacuum_analyze
from dashboardbench.plans import count_queries, ensure_proposed_indexes, print_plans

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_dashboard"
WORKDIR = BASE_DIR / "var" / "bench-dashboard"
NAMES = ["collisions", "requests", "activity", "expiring", "pool-flow", "funnel", "won"]
TARGET_P99_MS = 500.0
OTHERS_LIMIT = 0.25
API_MARKER = b'"summary":'
PAGE_MARKER = b'data-testid="stat-won"'
PAGE_HEADERS = {"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"}
API_HEADERS = {"Accept": "application/json"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--collisions", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=60, help="per client and scenario")
    parser.add_argument("--alone", type=int, default=40, help="requests of one client alone")
    parser.add_argument("--warmup", type=int, default=3, help="per client and scenario")
    parser.add_argument("--retries", type=int, default=1, help="re-runs of disturbed scenarios")
    parser.add_argument("--scenarios", default="", help="comma-separated names (default: all)")
    parser.add_argument("--no-plans", action="store_true", help="skip EXPLAIN ANALYZE")
    parser.add_argument(
        "--without-proposed-index",
        action="store_true",
        help="drop event_at_kinds (what the numbers are without it)",
    )
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        print(f"warning: load average {load1:.2f} before the run; other work skews the numbers")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    env = server_env(url, debug=False)
    env["STATIC_ROOT"] = str(WORKDIR / "static")

    print(f"database {urlsplit(url)._replace(netloc='…').geturl()}: recreating ...", flush=True)
    started = time.monotonic()
    recreate_database(url)
    setup_django(env)
    migrate()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("collectstatic", interactive=False, verbosity=0)
    users = create_users(args.reps)
    sessions = session_cookies([m for m, _token in users.managers.values()] + [users.admin_id])
    print(
        f"migrated, {args.reps} reps in {len(users.managers)} teams: "
        f"{time.monotonic() - started:.0f} s; loading ...",
        flush=True,
    )
    loading = time.monotonic()
    scale = args.events / 2_000_000
    counts = load_all(
        users=users,
        now=timezone.now(),
        leads=args.leads,
        events=args.events,
        collisions=args.collisions,
        followups=round(1_000_000 * scale),
        status_changes=round(600_000 * scale),
        requests=round(20_000 * scale),
        disputes=round(5_000 * scale),
        deals=round(50_000 * scale),
        open_claims=min(args.leads // 4, round(150_000 * scale)),
    )
    for done in ensure_proposed_indexes(drop=args.without_proposed_index):
        print(f"  {done}")
    step = time.monotonic()
    vacuum_analyze()
    print(f"  VACUUM ANALYZE and CHECKPOINT: {time.monotonic() - step:.0f} s")
    print(
        f"loaded in {time.monotonic() - loading:.0f} s (all set-up {time.monotonic() - started:.0f}"
        f" s): " + ", ".join(f"{n:,} {name}" for name, n in counts.items()),
        flush=True,
    )

    scenarios = build_scenarios(users, sessions)
    if args.scenarios:
        wanted = set(args.scenarios.split(","))
        unknown = wanted - {s.name for s in scenarios}
        if unknown:
            sys.exit(f"unknown scenarios {sorted(unknown)}: {[s.name for s in scenarios]}")
        scenarios = [s for s in scenarios if s.name in wanted]
    rng = random.Random(20261205)  # noqa: S311
    queries = {s.name: count_queries(*s.request(s.reps[0], rng)) for s in scenarios}
    print(
        "SQL statements per request (middleware included): "
        + ", ".join(f"{name} {n}" for name, n in queries.items())
    )
    if not args.no_plans:
        print("\nThe admin's requests (every team), in process: statements on the large tables")
        admin = [s for s in scenarios if s.name.endswith("-all") or s.name == "page-all"]
        print_plans([(s.name, *s.request(s.reps[0], rng)) for s in admin])
    connection.close()

    port = free_port()
    log = WORKDIR / "gunicorn.log"
    server = start_gunicorn(env, workers=args.workers, port=port, log=log)
    results = []
    try:
        print()
        for scenario in scenarios:
            run(port, scenario, clients=args.clients, requests=args.warmup, rng=rng)
        for scenario in scenarios:
            result = time_scenario(port, server.pid, scenario, args=args, rng=rng)
            result.queries = queries[scenario.name]
            results.append(result)
    finally:
        stop_gunicorn(server)
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    if lines:
        print(f"\ngunicorn log ({len(lines)} lines), the last ones:")
        for line in lines[-20:]:
            print(f"  {line}")
    data = (
        f"{counts['leads']:,} leads, {counts['ownership history']:,} history records, "
        f"{counts['collisions']:,} collision records, {counts['follow-ups']:,} follow-ups, "
        f"{counts['status changes']:,} status changes"
    )
    return 0 if print_summary(results, workers=args.workers, data=data) else 1


def build_scenarios(users, sessions: dict[int, str]) -> list[Scenario]:
    teams = sorted(users.managers)
    admin = [users.admin_id]
    quarter = f"?from={(_today() - timedelta(days=91)).isoformat()}&to={_today().isoformat()}"

    def api(name: str):
        def request(team_id: int, rng):
            token = users.managers[team_id][1]
            headers = {**API_HEADERS, "Authorization": f"Token {token}"}
            return f"/api/v1/stats/{name}/", headers

        return request

    def api_all(name: str):
        def request(_admin: int, rng):
            headers = {**API_HEADERS, "Authorization": f"Token {users.admin_token}"}
            return f"/api/v1/stats/{name}/", headers

        return request

    def page(team_id: int, rng):
        manager = users.managers[team_id][0]
        return "/dashboard/", {**PAGE_HEADERS, "Cookie": f"sessionid={sessions[manager]}"}

    def page_all(_admin: int, rng):
        return "/dashboard/", {**PAGE_HEADERS, "Cookie": f"sessionid={sessions[users.admin_id]}"}

    def page_all_quarter(_admin: int, rng):
        return f"/dashboard/{quarter}", page_all(_admin, rng)[1]

    scenarios = []
    for name in NAMES:
        scenarios.append(
            Scenario(f"api-{name}", f"{name}, a manager's team", teams, api(name), API_MARKER)
        )
        scenarios.append(
            Scenario(
                f"api-{name}-all", f"{name}, admin, all teams", admin, api_all(name), API_MARKER
            )
        )
    scenarios += [
        Scenario("page", "/dashboard/, a manager's team", teams, page, PAGE_MARKER),
        Scenario("page-all", "/dashboard/, admin, all teams", admin, page_all, PAGE_MARKER),
        Scenario(
            "page-all-quarter", "/dashboard/, admin, 92 days", admin, page_all_quarter, PAGE_MARKER
        ),
    ]
    return scenarios


def _today():
    from django.utils import timezone

    return timezone.localdate()


def time_scenario(port: int, pid: int, scenario: Scenario, *, args, rng) -> Result:
    """One client alone, then --clients clients; run again (--retries) when other processes
    used more than OTHERS_LIMIT of a core meanwhile, keeping the quietest attempt."""
    best = None
    for attempt in range(1 + args.retries):
        wait_for_quiet()
        alone = measure(port, pid, scenario, clients=1, requests=args.alone, rng=rng)
        wait_for_quiet()
        result = measure(port, pid, scenario, clients=args.clients, requests=args.requests, rng=rng)
        result.alone = (alone.p50, alone.p99)
        result.errors += alone.errors
        result.sample = result.sample or alone.sample
        result.other_cores = max(result.other_cores, alone.other_cores)
        print(
            f"{scenario.name:<19} {result.clients} clients: {result.requests} requests, "
            f"{result.errors} errors, p50 {result.p50:.0f} ms, p99 {result.p99:.0f} ms, max "
            f"{result.max:.0f} ms; alone p50 {alone.p50:.0f} ms, p99 {alone.p99:.0f} ms; CPU per "
            f"request: gunicorn {result.app_cpu_ms:.0f} ms, PostgreSQL {result.db_cpu_ms:.0f} ms;"
            f" other processes {result.other_cores:.0%} of a core",
            flush=True,
        )
        if best is None or result.other_cores < best.other_cores:
            best = result
        if result.other_cores <= OTHERS_LIMIT:
            break
        if attempt < args.retries:
            print(f"  other processes used {result.other_cores:.2f} cores: once more")
    return best


def print_summary(results: list[Result], *, workers: int, data: str) -> bool:
    clients = results[0].clients if results else 0
    print(
        f"\nSummary: {data}; gunicorn {workers} sync workers (DEBUG=0, persistent connections);"
        f" {clients} clients in a closed loop (p50/p99/max) and one client alone (p50/p99). SQL:"
        f" statements per request. CPU ms per request: gunicorn / PostgreSQL. Others: cores the"
        f" machine spent on anything else meanwhile."
    )
    header = (
        f"{'scenario':<19} {'what':<32} {'requests':>8} {'errors':>6} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'alone p50/p99':>14} {'SQL':>4} {'CPU ms':>9} "
        f"{'others':>6}  p99 < {TARGET_P99_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    met_all = True
    for r in results:
        met = r.p99 < TARGET_P99_MS and r.errors == 0
        met_all &= met
        alone = f"{r.alone[0]:.0f}/{r.alone[1]:.0f}" if r.alone else "-"
        print(
            f"{r.name:<19} {r.what:<32} {r.requests:>8} {r.errors:>6} {r.p50:>7.0f} "
            f"{r.p99:>7.0f} {r.max:>7.0f} {alone:>14} {r.queries or '-':>4} "
            f"{r.app_cpu_ms:>4.0f}/{r.db_cpu_ms:<4.0f} {r.other_cores:>6.2f}  "
            f"{'met' if met else 'NOT MET'}"
        )
        if r.sample:
            print(f"  first error: {r.sample}")
    print(
        f"\nTarget: every stats endpoint and the page p99 < {TARGET_P99_MS:.0f} ms with "
        f"{clients} clients, no errors: {'met' if met_all else 'NOT MET'}"
    )
    return met_all


if __name__ == "__main__":
    sys.exit(main())
