"""The live pool's cost: 200 open pool pages polling GET /leads/pool/changes/ while reps claim.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-pool
    .venv/bin/python bench/pool.py --pages 200 --duration 30 --workers 3

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/noclash_bench,
dropped and recreated on every run; never point it at real data).

What one run does:

1. Recreates the bench database, loads 100,000 public-pool leads (COPY, then ANALYZE) and 200
   reps with API tokens, opens the pool (no claim limit, no cooldown).
2. Starts gunicorn (sync workers, DEBUG=0, persistent database connections) and opens
   `--pages` pool pages, one per rep (signed-in sessions, a random page of 25 rows each, read
   from the real page's HTML: its rows and its cursor).
3. For `--duration` seconds every page polls the changes endpoint every 1.5 s, as the page's
   script does (requests scheduled in advance, each page's phase random; latency counts from
   the scheduled time, so a server that falls behind is charged for the wait), while reps
   claim `--claims` leads per second through the API, drawn from the rows the pages show.
   Each page drops the rows reported taken from what it sends, as the page's script does.
4. Prints the polls' p50/p99/max latency, errors, the CPU time per poll of the gunicorn
   workers and of their PostgreSQL backends, the share of one core that polling 200 pages
   costs, and the delay from a claim's answer to the poll that greyed its row on a page
   (p50/p99/max), and checks that every claimed row shown on a page was greyed there.

Targets: no errors, no row left ungreyed, poll p99 under 100 ms, every row greyed within 2 s
of its claim (p99). Exits 1 when one is missed.
"""

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from claimbench.database import load_leads, open_the_pool
from claimbench.machine import backend_pids, child_pids, process_cpu
from claimbench.report import report_server_log
from common import (
    create_reps,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)
from openloop import claim as request  # one raw request on its own connection

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench"
PERIOD = 1.5  # seconds between polls, as in static/js/app.js
# A poll is a background request: what the user sees is a row greyed within about two
# seconds of its claim (a 1.5 s period plus the poll's latency), so a poll's p99 must stay
# well inside the remaining half second.
TARGET_P99_MS = 100
TARGET_GREY_S = 2.0


def get(path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
        "Accept: application/json\r\nConnection: close\r\n\r\n"
    ).encode()


def claim(lead_id: int, token: str) -> bytes:
    return (
        f"POST /api/v1/leads/{lead_id}/claim/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Token {token}\r\nAccept: application/json\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode()


def sign_in(rep_ids: list[int]) -> list[str]:
    """One signed-in session per rep, as the login page would make."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User

    keys = []
    for user in User.objects.filter(pk__in=rep_ids).order_by("pk"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


async def open_pages(port: int, cookies: list[str], leads: tuple[int, int], seed: int):
    rng = random.Random(seed)
    pages = []
    for cookie in cookies:
        before = rng.randint(leads[0] + 100, leads[1])
        status, body = await request(port, get(f"/leads/pool/?before={before}", cookie))
        html = body.decode()
        assert status == 200, (status, html[:300])
        cursor = re.search(r'data-cursor="([^"]+)"', html).group(1)
        shown = [int(x) for x in re.findall(r'data-lead="(\d+)" data-claimable', html)]
        pages.append({"cookie": cookie, "cursor": cursor, "shown": shown, "greyed": {}})
    return pages


async def run(port, pages, tokens, *, seconds, claims_per_s, seed):
    rng = random.Random(seed)
    latencies: list[float] = []
    errors = {"count": 0, "sample": ""}
    claimed_at: dict[int, float] = {}
    start = time.monotonic() + 0.5
    end = start + seconds

    async def page_loop(page, phase):
        n = 0
        while (scheduled := start + phase + n * PERIOD) < end:
            n += 1
            delay = scheduled - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            path = (
                f"/leads/pool/changes/?cursor={page['cursor']}"
                f"&shown={','.join(map(str, page['shown']))}"
            )
            try:
                async with asyncio.timeout(10):
                    status, body = await request(port, get(path, page["cookie"]))
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                errors["count"] += 1
                errors["sample"] = errors["sample"] or repr(exc)
                continue
            answered = time.monotonic()
            latencies.append(answered - scheduled)
            if status != 200:
                errors["count"] += 1
                errors["sample"] = errors["sample"] or f"{status} {body[:200]!r}"
                continue
            data = json.loads(body)
            page["cursor"] = data["cursor"]
            for item in data["taken"]:
                page["greyed"][item["id"]] = answered
            taken = {item["id"] for item in data["taken"]}
            page["shown"] = [lead for lead in page["shown"] if lead not in taken]

    async def claimer():
        shown = sorted({lead for page in pages for lead in page["shown"]})
        rng.shuffle(shown)
        total = int(claims_per_s * (seconds - 3))  # the last 3 s: time to be greyed
        for n, lead in enumerate(shown[:total]):
            delay = start + n / claims_per_s - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            status, body = await request(port, claim(lead, rng.choice(tokens)))
            if status == 200:
                claimed_at[lead] = time.monotonic()
            else:
                errors["count"] += 1
                errors["sample"] = errors["sample"] or f"claim {status} {body[:200]!r}"

    phases = [rng.uniform(0, PERIOD) for _ in pages]
    await asyncio.gather(
        claimer(), *(page_loop(p, ph) for p, ph in zip(pages, phases, strict=True))
    )
    return latencies, errors, claimed_at


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--duration", type=int, default=30, help="seconds of polling")
    parser.add_argument("--claims", type=float, default=10, help="claims per second")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        print(f"warning: load average {load1:.2f} before the run; other work skews the numbers")
    print(f"database {urlsplit(database_url)._replace(netloc='…').geturl()}: recreating ...")
    recreate_database(database_url)
    workdir = Path(tempfile.mkdtemp(prefix="bench-pool-"))
    env = server_env(database_url, debug=False)
    # DEBUG=0 serves the hashed names of collectstatic's manifest, as production's image does.
    env["STATIC_ROOT"] = str(workdir / "static")
    setup_django(env)
    migrate()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    leads = load_leads(args.leads)
    rep_ids, tokens = create_reps(args.pages)
    open_the_pool()
    cookies = sign_in(rep_ids)
    from django.db import connection

    connection.close()

    log = workdir / "gunicorn.log"
    port = free_port()
    proc = start_gunicorn(env, workers=args.workers, port=port, log=log)
    try:
        pages = asyncio.run(open_pages(port, cookies, leads, args.seed))
        app, db = child_pids(proc.pid), backend_pids()
        app_before, db_before = process_cpu(app), process_cpu(db)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.monotonic()
        latencies, errors, claimed_at = asyncio.run(
            run(
                port,
                pages,
                tokens,
                seconds=args.duration,
                claims_per_s=args.claims,
                seed=args.seed,
            )
        )
        wall = time.monotonic() - wall
        own = resource.getrusage(resource.RUSAGE_SELF)
        app_cpu, db_cpu = process_cpu(app) - app_before, process_cpu(db) - db_before
    finally:
        stop_gunicorn(proc)
    report_server_log(log)
    shutil.rmtree(workdir, ignore_errors=True)

    polls = len(latencies)
    claims = len(claimed_at)
    # Every claimed row a page showed must have been greyed there, and how soon.
    delays, missed = [], 0
    for page in pages:
        for lead, at in claimed_at.items():
            if lead in page["greyed"]:
                delays.append(page["greyed"][lead] - at)
            elif lead in page["shown"]:
                missed += 1
    ms = [x * 1000 for x in latencies]
    generator = (own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime) / wall
    print(
        f"\n{args.pages} pages polling every {PERIOD} s for {args.duration} s "
        f"({polls / wall:.0f} polls/s) and {claims / wall:.1f} claims/s, "
        f"{args.workers} gunicorn workers:\n"
        f"  polls: {polls}, p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
        f"max {max(ms, default=0):.0f} ms; errors {errors['count']}\n"
        f"  server CPU per request (polls and claims): gunicorn "
        f"{1000 * app_cpu / max(1, polls + claims):.2f} ms, PostgreSQL "
        f"{1000 * db_cpu / max(1, polls + claims):.2f} ms; all together "
        f"{(app_cpu + db_cpu) / wall:.0%} of one core; load generator {generator:.0%} of a core\n"
        f"  rows greyed: {len(delays)} (claim answer → greyed on a page: p50 "
        f"{percentile(delays, 50):.2f} s, p99 {percentile(delays, 99):.2f} s, max "
        f"{max(delays, default=0):.2f} s); claimed rows never greyed on a page showing them: "
        f"{missed}"
    )
    if errors["sample"]:
        print(f"  first error: {errors['sample']}")
    checks = {
        "no errors": errors["count"] == 0,
        "every claimed row greyed": missed == 0 and bool(delays),
        f"poll p99 < {TARGET_P99_MS} ms": percentile(ms, 99) < TARGET_P99_MS,
        f"greyed within {TARGET_GREY_S:.0f} s (p99)": percentile(delays, 99) <= TARGET_GREY_S,
    }
    for name, ok in checks.items():
        print(f"  {'MET ' if ok else 'MISSED'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
