"""Duplicate check (查重) latency with 1,000,000 leads on PostgreSQL, and lead creation with
the check.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-dedupe
    .venv/bin/python bench/dedupe.py [--leads 1000000 --queries 2000 --creates 1000]

Environment: BENCH_DEDUPE_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/noclash_bench_dedupe).

What one run does:
1. Recreates the database and migrates. Generates --leads synthetic customers (fixed seed;
   60% Chinese, 40% English): brands drawn from deliberately small pools so that brands,
   trade words (科技, 信息, Trading...), legal forms and cities are shared by thousands of
   rows, as in a real national customer base; a region prefix on 40% of Chinese names; one or
   two contacts with a mobile or landline and an e-mail; a website on half, a 统一社会信用代码
   on a third. Computes every lead's index rows with the product's own normaliser (two
   processes) and COPYs leads, contacts, keys and names; the indexes (btree on keys,
   trigram GIN on brands) are built after the load, then VACUUM ANALYZE and a CHECKPOINT.
   The generated rows are cached in var/bench-dedupe/ for the next run.
2. Duplicate check, in process (what the endpoint and every create call): `find_duplicates(
   identity_of(payload))` for --queries payloads, a third each: noisy re-entries of existing
   leads (name variant + reformatted phone), look-alikes (an existing brand in another city
   with new contacts) and brand-new customers. Prints p50/p99/max per kind and overall.
3. Lead creation with the check (`create_lead` as a rep, --creates new customers, each
   passes the check and is indexed), in process: p50/p99.
4. The same over HTTP against gunicorn (3 sync workers, persistent DB connections), one
   client at a time: POST /api/v1/leads/duplicates/ and POST /api/v1/leads/.
Targets (issue 5): check p99 < 20 ms; creation with the check p99 < 50 ms. Exits 1 if missed.
The parts of this benchmark are in bench/dedupebench/; the set-up it shares with
bench/claims.py and bench/recycle.py is bench/common.py.
"""

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the benchmarks' shared set-up helpers
    BASE_DIR,
    create_reps,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)
from dedupebench.customers import SEED, brand_new, lookalike, reentry
from dedupebench.loading import load
from dedupebench.timing import http_times, percentile, summary, time_checks, time_creates

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_dedupe"
TARGET_CHECK_P99_MS = 20
TARGET_CREATE_P99_MS = 50


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--creates", type=int, default=1000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DEDUPE_DATABASE_URL", DEFAULT_DATABASE_URL)

    env = server_env(url, debug=False)
    recreate_database(url)
    setup_django(env)
    migrate()
    load(args.leads)

    from django.db import connection

    from accounts.models import User
    from assignments.services import update_policy

    update_policy(actor=None, team=None, changes={"claim_limit": 100_000})
    rep_ids, tokens = create_reps(20)
    reps = list(User.objects.filter(pk__in=rep_ids))

    rng = random.Random(SEED)  # noqa: S311
    makers = (("re-entry", reentry), ("look-alike", lookalike), ("new customer", brand_new))
    payloads = [(k, f(rng, args.leads)) for _ in range(args.queries // 3) for k, f in makers]
    time_checks(payloads[:200])  # warm-up: caches, plans, the OS page cache
    print(f"\nDuplicate check in process over {args.leads:,} leads:")
    by_kind = time_checks(payloads)
    everything = [v for values in by_kind.values() for v in values]
    lines = [summary(f"check: {kind}", ms) for kind, ms in by_kind.items()]
    lines.append(summary("check: all", everything))
    creates = [brand_new(rng, args.leads) for _ in range(args.creates)]
    create_ms = time_creates(creates, reps)
    lines.append(summary("create_lead with the check", create_ms))
    connection.close()

    port = free_port()
    log = BASE_DIR / "var" / "bench-dedupe" / "gunicorn.log"
    server = start_gunicorn(env, workers=3, port=port, log=log)
    try:
        http_check = [p for _, p in payloads[: min(1000, len(payloads))]]
        http_times(port, tokens[0], "/api/v1/leads/duplicates/", http_check[:100], {200})
        check_ms, check_errors = http_times(
            port, tokens[0], "/api/v1/leads/duplicates/", http_check, {200}
        )
        new = [{**brand_new(rng, args.leads), "confirm_duplicate": True} for _ in range(500)]
        create_http_ms, create_errors = http_times(
            port, tokens[1], "/api/v1/leads/", new, {201, 409}
        )
    finally:
        stop_gunicorn(server)
    lines.append(summary("HTTP POST /leads/duplicates/", check_ms) + f"  errors {check_errors}")
    lines.append(
        summary("HTTP POST /leads/ (create)", create_http_ms) + f"  errors {create_errors}"
    )

    print("\n" + "\n".join(lines))
    check_p99 = percentile(everything, 99)
    create_p99 = percentile(create_ms, 99)
    met = check_p99 < TARGET_CHECK_P99_MS and create_p99 < TARGET_CREATE_P99_MS
    print(
        f"\ntargets: check p99 {check_p99:.1f} ms (< {TARGET_CHECK_P99_MS}), create p99 "
        f"{create_p99:.1f} ms (< {TARGET_CREATE_P99_MS}): {'MET' if met else 'NOT MET'}"
    )
    return 0 if met and not check_errors and not create_errors else 1


if __name__ == "__main__":
    sys.exit(main())
