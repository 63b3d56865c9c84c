"""Bulk moves (批量转移) on PostgreSQL: how many leads per second the job moves, each under its
own row lock with its own history record.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-bulk
    .venv/bin/python bench/bulk.py [--leads 50000 --others 200000 --chunk 500]

Environment: BENCH_BULK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/noclash_bench_bulk).

What one run does:
1. Recreates the database, migrates, COPYs --leads + --others leads, creates 4 teams of reps
   and gives one rep of team 1 (the one leaving) a live claim on the first --leads leads, with
   their `assign` history, set-based.
2. The manager of team 1 submits a bulk move of "all N matching" the team list filtered by
   that rep (`filter: {owner}`), round robin over the team's other reps, claim limits
   overridden (a hand-over); prints how long the submission took (the items are written by
   one INSERT ... SELECT).
3. Runs the job with the real service (`run_bulk_reassignment`, what the Celery task calls)
   in this process, chunk by chunk, and prints seconds and leads/s.
4. A second job moves the same leads into the team's pool (releases), timed the same way.
5. Verifies: every lead moved once per job (one history record per lead and job, named by
   its report line), none with two open periods, the report adds up.
Target (issue 13): >= 1,000 leads/s. Exits 1 when it is missed or a check fails.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claimbench.database import load_leads  # noqa: E402
from common import create_reps, migrate, recreate_database, server_env, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_bulk"
TARGET_RATE = 1_000


def give_claims(*, first: int, count: int, owner_id: int, admin_id: int) -> None:
    """A live claim of `owner_id` on leads first .. first + count - 1, with its history."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO assignments_ownership
                   (lead_id, owner_id, started_at, protected_until, ended_at, end_kind)
            SELECT id, %(owner)s, now() - interval '1 day', now() + interval '6 days', NULL, ''
              FROM leads_lead WHERE id >= %(first)s AND id < %(first)s + %(count)s
            """,
            {"owner": owner_id, "first": first, "count": count},
        )
        cursor.execute(
            """
            INSERT INTO assignments_ownershipevent
                   (lead_id, kind, from_owner_id, to_owner_id, actor_id, reason, details, at)
            SELECT id, 'assign', NULL, %(owner)s, %(admin)s, '', '{}'::jsonb,
                   now() - interval '1 day'
              FROM leads_lead WHERE id >= %(first)s AND id < %(first)s + %(count)s
            """,
            {"owner": owner_id, "admin": admin_id, "first": first, "count": count},
        )
        cursor.execute("ANALYZE assignments_ownership")
        cursor.execute("ANALYZE assignments_ownershipevent")


def run_job(job, *, chunk: int) -> float:
    from assignments.services.bulk_reassign_run import run_bulk_reassignment

    t0 = time.perf_counter()
    finished = run_bulk_reassignment(job_id=job.pk, chunk_size=chunk)
    seconds = time.perf_counter() - t0
    assert finished
    return seconds


def verify(job, *, count: int) -> str:
    from django.db import connection

    job.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT lead_id) FROM assignments_ownershipevent"
            " WHERE (details->>'bulk')::bigint = %s",
            [job.pk],
        )
        events, leads = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM assignments_bulkreassignmentitem i"
            " JOIN assignments_ownershipevent e ON e.id = i.event_id"
            " WHERE i.job_id = %s AND i.outcome = 'moved' AND e.lead_id = i.lead_id",
            [job.pk],
        )
        (linked,) = cursor.fetchone()
        cursor.execute(
            "SELECT count(*) FROM (SELECT lead_id FROM assignments_ownership"
            " WHERE ended_at IS NULL GROUP BY lead_id HAVING count(*) > 1) doubled"
        )
        (doubled,) = cursor.fetchone()
    adds_up = job.total == job.moved + job.skipped + job.failed == count
    ok = adds_up and events == leads == linked == job.moved == count and doubled == 0
    return (
        f"{'ok' if ok else 'FAILED'}: {job.moved:,} moved, {job.skipped} skipped, "
        f"{job.failed} failed of {job.total:,}; {events:,} history records on {leads:,} "
        f"leads, {linked:,} named by the report; {doubled} leads with two owners"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=50_000, help="leads the job moves")
    parser.add_argument("--others", type=int, default=200_000, help="leads around them")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--chunk", type=int, default=500, help="leads per transaction")
    args = parser.parse_args()

    url = os.environ.get("BENCH_BULK_DATABASE_URL", DEFAULT_DATABASE_URL)
    started = time.monotonic()
    recreate_database(url)
    env = server_env(url, debug=False)
    setup_django(env)
    migrate()
    first, _last = load_leads(args.leads + args.others)
    rep_ids, _tokens = create_reps(args.reps)

    from accounts.models import Team, User
    from assignments.services.bulk_reassign import BulkTarget, submit_bulk_reassignment

    team = Team.objects.order_by("id").first()
    manager = User.objects.get(pk=team.manager_id)
    members = list(User.objects.filter(team=team, role=User.Role.REP).order_by("id"))
    leaving, heirs = members[0], members[1:]
    admin = User.objects.create_superuser("bench_admin", password="bench-admin-9")
    give_claims(first=first, count=args.leads, owner_id=leaving.pk, admin_id=admin.pk)
    print(
        f"loaded {args.leads + args.others:,} leads, {args.leads:,} of them owned by the "
        f"leaving rep; {len(rep_ids)} reps in {time.monotonic() - started:.0f} s",
        flush=True,
    )

    t0 = time.perf_counter()
    handover = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.round_robin([rep.pk for rep in heirs]),
        reason="Bench: a rep leaves",
        filters={"owner": str(leaving.pk)},
        override_limit=True,
    )
    submitted = time.perf_counter() - t0
    seconds = run_job(handover, chunk=args.chunk)
    handover_check = verify(handover, count=args.leads)
    handover_rate = args.leads / seconds

    heir_ids = [rep.pk for rep in heirs]
    t0 = time.perf_counter()
    to_pool = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.pool(team.pk),
        reason="Bench: back to the team pool",
        lead_ids=list(range(first, first + args.leads)),
    )
    submitted_ids = time.perf_counter() - t0
    pool_seconds = run_job(to_pool, chunk=args.chunk)
    pool_check = verify(to_pool, count=args.leads)
    pool_rate = args.leads / pool_seconds

    spread = sorted(
        handover.items.filter(outcome="moved")
        .order_by()
        .values_list("owner_after_id", flat=True)
        .distinct()
    )
    print()
    print(f"hand-over, round robin over {len(heir_ids)} reps (chunks of {args.chunk}):")
    print(f"  submitted (filter, {args.leads:,} items) in {submitted:.2f} s")
    print(f"  moved {args.leads:,} leads in {seconds:.2f} s = {handover_rate:,.0f} leads/s")
    print(f"  {handover_check}; {len(spread)} reps received customers")
    print("into the team's pool (releases):")
    print(f"  submitted (lead_ids, {args.leads:,} ids) in {submitted_ids:.2f} s")
    print(f"  moved {args.leads:,} leads in {pool_seconds:.2f} s = {pool_rate:,.0f} leads/s")
    print(f"  {pool_check}")
    met = min(handover_rate, pool_rate) >= TARGET_RATE
    print(f"target >= {TARGET_RATE:,} leads/s: {'met' if met else 'NOT MET'}")
    checks = handover_check.startswith("ok") and pool_check.startswith("ok")
    return 0 if (met and checks) else 1


if __name__ == "__main__":
    sys.exit(main())
