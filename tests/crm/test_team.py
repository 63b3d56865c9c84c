"""`make serve` (crm/team.py) started for real: gunicorn + worker + beat on the embedded
default in a fresh data folder, stopped with Ctrl-C (SIGINT) and started again."""

import http.cookiejar
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.workers import PROJECT_DIR, free_port, wait_for

# What an operator's shell might carry that would point the team server elsewhere.
FOREIGN = (
    "DATABASE_URL",
    "REDIS_URL",
    "SQLITE_PATH",
    "STATIC_ROOT",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "BACKUP_DIR",
)


class Team:
    def __init__(self, folder: Path, log: Path):
        self.folder, self.log, self.port = folder, log, free_port()
        self.env = {k: v for k, v in os.environ.items() if k not in FOREIGN}
        self.env["WEB_WORKERS"] = "2"  # two cores shared with the rest of the suite
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log.write_text("")
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "crm.team", "serve", "--bind", "127.0.0.1"]
                + ["--port", str(self.port), "--data-dir", str(self.folder)],
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # First start: migrate + collectstatic, slow on a shared 2-core machine.
        wait_for(self.up, timeout=240, interval=0.3, message=self.output)
        wait_for(lambda: "beat: Starting" in self.output(), timeout=30, message=self.output)
        wait_for(lambda: " ready." in self.output(), timeout=30, message=self.output)

    def up(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"team server exited:\n{self.output()}")
        try:
            return self.get("/healthz")[0] == 200
        except OSError:
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, opener=None) -> tuple[int, dict, str]:
        try:
            with (opener or urllib.request.build_opener()).open(self.url(path), timeout=10) as r:
                return r.status, dict(r.headers), r.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def ctrl_c(self) -> None:
        """What Ctrl-C in the terminal does: SIGINT; every process must be gone."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)
        leftover = subprocess.run(
            ["pgrep", "-f", str(self.folder)], capture_output=True, text=True
        ).stdout.split()
        assert leftover == [], f"processes left after Ctrl-C: {leftover}"

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def sign_in(team: Team, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    status, _headers, page = team.get("/login/", opener)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        team.url("/login/"), data=form, headers={"Referer": team.url("/login/")}
    )
    with opener.open(request, timeout=10) as response:
        landed = urllib.parse.urlsplit(response.url).path
    return opener, jar, landed


@pytest.fixture
def team(tmp_path):
    server = Team(tmp_path / "data", tmp_path / "team.log")
    yield server
    server.kill()


def test_serve_is_a_real_team_server_that_keeps_its_key_and_stops_on_ctrl_c(team):
    team.start()
    out = team.output()

    # The first start created an admin and said how to sign in, once.
    found = re.search(r"username\s+(\S+)\n\s+password\s+(\S+)", out)
    assert found, out
    username, password = found[1], found[2]
    opener, jar, landed = sign_in(team, username, password)
    assert landed != "/login/", "the printed admin password does not sign in"
    assert team.get("/api/v1/me/", opener)[0] == 200
    assert team.get("/api/v1/me/")[0] in (401, 403)

    # DEBUG is off: a 404 is the product's page, never Django's technical one.
    status, _headers, page = team.get("/no-such-page/")
    assert status == 404
    assert "Using the URLconf" not in page and "DEBUG = True" not in page

    # Static files served by whitenoise under their hashed (manifest) names.
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', team.get("/login/")[2])
    assert css, "the login page does not link the hashed stylesheet"
    status, headers, body = team.get(css[1])
    assert status == 200 and body.strip()
    assert "immutable" in headers.get("Cache-Control", "")

    # The secret key: made once, readable by its owner only.
    key_file = team.folder / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()

    # SQLite in WAL mode.
    with sqlite3.connect(team.folder / "noclash.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    # Worker and beat: beat's schedule has the nightly backup; a task sent through the
    # file-system broker is run by the worker (a backup file appears).
    with sqlite3.connect(team.folder / "noclash.sqlite3") as db:
        job = db.execute(
            "SELECT t.task, c.hour FROM django_celery_beat_periodictask t"
            " JOIN django_celery_beat_crontabschedule c ON c.id = t.crontab_id"
            " WHERE t.task = 'crm.tasks.back_up_database_task' AND t.enabled"
        ).fetchone()
    assert job == ("crm.tasks.back_up_database_task", "3")
    env = {**team.env, "NOCLASH_VAR_DIR": str(team.folder), "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "crm", "call", "crm.tasks.back_up_database_task"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    backups = team.folder / "backups"
    wait_for(lambda: list(backups.glob("noclash-*.sqlite3")), timeout=30, message=team.output)

    # Ctrl-C stops web, worker and beat together.
    team.ctrl_c()

    # Started again: the same key (the session still signs in), no second admin or password.
    team.start()
    assert key_file.read_text() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "First start" not in team.output()
    status, _headers, _page = team.get("/api/v1/me/", opener)
    assert status == 200, "the session did not survive the restart: the key changed"
    team.ctrl_c()
