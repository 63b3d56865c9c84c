"""Real background processes for tests: Celery worker and beat, gunicorn, a private Redis.

Every process writes its output to a file under the test's tmp_path, runs in its own process
group (so a kill reaches the prefork children too) and points at the *test* database."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[1]
BIN_DIR = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str:
    return shutil.which(name, path=str(BIN_DIR)) or shutil.which(name) or name


def process_env(*, var_dir: Path, redis_url: str | None) -> dict[str, str]:
    """The environment of a production-like process that uses the *test* database, a private
    `var/` (so the file-system broker is ours alone) and the given broker."""
    env = dict(os.environ)
    env.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="crm.settings.base",
        PYTHONUNBUFFERED="1",
        NOCLASH_VAR_DIR=str(var_dir),
    )
    # Set by tests/browser/conftest.py for Playwright; a real process never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
        env.pop("SQLITE_PATH", None)
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(name)
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)  # the file-system broker under var_dir
    return env


def wait_for(
    condition: Callable[[], object],
    *,
    timeout: float,
    interval: float = 0.2,
    message: Callable[[], str] | str = "",
) -> object:
    """Poll `condition` until it returns something truthy; fail with `message` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"not within {timeout:.0f} s: {text}")
        time.sleep(interval)


class Process:
    """One subprocess in its own process group, its stdout and stderr in `log`."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log: Path):
        self.name, self.args, self.env, self.log = name, args, env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args,
                cwd=PROJECT_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, chars: int = 4000) -> str:
        return f"--- {self.name} ({self.log}) ---\n{self.output()[-chars:]}"

    def wait_for_output(self, text: str, *, timeout: float) -> None:
        def seen() -> bool:
            if text in self.output():
                return True
            if not self.running:
                raise AssertionError(f"{self.name} exited early:\n{self.tail()}")
            return False

        wait_for(seen, timeout=timeout, message=lambda: f"{text!r}\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL to the whole group: the main process and its pool children die at once."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (graceful), then SIGKILL to the group for whatever is left."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


class RedisServer:
    """A private redis-server (no persistence) on a free port; stop() and start() again on
    the same port simulate an outage."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = Process(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(tmp_path),
            ],
            env=dict(os.environ),
            log=tmp_path / "redis.log",
        )

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process.start()
        wait_for(self.ping, timeout=10, interval=0.05, message=self.process.tail)

    def stop(self) -> None:
        self.process.stop()
        wait_for(lambda: not self.ping(), timeout=10, message="redis still answers")


def wait_for_other_sessions_to_close(timeout: float = 10) -> None:
    """The test database is flushed and later dropped; on PostgreSQL the killed processes'
    backends must be gone first (DROP DATABASE refuses while others are connected)."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


class Stack:
    """The processes of one test; `stop_all()` ends them (called by the fixture's teardown)."""

    def __init__(self, tmp_path: Path, *, redis_url: str | None):
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.env = process_env(var_dir=tmp_path / "var", redis_url=redis_url)
        self.processes: list[Process] = []
        self._counts: dict[str, int] = {}

    def _new(self, name: str, args: list[str]) -> Process:
        self._counts[name] = self._counts.get(name, 0) + 1
        label = f"{name}{self._counts[name]}"
        process = Process(label, args, env=self.env, log=self.tmp_path / f"{label}.log")
        self.processes.append(process)
        return process.start()

    def start_worker(self, *, concurrency: int = 2, ready_timeout: float = 30) -> Process:
        """As in scripts/Procfile; returns once the worker consumes from the broker."""
        label = f"worker{self._counts.get('worker', 0) + 1}"
        worker = self._new(
            "worker",
            [
                executable("celery"),
                "-A",
                "crm",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(concurrency),
                "--hostname",
                f"{label}@%h",
            ],
        )
        worker.wait_for_output(" ready.", timeout=ready_timeout)
        return worker

    def start_beat(self) -> Process:
        beat = self._new(
            "beat",
            [
                executable("celery"),
                "-A",
                "crm",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.tmp_path / "celerybeat-schedule"),
            ],
        )
        beat.wait_for_output("beat: Starting...", timeout=30)
        return beat

    def start_gunicorn(self, *, workers: int = 2) -> tuple[Process, int]:
        port = free_port()
        server = self._new(
            "gunicorn",
            [
                executable("gunicorn"),
                "crm.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
        )
        server.wait_for_output("Booting worker", timeout=30)
        return server, port

    def logs(self, chars: int = 4000) -> str:
        return "\n".join(p.tail(chars) for p in self.processes)

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            process.stop(timeout=1)
        wait_for_other_sessions_to_close()
