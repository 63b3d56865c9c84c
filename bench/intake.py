"""The intake endpoint's throughput: web forms handing in new customers through
POST /api/v1/intake/ with an API key, throttle off, 200 territory rules in force.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-intake
    .venv/bin/python bench/intake.py [--leads 100000 --clients 8 --duration 20 --workers 3]

Environment: BENCH_INTAKE_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/noclash_bench_intake, dropped and recreated on every run;
never point it at real data).

What one run does:
1. Recreates the database and migrates; loads --leads existing customers with their duplicate
   index (bench/dedupebench, cached in var/bench-dedupe/), so every submission's duplicate
   check searches a real-sized index.
2. Creates a team of 7 reps (no claim limit in the way), 200 territory rules — 199 that do not
   match the submissions (each tests the country, which holds, then an industry, province,
   source, tag or size that does not) and a last one that sends every customer round robin
   into the team — and an API key. The throttle is off (INTAKE_THROTTLE_RATE=off).
3. Starts gunicorn (sync workers, DEBUG=0, persistent database connections). `--clients`
   clients, each with one request at a time on a new connection (closed loop), hand in
   brand-new customers (unique phones, e-mails and names; 60% Chinese, 40% English; a
   message each) for `--duration` seconds, after a warm-up. Then, for a few seconds, they
   hand in customers already on record (each becomes an inquiry on the existing customer).
4. Prints creations/s and p50/p99/max latency, inquiries/s and their latency, errors, the CPU
   per request of the gunicorn workers and of their PostgreSQL backends, and checks the
   result: one lead per 201, each routed by the last rule with one history record, the reps'
   counts within 1 of each other, one inquiry per 200 answer.

Target (issue 14): intake sustains >= 100 creations/s with its throttle off. Exits 1 when
missed or when a check fails.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from claimbench.machine import backend_pids, busy_since, child_pids, cpu_times, process_cpu
from claimbench.report import report_server_log
from common import (
    FAST_HASHER,
    REP_PASSWORD,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)
from dedupebench.customers import (
    CITIES,
    CN_FORMS,
    CN_TRADES,
    EN_CITIES,
    EN_DESCRIPTORS,
    EN_FORMS,
    en_word,
)
from dedupebench.loading import load
from openloop import claim as send  # one raw request on its own connection

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_intake"
TARGET_CREATIONS_PER_S = 100
TEAM_SIZE = 7
RULES = 200
INQUIRY_SECONDS = 5
SIZES = ["1-9", "10-49", "50-249", "250-999"]


def customer(rng: random.Random, n: int) -> dict:
    """Submission number n: a customer nobody has (phone, e-mail and name carry n or a
    random brand), as a web form would send it."""
    if rng.random() < 0.6:
        province, city = rng.choice(CITIES)
        brand = "".join(chr(0x4E00 + rng.randrange(0x4000)) for _ in range(3))
        name = brand + rng.choice(CN_TRADES) + rng.choice(CN_FORMS)
        person = "王先生"
    else:
        province, city = "", rng.choice(EN_CITIES)
        name = f"{en_word(rng)}{en_word(rng)} {rng.choice(EN_DESCRIPTORS)} {rng.choice(EN_FORMS)}"
        person = "Ms Smith"
    return {
        "company_name": name.strip(),
        "province": province,
        "city": city,
        "industry": rng.choice(["SaaS", "制造", "零售", "物流"]),
        "size": rng.choice(SIZES),
        "contacts": [
            {
                "name": person,
                "phone": f"1{rng.choice('3456789')}{500_000_000 + n:09d}",
                # A domain of its own: the check treats a shared company domain (example.cn
                # for all) as the same customer, and every submission would be an inquiry.
                "email": f"web{n}@form{n}.cn",
            }
        ],
        "message": "Please send a quote for 20 units and the delivery time.",
    }


def intake_request(payload: dict, key: str) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode()
    head = (
        "POST /api/v1/intake/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Api-Key {key}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def set_up() -> str:
    """The team, the rules and the key; returns the key."""
    from django.db import connection
    from django.test import override_settings

    from accounts import services as account_services
    from accounts.models import User
    from assignments.models import TerritoryRule
    from assignments.services import update_policy

    Target = TerritoryRule.Target
    update_policy(actor=None, team=None, changes={"claim_limit": 100_000})
    team = account_services.create_team(actor=None, name="Intake team")
    for i in range(TEAM_SIZE):
        with override_settings(PASSWORD_HASHERS=FAST_HASHER):
            account_services.create_user(
                actor=None,
                username=f"intake_rep_{i}",
                password=REP_PASSWORD,
                display_name=f"Intake Rep {i}",
                role=User.Role.REP,
                team=team,
            )
    fields = [
        ("industry", "equals", lambda n: f"行业{n}"),
        ("province", "in", lambda n: [f"Province {n}", f"省份{n}"]),
        ("source", "equals", lambda n: f"partner-{n}"),
        ("tags", "contains", lambda n: f"tag{n}"),
        ("size", "range", lambda n: {"min": "1000+"}),
    ]
    rules = []
    for n in range(RULES - 1):
        field, op, value = fields[n % len(fields)]
        rules.append(
            TerritoryRule(
                name=f"Rule {n + 1}",
                position=n + 1,
                conditions=[
                    {"field": "country", "op": "in", "value": ["CN", "GB", "US"]},
                    {"field": field, "op": op, "value": value(n)},
                ],
                target_kind=Target.PUBLIC_POOL,
            )
        )
    rules.append(
        TerritoryRule(
            name="Everyone else",
            position=RULES,
            conditions=[],
            target_kind=Target.ROUND_ROBIN,
            target_team=team,
        )
    )
    TerritoryRule.objects.bulk_create(rules)
    _key, raw = account_services.create_api_key(actor=None, name="Bench form", source="website")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return raw


async def closed_loop(port, requests, *, clients, seconds, ok_status):
    """`clients` clients, one request at a time each, until `seconds` pass or the requests
    run out. Returns latencies (s) of answers with `ok_status`, the count per status, the
    first unexpected answer, and the elapsed time."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    sample: list[str] = []
    queue = iter(requests)
    start = time.monotonic()
    end = start + seconds

    async def client():
        while time.monotonic() < end:
            request = next(queue, None)
            if request is None:
                return
            sent = time.monotonic()
            try:
                async with asyncio.timeout(30):
                    status, body = await send(port, request)
            except (TimeoutError, OSError, ValueError, IndexError) as exc:
                statuses["socket"] = statuses.get("socket", 0) + 1
                sample.append(repr(exc))
                continue
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status == ok_status:
                latencies.append(time.monotonic() - sent)
            elif not sample:
                sample.append(f"{status} {body[:300].decode(errors='replace')}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, statuses, (sample[0] if sample else ""), time.monotonic() - start


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def check(created_ids: int, inquiries: int) -> dict[str, bool]:
    """What the database says after the run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT l.id) FILTER (WHERE e.kind = 'assign'"
            "   AND e.details -> 'rule' ->> 'name' = 'Everyone else')"
            "  FROM leads_lead l LEFT JOIN assignments_ownershipevent e ON e.lead_id = l.id"
            " WHERE l.source = 'website'"
        )
        leads, routed = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM assignments_ownershipevent e JOIN leads_lead l"
            " ON l.id = e.lead_id WHERE l.source = 'website'"
        )
        events = cursor.fetchone()[0]
        cursor.execute(
            "SELECT o.owner_id, count(*) FROM assignments_ownership o JOIN leads_lead l"
            " ON l.id = o.lead_id WHERE l.source = 'website' GROUP BY o.owner_id"
        )
        per_rep = [n for _owner, n in cursor.fetchall()]
        cursor.execute("SELECT count(*) FROM leads_inquiry WHERE message <> ''")
        stored_inquiries = cursor.fetchone()[0]
    print(
        f"  database: {leads} new leads, {routed} routed by the last rule, {events} history "
        f"records; per rep {sorted(per_rep)}; {stored_inquiries} inquiries"
    )
    return {
        "one lead per 201": leads == created_ids,
        "each routed by the last rule, one history record": routed == leads == events,
        "round robin: reps within 1": len(per_rep) == TEAM_SIZE
        and max(per_rep) - min(per_rep) <= 1,
        # A new customer's message is an inquiry on it too.
        "one inquiry per 200 (and per message of a new customer)": stored_inquiries
        == inquiries + created_ids,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000, help="customers already on record")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20, help="seconds of creations")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    url = os.environ.get("BENCH_INTAKE_DATABASE_URL", DEFAULT_DATABASE_URL)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        print(f"warning: load average {load1:.2f} before the run; other work skews the numbers")
    print(f"database {urlsplit(url)._replace(netloc='…').geturl()}: recreating ...")
    recreate_database(url)
    env = server_env(url, debug=False)
    env["INTAKE_THROTTLE_RATE"] = "off"
    setup_django(env)
    migrate()
    load(args.leads)
    key = set_up()
    from django.db import connection

    connection.close()

    rng = random.Random(args.seed)  # noqa: S311 - synthetic data
    # More than the clients can send in the time: the loop stops on the clock.
    planned = [customer(rng, n) for n in range(400 * args.duration + 200)]
    requests = [intake_request(p, key) for p in planned]
    workdir = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    log = workdir / "gunicorn.log"
    port = free_port()
    proc = start_gunicorn(env, workers=args.workers, port=port, log=log)
    try:
        warm = asyncio.run(
            closed_loop(port, requests[:200], clients=args.clients, seconds=60, ok_status=201)
        )
        app, db = child_pids(proc.pid), backend_pids()
        app_before, db_before = process_cpu(app), process_cpu(db)
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        machine = cpu_times()
        created = asyncio.run(
            closed_loop(
                port, requests[200:], clients=args.clients, seconds=args.duration, ok_status=201
            )
        )
        busy = busy_since(machine)
        app_cpu, db_cpu = process_cpu(app) - app_before, process_cpu(db) - db_before
        own = resource.getrusage(resource.RUSAGE_SELF)
        sent = sum(created[1].values()) + sum(warm[1].values())
        # Customers already on record, handed in again: inquiries.
        again = [intake_request({**p, "message": "Any news?"}, key) for p in planned[:sent]]
        rng.shuffle(again)
        inquiries = asyncio.run(
            closed_loop(port, again, clients=args.clients, seconds=INQUIRY_SECONDS, ok_status=200)
        )
    finally:
        stop_gunicorn(proc)
    report_server_log(log)
    shutil.rmtree(workdir, ignore_errors=True)

    latencies, statuses, sample, seconds = created
    count = statuses.get("201", 0)
    rate = count / seconds
    generator = (own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime) / seconds
    errors = sum(n for s, n in statuses.items() if s != "201")
    i_lat, i_statuses, i_sample, i_seconds = inquiries
    i_count = i_statuses.get("200", 0)
    i_errors = sum(n for s, n in i_statuses.items() if s != "200")
    warm_errors = sum(n for s, n in warm[1].items() if s != "201")
    print(
        f"\nintake with {RULES} territory rules over {args.leads:,} customers on record, "
        f"throttle off, {args.workers} gunicorn workers, {args.clients} clients:\n"
        f"  creations: {count} in {seconds:.1f} s = {rate:.0f} creations/s; p50 "
        f"{percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, max "
        f"{percentile(latencies, 100):.0f} ms; errors {errors} {statuses}\n"
        f"  CPU per creation: gunicorn {1000 * app_cpu / max(1, count):.1f} ms, PostgreSQL "
        f"{1000 * db_cpu / max(1, count):.1f} ms; machine {busy:.0%} busy, load generator "
        f"{generator:.0%} of a core\n"
        f"  inquiries (customers on record handed in again): {i_count} in {i_seconds:.1f} s = "
        f"{i_count / i_seconds:.0f}/s; p50 {percentile(i_lat, 50):.1f} ms, p99 "
        f"{percentile(i_lat, 99):.1f} ms; errors {i_errors} {i_statuses}"
    )
    for first in (sample, i_sample, warm[2]):
        if first:
            print(f"  first error: {first}")
    checks = {
        f">= {TARGET_CREATIONS_PER_S} creations/s": rate >= TARGET_CREATIONS_PER_S,
        "no errors": not errors and not i_errors and not warm_errors,
        **check(count + warm[1].get("201", 0), i_count),
    }
    for name, ok in checks.items():
        print(f"  {'MET ' if ok else 'MISSED'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
