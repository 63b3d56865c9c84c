"""Exports (导出) of 1,000,000 customers over HTTP from one gunicorn sync worker on
PostgreSQL, as CSV and as XLSX: rows per second and the worker's peak memory (RSS, sampled
from /proc while the download runs), for 100,000 rows and for 1,000,000, to show the memory
stays flat whatever the row count.

Usage (from the top level; PostgreSQL must answer, the database below is DROPPED):

    make bench-export
    .venv/bin/python bench/export.py [--leads 1000000 --small 100000 --formats csv,xlsx]
    .venv/bin/python bench/export.py --writers-only     # only the XLSX writers compared

Environment:

    BENCH_DATABASE_URL   default postgres://postgres@127.0.0.1:5432/noclash_bench_export
                         (dropped and recreated on every run; never point it at real data)

What one run does:

1. Recreates the database, migrates, creates 4 teams with a manager, --reps reps and an
   admin (account services), then COPYs --leads customers (a tenth in 江苏, the rest in 浙江;
   70% in a pool, a quarter owned by a rep with an open claim), one contact each and a
   follow-up for 30% of them; VACUUM ANALYZE.
2. Starts gunicorn (1 sync worker, DEBUG=0, --timeout 1800) and, as the admin (every
   customer, nothing masked) and as a rep (the pools, phones masked), downloads
   `GET /api/v1/leads/export/?format=<f>` for the --small filtered set (province=江苏) and for
   everything, reading the body as it arrives, while a thread samples the worker's VmRSS every
   20 ms. Prints rows, bytes, time to the first byte, total time, rows/s and peak RSS (and
   the worker's RSS before the request).
3. Compares the two streaming XLSX writers on 100,000 rows of the export's shape, in
   process: XlsxWriter (constant_memory, what the product uses) and openpyxl (write_only).
"""

import argparse
import http.client
import io
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # the benchmarks' shared set-up helpers
    BASE_DIR,
    FAST_HASHER,
    REP_PASSWORD,
    create_reps,
    free_port,
    migrate,
    recreate_database,
    server_env,
    setup_django,
    start_gunicorn,
    stop_gunicorn,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench_export"
WORKDIR = BASE_DIR / "var" / "bench-export"
SEED = 20261205
CHUNK = 200_000
NULL = "\\N"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="rows of the filtered set")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--roles", default="admin,rep")
    parser.add_argument("--writer-rows", type=int, default=100_000)
    parser.add_argument("--writers-only", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (no reload)"
    )
    args = parser.parse_args()

    if args.writers_only:
        compare_writers(args.writer_rows)
        return 0

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    WORKDIR.mkdir(parents=True, exist_ok=True)
    env = server_env(url, debug=False)
    if args.reuse:
        setup_django(env)
        tokens = existing_tokens()
    else:
        where = urlsplit(url)._replace(netloc="…").geturl()
        print(f"database {where}: recreating ...", flush=True)
        started = time.monotonic()
        recreate_database(url)
        setup_django(env)
        migrate()
        tokens = create_users(args.reps)
        print(f"migrated, users: {time.monotonic() - started:.0f} s; loading ...", flush=True)
        load(leads=args.leads, small=args.small, rep_ids=tokens.pop("rep_ids"))
    from django.db import connection

    connection.close()

    port = free_port()
    log = WORKDIR / "gunicorn.log"
    server = start_gunicorn(env, workers=1, port=port, log=log, timeout=1800)
    results = []
    try:
        worker = worker_pid(server.pid)
        # Warm the worker (imports, connection) so the baseline RSS is the steady one.
        download(port, tokens["admin"], {"format": "csv", "province": "none"}, worker)
        for role in args.roles.split(","):
            for fmt in args.formats.split(","):
                for label, params in (("small", {"province": "江苏"}), ("all", {})):
                    query = {"format": fmt, **params}
                    if role == "rep":
                        query["scope"] = "pool"
                    result = download(port, tokens[role], query, worker)
                    result.update(role=role, format=fmt, set=label)
                    results.append(result)
                    print_result(result)
    finally:
        stop_gunicorn(server)
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    if lines:
        print(f"\ngunicorn log ({len(lines)} lines), the last ones:")
        for line in lines[-10:]:
            print(f"  {line}")
    print()
    compare_writers(args.writer_rows)
    print("\nsummary (peak RSS of the worker: small set vs all)")
    for role in args.roles.split(","):
        for fmt in args.formats.split(","):
            pair = {r["set"]: r for r in results if r["role"] == role and r["format"] == fmt}
            small, big = pair["small"], pair["all"]
            print(
                f"  {role:5} {fmt:4}: {small['rows']:>9,} rows peak {small['peak_mb']:.0f} MB"
                f" | {big['rows']:>9,} rows peak {big['peak_mb']:.0f} MB, {big['rows_s']:,.0f}"
                f" rows/s ({big['total_s']:.0f} s)"
            )
    return 0


# --- users and data ------------------------------------------------------------------------
def create_users(reps: int) -> dict:
    from django.test import override_settings

    from accounts import services as account_services
    from accounts.models import User

    rep_ids, rep_tokens = create_reps(reps)
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        admin = account_services.create_user(
            actor=None, username="bench_admin", password=REP_PASSWORD, role=User.Role.ADMIN
        )
        token = account_services.issue_token(username=admin.username, password=REP_PASSWORD)
    return {"admin": token.key, "rep": rep_tokens[0], "rep_ids": rep_ids}


def existing_tokens() -> dict:
    from django.test import override_settings

    from accounts import services as account_services

    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        return {
            role: account_services.issue_token(username=name, password=REP_PASSWORD).key
            for role, name in (("admin", "bench_admin"), ("rep", "bench_rep_0000"))
        }


def _copy(table: str, columns: list[str], lines) -> int:
    from django.db import connection

    count, buffer = 0, io.StringIO()

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)

    for line in lines:
        buffer.write(line)
        count += 1
        if count % CHUNK == 0:
            flush()
            buffer.truncate(0)
            buffer.seek(0)
    if buffer.tell():
        flush()
    return count


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def load(*, leads: int, small: int, rep_ids: list[int]) -> None:
    from django.db import connection

    from accounts.models import User

    rng = random.Random(SEED)  # noqa: S311 - synthetic data
    now = datetime.now(UTC)
    team_of = dict(User.objects.filter(pk__in=rep_ids).values_list("pk", "team_id"))
    teams = sorted(set(team_of.values()))
    step = time.monotonic()
    industries = ["SaaS", "制造", "零售", "物流", "教育", "=cmd|' /C calc'!A0"]

    def lead_lines():
        for i in range(leads):
            province, city = ("江苏", "南京") if i < small else ("浙江", "杭州")
            pool = rng.choice(teams) if rng.random() < 0.7 else None
            created = now - timedelta(seconds=rng.randint(0, 730 * 86400))
            yield (
                f"company\t星辰示范{i:07d}科技有限公司\t\t\tCN\texample-{i}.cn\t{province}\t{city}"
                f"\t{rng.choice(industries)}\t10-49\t展会\tnew\t[]\t{pool or NULL}\t{NULL}"
                f"\t{_ts(created)}\t{NULL}\n"
            )

    columns = ["kind", "company_name", "uscc", "id_number", "country", "website", "province"]
    columns += ["city", "industry", "size", "source", "status", "tags", "pool_team_id"]
    columns += ["created_by_id", "created_at", "merged_into_id"]
    n = _copy("leads_lead", columns, lead_lines())
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM leads_lead")
        first = cursor.fetchone()[0]
    print(f"  leads: {n:,} in {time.monotonic() - step:.0f} s", flush=True)

    step = time.monotonic()
    contacts = (
        f"{first + i}\t王经理{i % 1000}\t销售总监\t138{i:08d}\twang{i}@example-{i}.cn\n"
        for i in range(leads)
    )
    n = _copy("leads_contact", ["lead_id", "name", "title", "phone", "email"], contacts)
    print(f"  contacts: {n:,} in {time.monotonic() - step:.0f} s", flush=True)

    step = time.monotonic()
    owned = rng.sample(range(leads), leads // 4)

    def ownership_lines():
        for i in owned:
            rep = rng.choice(rep_ids)
            start = now - timedelta(days=rng.randint(0, 6))
            yield f"{first + i}\t{rep}\t{_ts(start)}\t{_ts(start + timedelta(days=7))}\t{NULL}\t\n"

    n = _copy(
        "assignments_ownership",
        ["lead_id", "owner_id", "started_at", "protected_until", "ended_at", "end_kind"],
        ownership_lines(),
    )
    print(f"  open claims: {n:,} in {time.monotonic() - step:.0f} s", flush=True)

    step = time.monotonic()

    def followup_lines():
        for i in rng.sample(range(leads), int(leads * 0.3)):
            at = _ts(now - timedelta(hours=rng.randint(1, 2000)))
            yield f"{first + i}\t{rng.choice(rep_ids)}\tcall\t电话沟通\t{at}\t\t{NULL}\t{at}\n"

    n = _copy(
        "leads_followup",
        ["lead_id", "author_id", "kind", "note", "occurred_at", "next_step"]
        + ["next_step_at", "created_at"],
        followup_lines(),
    )
    print(f"  follow-ups: {n:,} in {time.monotonic() - step:.0f} s", flush=True)
    step = time.monotonic()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE: {time.monotonic() - step:.0f} s", flush=True)


# --- measuring -----------------------------------------------------------------------------
def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    sys.exit("no gunicorn worker")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.02)


def download(port: int, token: str, query: dict, worker: int) -> dict:
    before = rss_mb(worker)
    sampler = Sampler(worker)
    sampler.start()
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1800)
    conn.request(
        "GET",
        "/api/v1/leads/export/?" + urlencode(query),
        headers={"Authorization": f"Token {token}", "Accept-Language": "zh-CN"},
    )
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"{query}: HTTP {response.status} {response.read()[:300]!r}")
    first_byte, size, newlines = None, 0, 0
    spool = tempfile.TemporaryFile() if query["format"] == "xlsx" else None
    while chunk := response.read(1 << 20):
        if first_byte is None:
            first_byte = time.monotonic() - started
        size += len(chunk)
        if spool is not None:
            spool.write(chunk)
        else:
            newlines += chunk.count(b"\n")
    total = time.monotonic() - started
    conn.close()
    sampler.done.set()
    sampler.join()
    if spool is not None:
        spool.seek(0)
        rows = xlsx_row_count(spool)
        spool.close()
    else:
        rows = newlines - 1  # the header
    return {
        "rows": rows,
        "bytes": size,
        "first_byte_s": first_byte or total,
        "total_s": total,
        "rows_s": rows / total if total else 0.0,
        "before_mb": before,
        "peak_mb": sampler.peak,
    }


def xlsx_row_count(file) -> int:
    import openpyxl

    book = openpyxl.load_workbook(file, read_only=True)
    return sum(sheet.max_row for sheet in book.worksheets) - len(book.worksheets)


def print_result(r: dict) -> None:
    print(
        f"{r['role']:5} {r['format']:4} {r['set']:5}: {r['rows']:>9,} rows, "
        f"{r['bytes'] / 1e6:7.1f} MB, first byte {r['first_byte_s']:6.1f} s, "
        f"total {r['total_s']:6.1f} s, {r['rows_s']:>8,.0f} rows/s, worker RSS "
        f"{r['before_mb']:.0f} MB before, peak {r['peak_mb']:.0f} MB",
        flush=True,
    )


# --- the XLSX writers ------------------------------------------------------------------------
def _sample_rows(count: int):
    now = datetime(2026, 12, 5, 12, 0)
    for i in range(count):
        yield [
            i,
            f"星辰示范{i:07d}科技有限公司",
            "企业客户",
            "新建",
            "Bench Rep 3",
            "Bench team 1",
            "CN",
            "浙江",
            "杭州",
            "SaaS",
            "10–49 人",
            "展会",
            "",
            "",
            f"example-{i}.cn",
            "王经理",
            "138****0001",
            "w***@example.cn",
            now,
            now,
            now,
        ]


def compare_writers(rows: int) -> None:
    import openpyxl
    import xlsxwriter

    from assignments.exports.files import write_xlsx

    headers = [f"col{i}" for i in range(21)]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "a.xlsx")
        started = time.monotonic()
        write_xlsx(path, headers, [list(_sample_rows(rows))], sheet_name="x")
        ours = time.monotonic() - started
        size = os.path.getsize(path)

        started = time.monotonic()
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("x")
        sheet.append(headers)
        for row in _sample_rows(rows):
            sheet.append(row)
        book.save(os.path.join(folder, "b.xlsx"))
        theirs = time.monotonic() - started
    print(
        f"XLSX writers, {rows:,} rows x 21 columns in process: XlsxWriter {xlsxwriter.__version__}"
        f" constant_memory {ours:.1f} s ({rows / ours:,.0f} rows/s, {size / 1e6:.1f} MB);"
        f" openpyxl {openpyxl.__version__} write_only {theirs:.1f} s ({rows / theirs:,.0f} rows/s)"
    )


if __name__ == "__main__":
    if "--writers-only" in sys.argv:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings.base")
        os.environ.setdefault("DEBUG", "1")
        import django

        django.setup()
    sys.exit(main())
