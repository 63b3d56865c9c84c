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

Why the latency target is read at the target rate: with N connections always busy (wrk), the
mean latency is N / throughput whatever the server does (Little's law), so at 32 connections a
p99 under 50 ms would need well over 640 requests/s: about what a Django view doing nothing but
the claim transaction serves on 2 cores (the issue measured 700/s there, which is already a
46 ms mean at 32 connections). The closed-loop p99 is printed too, with that bound.
"""

import argparse
import io
import json
import logging
import math
import os
import random
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/noclash_bench"
REP_PASSWORD = "bench-claims-Password-9"
TEAMS = 4
HOT_LEADS = 10
TARGET_RATIO = 0.10
TARGET_P99_MS = 50.0
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class LoadResult:
    name: str
    clients: int
    seconds: float
    ok: int = 0
    owned: int = 0
    other: int = 0
    socket_errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    generator_cpu: float = 0.0
    machine_busy: float = 0.0
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    sample: str = ""
    integrity: str = ""
    pgbench_tps: float | None = None
    # Open loop (bench/openloop.py): the rate the clients were told to send, and how many
    # requests that scheduled; None for wrk.
    offered: float | None = None
    scheduled: int | None = None

    @property
    def requests(self) -> int:
        return self.ok + self.owned + self.other

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.other + self.socket_errors

    @property
    def ratio(self) -> float | None:
        return self.rps / self.pgbench_tps if self.pgbench_tps else None

    @property
    def sustained(self) -> bool:
        """Every request an open-loop run scheduled was answered (how late counts in p99)."""
        return self.scheduled is None or self.requests >= self.scheduled


@dataclass
class PgbenchResult:
    clients: int
    tps: float
    latency_ms: float
    transactions: int
    failed: int
    machine_busy: float
    raw: str = field(repr=False, default="")


# --- database -----------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def recreate_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing to drop database {name!r}: set BENCH_DATABASE_URL to a bench database")
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            # FORCE: a gunicorn left over from an interrupted run must not block the drop.
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def server_env(database_url: str, *, debug: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="crm.settings.base",
        DATABASE_URL=database_url,
        DEBUG="1" if debug else "0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Plain HTTP on the loopback: no proxy in front to set X-Forwarded-Proto.
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime):
        value = value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load_leads(count: int) -> tuple[int, int]:
    """COPY `count` public-pool leads; returns the (first, last) id, a contiguous range.
    Columns not set here get the model field's default, so the rows stay valid when fields
    are added."""
    from django.db import connection
    from django.utils import timezone

    from leads.models import Lead

    provinces = [("浙江", "杭州"), ("江苏", "南京"), ("广东", "深圳"), ("上海", "上海")]
    industries = ["SaaS", "制造", "零售", "物流", "教育"]
    fields = [f for f in Lead._meta.concrete_fields if not f.primary_key]
    defaults = {f.column: f.get_default() for f in fields}
    defaults.update(source="bench", created_at=timezone.now(), pool_team_id=None)
    buffer = io.StringIO()
    for i in range(count):
        province, city = provinces[i % len(provinces)]
        row = {
            **defaults,
            "company_name": f"Bench Company {i:06d}",
            "province": province,
            "city": city,
            "industry": industries[i % len(industries)],
        }
        buffer.write("\t".join(copy_text(row[f.column]) for f in fields) + "\n")
    buffer.seek(0)
    table = connection.ops.quote_name(Lead._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
        cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT min(id), max(id), count(*) FROM {table}")
        first, last, total = cursor.fetchone()
    assert total == count and last - first + 1 == count, (first, last, total)
    return first, last


def create_reps(count: int) -> tuple[list[int], list[str]]:
    """Teams, managers and reps through the account services; returns rep ids and tokens."""
    from django.test import override_settings

    from accounts import services as account_services
    from accounts.models import User

    # Reps call the API with tokens only; a fast hasher keeps 400 hashes to a second.
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        teams = []
        for t in range(TEAMS):
            team = account_services.create_team(actor=None, name=f"Bench team {t + 1}")
            manager = account_services.create_user(
                actor=None,
                username=f"bench_manager_{t + 1}",
                password=REP_PASSWORD,
                role=User.Role.MANAGER,
                team=team,
            )
            team.manager = manager
            team.save(update_fields=["manager"])
            teams.append(team)
        reps = [
            account_services.create_user(
                actor=None,
                username=f"bench_rep_{i:04d}",
                password=REP_PASSWORD,
                display_name=f"Bench Rep {i}",
                team=teams[i % TEAMS],
            )
            for i in range(count)
        ]
        tokens = [
            account_services.issue_token(username=rep.username, password=REP_PASSWORD).key
            for rep in reps
        ]
    return [rep.pk for rep in reps], tokens


def open_the_pool() -> None:
    from assignments.services import update_policy

    update_policy(actor=None, team=None, changes={"claim_limit": 100_000, "cooldown": timedelta(0)})


def reset_ownership() -> None:
    """Every lead back in the pool. TRUNCATE fires no row triggers, so the append-only
    history trigger does not object; this is a throw-away bench database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE assignments_ownershipevent, assignments_ownership RESTART IDENTITY"
        )


def check_integrity(*, hot_ids: list[int] | None = None) -> str:
    """Each claim wrote one period and one history row; no lead has two open periods."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM assignments_ownership WHERE ended_at IS NULL),"
            " (SELECT count(*) FROM assignments_ownershipevent WHERE kind = 'claim'),"
            " (SELECT count(*) FROM (SELECT lead_id FROM assignments_ownership"
            "   WHERE ended_at IS NULL GROUP BY lead_id HAVING count(*) > 1) doubled)"
        )
        periods, claims, doubled = cursor.fetchone()
        problems = []
        if periods != claims:
            problems.append(f"{periods} open periods but {claims} claim records")
        if doubled:
            problems.append(f"{doubled} leads with two open periods")
        if hot_ids is not None:
            cursor.execute(
                "SELECT count(*) FROM assignments_ownershipevent"
                " WHERE kind = 'claim' AND lead_id = ANY(%s)",
                [hot_ids],
            )
            hot_claims = cursor.fetchone()[0]
            if hot_claims != len(hot_ids):
                problems.append(f"{hot_claims} claims recorded on {len(hot_ids)} hot leads")
    return "; ".join(problems) or f"ok ({claims} claims, each with one period)"


def count_queries(lead_id: int, tokens: list[str]) -> tuple[int, int]:
    """SQL statements per request, through the full middleware stack: a successful claim,
    then a refused one (already owned)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # django.request logs every 4xx as a warning; the server's log keeps those, not stdout.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    # A first claim on another lead prepares the hot statements on this connection
    # (crm/sql.py: once per connection), so the counts below are a steady request's.
    warm = Client(headers={"Authorization": f"Token {tokens[2]}"}, HTTP_HOST="127.0.0.1")
    assert warm.post(f"/api/v1/leads/{lead_id + 1}/claim/").status_code == 200
    counts = []
    for token in tokens[:2]:
        client = Client(headers={"Authorization": f"Token {token}"}, HTTP_HOST="127.0.0.1")
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"/api/v1/leads/{lead_id}/claim/")
        assert response.status_code in (200, 409), response.content
        counts.append(len(captured))
    return counts[0], counts[1]


# --- machine ------------------------------------------------------------------------------


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies from /proc/stat, for the machine's utilisation during a run."""
    with open("/proc/stat") as stat:
        values = [float(v) for v in stat.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)
    return sum(values) - idle, sum(values)


def busy_since(start: tuple[float, float]) -> float:
    busy, total = cpu_times()
    return (busy - start[0]) / max(total - start[1], 1.0)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def child_pids(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def backend_pids() -> list[int]:
    """The PostgreSQL backends serving the bench database (gunicorn's persistent ones)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def ensure_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {package} (apt-get) ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True, env=env)
        path = shutil.which(name)
    if not path:
        sys.exit(f"{name} is missing: apt-get install {package}")
    return path


# --- pgbench ------------------------------------------------------------------------------

PGBENCH_SCRIPT = r"""
\set rep random(:rep_lo, :rep_hi)
\set id :lead_lo + ((:client_id + :n * :nclients) % :nleads)
\set n :n + 1
BEGIN;
SELECT id, pool_team_id FROM leads_lead WHERE id = :id FOR NO KEY UPDATE;
SELECT count(*) AS owned FROM assignments_ownership WHERE lead_id = :id AND ended_at IS NULL \gset
\if :owned = 0
INSERT INTO assignments_ownership (lead_id, owner_id, started_at, protected_until, end_kind)
  VALUES (:id, :rep, now(), now() + interval '7 days', '');
INSERT INTO assignments_ownershipevent
  (lead_id, kind, to_owner_id, actor_id, reason, details, at)
  VALUES (:id, 'claim', :rep, :rep, '', '{}', now());
\endif
COMMIT;
"""


def run_pgbench(
    *,
    pgbench: str,
    url: str,
    script: Path,
    clients: int,
    seconds: int,
    leads: tuple[int, int],
    rep_ids: list[int],
    mode: str,
) -> PgbenchResult:
    first, last = leads
    variables = {
        "lead_lo": first,
        "nleads": last - first + 1,
        "rep_lo": min(rep_ids),
        "rep_hi": max(rep_ids),
        "nclients": clients,
        "n": 0,
    }
    command = [pgbench, "-n", "-M", mode, "-f", str(script), "-c", str(clients)]
    command += ["-j", str(min(clients, os.cpu_count() or 1)), "-T", str(seconds)]
    for key, value in variables.items():
        command += ["-D", f"{key}={value}"]
    command.append(url)
    start = cpu_times()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    busy = busy_since(start)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit(f"pgbench failed ({done.returncode}):\n{output}")

    def number(pattern: str, default: float = 0.0) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    return PgbenchResult(
        clients=clients,
        tps=number(r"tps = ([\d.]+)"),
        latency_ms=number(r"latency average = ([\d.]+) ms"),
        transactions=int(number(r"number of transactions actually processed: (\d+)")),
        failed=int(number(r"number of failed transactions: (\d+)")),
        machine_busy=busy,
        raw=output,
    )


# --- gunicorn + wrk -----------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], *, workers: int, port: int, log: Path):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                gunicorn,
                "crm.wsgi:application",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    import http.client

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
            conn.close()
        except OSError:
            pass
        time.sleep(0.1)
    stop_gunicorn(proc)
    sys.exit(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()}")


def stop_gunicorn(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def lua_list(values) -> str:
    return "{" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "}"


WRK_SCRIPT = """-- generated by bench/claims.py: random lead, random rep token, count answers
local tokens = %(tokens)s
local hot = %(hot)s
local lead_lo, lead_hi = %(lead_lo)d, %(lead_hi)d
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  ok, owned, other, sample = 0, 0, 0, ""
  math.randomseed(%(seed)d + tid * 7919)
end

function request()
  local id
  if #hot > 0 then id = hot[math.random(#hot)] else id = math.random(lead_lo, lead_hi) end
  local headers = {}
  headers["Authorization"] = "Token " .. tokens[math.random(#tokens)]
  headers["Accept"] = "application/json"
  return wrk.format("POST", "/api/v1/leads/" .. id .. "/claim/", headers)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 409 and string.find(body, '"already_owned"', 1, true) then
    owned = owned + 1
  else
    other = other + 1
    if sample == "" then sample = status .. " " .. string.sub(body or "", 1, 300) end
  end
end

function done(summary, latency, requests)
  local a, b, c, s = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    a = a + t:get("ok")
    b = b + t:get("owned")
    c = c + t:get("other")
    if s == "" then s = t:get("sample") end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT duration_us=%%d ok=%%d owned=%%d other=%%d socket=%%d"
      .. " p50_us=%%d p99_us=%%d max_us=%%d\\n",
    summary.duration, a, b, c, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
  if s ~= "" then io.write("SAMPLE " .. (string.gsub(s, "%%s+", " ")) .. "\\n") end
end
"""


def run_wrk(
    *,
    wrk: str,
    port: int,
    workdir: Path,
    name: str,
    clients: int,
    seconds: int,
    tokens: list[str],
    leads: tuple[int, int],
    hot: list[int],
) -> LoadResult:
    script = workdir / f"{name}-{clients}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "tokens": lua_list(tokens),
            "hot": lua_list(hot),
            "lead_lo": leads[0],
            "lead_hi": leads[1],
            "seed": random.randrange(1, 1 << 30),
        }
    )
    command = [wrk, "-t", "1", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", str(script), f"http://127.0.0.1:{port}"]
    cpu_before, start = children_cpu(), cpu_times()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    busy, generator = busy_since(start), children_cpu() - cpu_before
    match = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    sample = re.search(r"^SAMPLE (.*)$", done.stdout, re.MULTILINE)
    elapsed = values["duration_us"] / 1e6
    return LoadResult(
        name=name,
        clients=clients,
        seconds=elapsed,
        ok=values["ok"],
        owned=values["owned"],
        other=values["other"],
        socket_errors=values["socket"],
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000,
        generator_cpu=generator / elapsed if elapsed else 0.0,
        machine_busy=busy,
        sample=sample.group(1) if sample else "",
    )


def run_openloop(
    *,
    port: int,
    workdir: Path,
    name: str,
    clients: int,
    rate: float,
    seconds: int,
    tokens: list[str],
    leads: tuple[int, int],
    hot: list[int],
) -> LoadResult:
    """`clients` clients sending `rate` requests/s between them (bench/openloop.py)."""
    config = workdir / f"{name}-{clients}-open.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "rate": rate,
                "clients": clients,
                "seconds": seconds,
                "tokens": tokens,
                "leads": list(leads),
                "hot": hot,
                "seed": random.randrange(1, 1 << 30),
            }
        )
    )
    script = Path(__file__).resolve().parent / "openloop.py"
    start = cpu_times()
    done = subprocess.run(
        [sys.executable, str(script), str(config)], capture_output=True, text=True, check=False
    )
    busy = busy_since(start)
    match = re.search(r"^RESULT (.*)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        sys.exit(f"openloop failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    values = json.loads(match.group(1))
    elapsed = values["seconds"]
    return LoadResult(
        name=name,
        clients=clients,
        seconds=elapsed,
        ok=values["ok"],
        owned=values["owned"],
        other=values["other"],
        socket_errors=values["socket"],
        p50_ms=values["p50_ms"],
        p99_ms=values["p99_ms"],
        max_ms=values["max_ms"],
        generator_cpu=values["cpu_s"] / elapsed if elapsed else 0.0,
        machine_busy=busy,
        sample=values["sample"],
        offered=rate,
        scheduled=values["scheduled"],
    )


def report_server_log(log: Path) -> None:
    """django.request logs each 4xx answer as a warning ("Conflict: /api/v1/leads/1/claim/");
    count those, show anything else (tracebacks, worker timeouts)."""
    lines = log.read_text(errors="replace").splitlines()
    conflicts = sum(1 for line in lines if line.startswith("Conflict: "))
    rest = [line for line in lines if line.strip() and not line.startswith("Conflict: ")]
    print(f"gunicorn log: {conflicts} 'Conflict:' warnings (one per 409), {len(rest)} other lines")
    for line in rest[-40:]:
        print(f"  {line}")


# --- report -------------------------------------------------------------------------------


def print_summary(
    results: list[LoadResult],
    pgbench: dict[int, PgbenchResult],
    *,
    workers: int,
    queries: tuple[int, int],
) -> bool:
    header = (
        f"{'scenario':<10} {'load':<14} {'clients':>7} {'req/s':>7} {'200s':>7} {'409s':>7} "
        f"{'errors':>6} {'p50 ms':>7} {'p99 ms':>7} {'pgbench tps':>11} {'ratio':>6}"
    )
    print()
    print(
        f"Summary: POST /api/v1/leads/{{id}}/claim/ on gunicorn ({workers} sync workers, "
        f"DEBUG=0, persistent connections); SQL per request (BEGIN and COMMIT included): "
        f"{queries[0]} per claim, {queries[1]} per refusal. Load 'closed': wrk, every "
        f"connection always busy (the most the endpoint does); 'N/s': that many requests a "
        f"second from the clients between them (bench/openloop.py), latency counted from "
        f"each request's scheduled start"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        tps = f"{r.pgbench_tps:.0f}" if r.pgbench_tps else "-"
        ratio = f"{r.ratio:.3f}" if r.ratio is not None else "-"
        load = "closed" if r.offered is None else f"{r.offered:.0f}/s"
        print(
            f"{r.name:<10} {load:<14} {r.clients:>7} {r.rps:>7.0f} {r.ok:>7} {r.owned:>7} "
            f"{r.errors:>6} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} {tps:>11} {ratio:>6}"
        )
    print()
    cores = os.cpu_count() or 1
    for r in results:
        per_request = r.app_cpu_ms + r.db_cpu_ms
        ceiling = 1000 * cores / per_request if per_request else 0.0
        print(
            f"{r.name} {r.clients}: server CPU per request {r.app_cpu_ms:.1f} ms gunicorn + "
            f"{r.db_cpu_ms:.1f} ms PostgreSQL = at most {ceiling:.0f} req/s on {cores} cores"
        )
    print()
    for clients, p in sorted(pgbench.items()):
        print(
            f"pgbench, bare claim transaction, {clients:>2} clients: {p.tps:6.0f} tps "
            f"({p.transactions} transactions, avg latency {p.latency_ms:.2f} ms, "
            f"{p.failed} failed)"
        )

    closed = [r for r in results if r.offered is None]
    paced = [r for r in results if r.offered is not None]
    throughput = bool(closed) and all(
        r.ratio is not None and r.ratio >= TARGET_RATIO for r in closed
    )
    latency = bool(paced) and all(
        r.p99_ms < TARGET_P99_MS and r.sustained for r in paced if r.clients >= 32
    )
    clean = all(r.errors == 0 and r.integrity.startswith("ok") for r in results) and all(
        p.failed == 0 for p in pgbench.values()
    )
    print()
    print("Targets:")
    print(
        f"  closed loop: req/s >= {TARGET_RATIO:.0%} of pgbench tps at the same clients:"
        f"        {verdict(throughput)}"
    )
    print(
        f"  32 clients sending {TARGET_RATIO:.0%} of pgbench tps: every request answered, "
        f"p99 < {TARGET_P99_MS:.0f} ms: {verdict(latency)}"
    )
    print(f"  zero errors (hot spot included):                                  {verdict(clean)}")
    for r in closed:
        if r.clients >= 32 and r.rps:
            print(
                f"  (closed loop, {r.name} {r.clients}: p99 {r.p99_ms:.0f} ms; with every "
                f"connection always busy the mean latency is {r.clients} / "
                f"{r.rps:.0f} req/s = {1000 * r.clients / r.rps:.0f} ms by Little's law)"
            )
    return throughput and latency and clean


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


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
