"""The claim race over real HTTP: 100 reps hit one pool lead at the same instant through
gunicorn (4 sync worker processes, each with its own database connection), so the only thing
that can keep two of them from both winning is the database (the row lock on PostgreSQL,
IMMEDIATE transactions on SQLite)."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from accounts import services as account_services
from accounts.models import User
from assignments.models import Ownership, OwnershipEvent
from tests.conftest import PASSWORD, make_user

CLAIMANTS = 100
WORKERS = 4
BOOT_TIMEOUT = 30.0
REQUEST_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env() -> dict[str, str]:
    """The environment of a production-like process that uses the *test* database."""
    env = dict(os.environ)
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="crm.settings.base", PYTHONUNBUFFERED="1")
    # Set by tests/browser/conftest.py for Playwright; a real server never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(name)
    return env


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def _wait_until_healthy(proc: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + BOOT_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if _get(port, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer /healthz within {BOOT_TIMEOUT:.0f} s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM: graceful shutdown of the master and its workers
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait_for_server_connections_to_close() -> None:
    """The test database is flushed and later dropped; on PostgreSQL the workers' backends
    must be gone first (DROP DATABASE refuses while other sessions are connected)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@dataclass(frozen=True)
class Server:
    port: int
    log: Path

    def log_tail(self, chars: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    """A gunicorn serving the test database; stopped (and its connections gone) afterwards."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    executable = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                executable,
                "crm.wsgi:application",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=_server_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(proc, port, log)
        yield Server(port=port, log=log)
    finally:
        _stop(proc)
        _wait_for_server_connections_to_close()


def _claim_together(port: int, lead_id: int, tokens: list[str]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[int, dict] | BaseException | None] = [None] * len(tokens)

    def claim(index: int, token: str) -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            try:
                conn.connect()  # connect first, so the barrier releases only the requests
                barrier.wait(timeout=REQUEST_TIMEOUT)
                conn.request(
                    "POST",
                    f"/api/v1/leads/{lead_id}/claim/",
                    headers={"Authorization": f"Token {token}", "Accept": "application/json"},
                )
                response = conn.getresponse()
                raw = response.read()
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"unparsed": raw[:500].decode(errors="replace")}
                results[index] = (response.status, body)
            finally:
                conn.close()
        except BaseException as exc:  # reported by the main thread, with the request's index
            barrier.abort()
            results[index] = exc

    threads = [
        threading.Thread(target=claim, args=(i, token), daemon=True)
        for i, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * 2)
    failures = [r for r in results if not isinstance(r, tuple)]
    assert not failures, f"{len(failures)} requests did not complete, e.g. {failures[0]!r}"
    return results  # type: ignore[return-value]


def _assert_no_server_errors(results: list[tuple[int, dict]], server: Server) -> None:
    errors = [body for status, body in results if status >= 500]
    statuses = [status for status, _body in results]
    assert not errors, f"{statuses}\nfirst 5xx: {errors[0]}\ngunicorn:\n{server.log_tail()}"


@pytest.mark.django_db(transaction=True)
def test_100_concurrent_claims_over_http_have_exactly_one_winner(gunicorn, make_lead):
    team = account_services.create_team(actor=None, name="Race")
    team.manager = make_user("race_manager", role=User.Role.MANAGER, team=team)
    team.save()
    reps = [make_user(f"racer{i:03d}", team=team) for i in range(CLAIMANTS)]
    tokens = [account_services.issue_token(username=r.username, password=PASSWORD) for r in reps]
    keys = [t.key for t in tokens]
    # Warm every worker up first (URLconf, DRF, translations, its database connection): a
    # cold worker spends tens of milliseconds on that, which would let the first request
    # finish before the others start, and then there is no race left to lose.
    _assert_no_server_errors(_claim_together(gunicorn.port, make_lead().pk, keys), gunicorn)
    lead = make_lead()  # a public-pool lead, created by an admin

    results = _claim_together(gunicorn.port, lead.pk, keys)

    _assert_no_server_errors(results, gunicorn)
    statuses = [status for status, _body in results]
    assert (statuses.count(200), statuses.count(409)) == (1, CLAIMANTS - 1), statuses
    won = statuses.index(200)
    winner = reps[won]
    assert results[won][1]["owner"]["id"] == winner.pk
    refusals = [body for status, body in results if status == 409]
    assert {body["code"] for body in refusals} == {"already_owned"}
    assert {body["owner"]["id"] for body in refusals} == {winner.pk}

    open_periods = Ownership.objects.filter(lead=lead, ended_at__isnull=True)
    assert list(open_periods.values_list("owner_id", flat=True)) == [winner.pk]
    claims = OwnershipEvent.objects.filter(lead=lead, kind=OwnershipEvent.Kind.CLAIM)
    assert list(claims.values_list("to_owner_id", flat=True)) == [winner.pk]


def _send_together(port: int, requests: list[tuple[str, str, str, dict | None]]):
    """(method, path, token, body) each from its own thread and connection, released at once
    by a barrier. Returns [(status, body)] in the same order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def send(index: int, method: str, path: str, token: str, body: dict | None) -> None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            try:
                conn.connect()
                barrier.wait(timeout=REQUEST_TIMEOUT)
                headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
                payload = None
                if body is not None:
                    headers["Content-Type"] = "application/json"
                    payload = json.dumps(body)
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                raw = response.read()
                try:
                    parsed = json.loads(raw)
                except ValueError:
                    parsed = {"unparsed": raw[:500].decode(errors="replace")}
                results[index] = (response.status, parsed)
            finally:
                conn.close()
        except BaseException as exc:
            barrier.abort()
            results[index] = exc

    threads = [
        threading.Thread(target=send, args=(i, *request), daemon=True)
        for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * 2)
    failures = [r for r in results if not isinstance(r, tuple)]
    assert not failures, f"{len(failures)} requests did not complete, e.g. {failures[0]!r}"
    return results


@pytest.mark.django_db(transaction=True)
def test_a_lowered_claim_limit_binds_at_once_in_every_server_process(gunicorn, make_lead):
    """Rule 4 across processes: right after an admin lowers a team's limit from 30 to 3
    (the PATCH served by one gunicorn worker), one rep racing 12 tabs over the other workers
    too wins exactly 3 claims. A policy remembered by a process must not decide a claim."""
    team = account_services.create_team(actor=None, name="Tabs")
    team.manager = make_user("tabs_manager", role=User.Role.MANAGER, team=team)
    team.save()
    rep = make_user("tabs_rep", team=team)
    admin = make_user("tabs_admin", role=User.Role.ADMIN)
    rep_token, admin_token = (
        account_services.issue_token(username=u.username, password=PASSWORD).key
        for u in (rep, admin)
    )
    policy_path = f"/api/v1/teams/{team.pk}/policy/"
    # Every worker reads the team's policy (limit 30) several times first, as a busy server
    # would have: whatever a process keeps of it must not outlive the change below.
    warm = [("GET", policy_path, rep_token, None)] * (WORKERS * 6)
    for status, body in _send_together(gunicorn.port, warm):
        assert (status, body.get("claim_limit")) == (200, 30), body
    leads = [make_lead() for _ in range(12)]

    lowered = _send_together(
        gunicorn.port, [("PATCH", policy_path, admin_token, {"claim_limit": 3})]
    )
    tabs = [("POST", f"/api/v1/leads/{lead.pk}/claim/", rep_token, None) for lead in leads]
    results = _send_together(gunicorn.port, tabs)

    assert lowered[0][0] == 200, lowered
    statuses = [status for status, _body in results]
    assert statuses.count(200) == 3, (statuses, gunicorn.log_tail())
    refusals = {body.get("code") for status, body in results if status != 200}
    assert refusals == {"claim_limit_reached"}, results
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == 3
