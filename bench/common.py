"""Set-up helpers shared by the benchmarks (bench/claims.py, bench/dedupe.py, bench/recycle.py):
recreate a bench database, configure Django for it, migrate, write COPY text, create teams and
reps with API tokens, find or install a tool, start and stop gunicorn.

Importing this module puts the repository root on sys.path (for crm, accounts, leads, ...).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

REP_PASSWORD = "bench-claims-Password-9"
TEAMS = 4
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- database and Django -----------------------------------------------------------------


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
        # Benchmarks drive a few users far past a person's pace: the per-user API throttles
        # (accounts.api.throttles) would measure themselves, not the product.
        THROTTLE_CLAIMS="off",
        THROTTLE_DUPLICATE_CHECKS="off",
        THROTTLE_TRANSFER_REQUESTS="off",
        THROTTLE_IMPORTS="off",
        THROTTLE_EXPORTS="off",
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


# --- tools and gunicorn ------------------------------------------------------------------


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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], *, workers: int, port: int, log: Path, timeout: int = 60):
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
                str(timeout),
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
