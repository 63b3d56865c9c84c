"""Imports (导入) on PostgreSQL through a real Celery worker: rows per second, and the worker's
memory (RSS) sampled during the run, to show it stays flat while 100,000 rows go through.

Usage (from the top level; PostgreSQL and Redis must answer, the database below is DROPPED):

    make bench-import
    .venv/bin/python bench/imports.py [--rows 100000 --format csv|xlsx]

Environment: BENCH_IMPORT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/noclash_bench_import), BENCH_IMPORT_REDIS_URL (default
redis://127.0.0.1:6379/1).

What one run does:
1. Recreates the database, migrates, creates an admin.
2. Writes a file of --rows customers (every 20th row repeats the one before it: a duplicate;
   every 50th has a phone cell with no number: invalid), uploads it through the service
   the API calls (`create_import_job`: read, stored as rows) and prints how long that took.
3. A `celery worker` (one prefork child, as scripts/Procfile starts it) runs the job; this
   process samples the job's progress and the worker processes' RSS every 0.5 s and prints
   RSS at 10%, 50% and 100% of the rows, the peak, and rows/s.
4. Verifies the report adds up and no customer was created twice.

The machine's PostgreSQL runs with autovacuum off; production's autovacuum analyzes the tables
as the import fills them, so this process runs ANALYZE every ANALYZE_EVERY seconds while it
waits (otherwise the planner keeps the plans of an empty database).
"""

import argparse
import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BASE_DIR, migrate, recreate_database, server_env, setup_django  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_import"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"
DUPLICATE_EVERY = 20
INVALID_EVERY = 50
ANALYZE_EVERY = 30.0
NAME_SUFFIX = "Bench Trading"


def build_file(rows: int, *, file_format: str) -> bytes:
    lines = [["公司名称", "联系人", "手机", "省份", "城市", "行业", "来源"]]
    provinces = [("浙江", "杭州"), ("江苏", "南京"), ("广东", "深圳"), ("上海", "上海")]
    for i in range(rows):
        n = i - 1 if i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 else i
        province, city = provinces[n % len(provinces)]
        phone = "待补充" if i % INVALID_EVERY == INVALID_EVERY - 1 else f"13{n:09d}"
        # Names that share no brand (a list of look-alikes would be refused as duplicates):
        # the distinctive first word is the unique tag. (With a shared first word, "Bench
        # <tag>", every row of a city matches every other on the word's typo keys.)
        tag = hashlib.sha256(f"bench-{n}".encode()).hexdigest()[:12]
        lines.append([f"{tag} {NAME_SUFFIX}", f"联系人{n}", phone, province, city, "制造", "展会"])
    if file_format == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(lines)
        return out.getvalue().encode("gbk")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for line in lines:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rss_kb(pid: int) -> int:
    """The resident set of the process and its children (the prefork pool), in KB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(child) for child in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def child_rss_kb(pid: int) -> int:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    return sum(rss_kb(int(child)) for child in children)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds to wait")
    args = parser.parse_args()

    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("BENCH_IMPORT_REDIS_URL", DEFAULT_REDIS_URL)
    recreate_database(url)
    env = server_env(url, debug=False)
    env.update(REDIS_URL=redis_url, IMPORT_MAX_ROWS=str(max(args.rows, 100_000)))
    env.update(IMPORT_MAX_BYTES=str(200 * 1024 * 1024))
    setup_django(env)
    migrate()

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from accounts.models import User
    from assignments.models import ImportRow
    from assignments.services.import_jobs import create_import_job
    from leads.models import Lead

    admin = User.objects.create_superuser("bench_admin", password="bench-admin-9")
    data = build_file(args.rows, file_format=args.format)
    print(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB {args.format}", flush=True)

    (BASE_DIR / "var").mkdir(exist_ok=True)
    log = open(BASE_DIR / "var" / "bench-import-worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "crm",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            "1",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        time.sleep(5)
        idle_rss = rss_kb(worker.pid)
        t0 = time.perf_counter()
        job = create_import_job(
            actor=admin,
            upload=SimpleUploadedFile(f"bench.{args.format}", data),
            destination="public_pool",
        )
        uploaded = time.perf_counter() - t0
        print(f"uploaded (read and stored {job.total:,} rows) in {uploaded:.1f} s", flush=True)

        samples: list[tuple[float, int, int, int]] = []  # (seconds, processed, rss, child rss)
        start = time.perf_counter()
        marks = {10: None, 50: None, 100: None}
        analyzed_at = start
        while True:
            if time.perf_counter() - analyzed_at >= ANALYZE_EVERY:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                analyzed_at = time.perf_counter()
            job.refresh_from_db()
            elapsed = time.perf_counter() - start
            sample = (elapsed, job.processed, rss_kb(worker.pid), child_rss_kb(worker.pid))
            samples.append(sample)
            for mark in marks:
                if marks[mark] is None and job.processed * 100 >= mark * job.total:
                    marks[mark] = sample
                    print(
                        f"  {mark:3d}%: {job.processed:,} rows at {elapsed:.0f} s, worker RSS "
                        f"{sample[2] / 1024:.0f} MB (pool child {sample[3] / 1024:.0f} MB)",
                        flush=True,
                    )
            if job.is_finished:
                break
            if elapsed > args.timeout or worker.poll() is not None:
                print("stopped waiting: timeout or the worker exited", flush=True)
                break
            time.sleep(0.5)
        seconds = samples[-1][0]
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        log.close()

    job.refresh_from_db()
    peak = max(sample[2] for sample in samples)
    peak_child = max(sample[3] for sample in samples)
    rate = job.processed / seconds if seconds else 0.0
    created = ImportRow.objects.filter(job=job, outcome="created")
    distinct = Lead.objects.filter(company_name__endswith=f" {NAME_SUFFIX}").count()
    ok = (
        job.is_finished
        and job.processed == job.total
        and distinct == created.count() == job.created
    )
    print()
    print(f"import of {job.total:,} rows ({args.format}) through one worker on PostgreSQL:")
    print(f"  state {job.state}: {job.processed:,} rows in {seconds:.0f} s = {rate:,.1f} rows/s")
    print(
        f"  created {job.created:,}, duplicates {job.duplicates:,}, invalid {job.invalid:,},"
        f" failed {job.failed:,}"
    )
    print(
        f"  worker RSS: idle {idle_rss / 1024:.0f} MB, peak {peak / 1024:.0f} MB"
        f" (pool child peak {peak_child / 1024:.0f} MB)"
    )
    print(f"  checks: {'ok' if ok else 'FAILED'} ({distinct:,} customers, one per created row)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
