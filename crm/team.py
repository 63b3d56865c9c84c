"""`make serve` (`python -m crm.team serve`): NoClash CRM for a real team on one machine.

`make run` is a demo (Django's development server, DEBUG on, demo data). This serves the
embedded default for real: gunicorn, DEBUG off, SQLite in WAL mode with the file-system Celery
broker, a Celery worker and beat, static files through whitenoise, no demo data. Everything
lives in one data folder (NOCLASH_VAR_DIR, default `var/team/`, apart from the demo's `var/`):
the database, the broker, the collected static files, the secret key (generated once, mode
0600) and the nightly backups. The first start creates an admin and prints its password once.

    python -m crm.team serve [--port 8000] [--bind 0.0.0.0] [--data-dir DIR]
    python -m crm.team backup [--data-dir DIR]          # a backup now (beat makes one nightly)
    python -m crm.team restore FILE [--data-dir DIR]    # the server must be stopped

This module imports no Django: it prepares the environment that the settings read
(SECRET_KEY, ALLOWED_HOSTS, ...) and then runs Django's commands and the servers as children.
"""

import argparse
import fcntl
import os
import secrets
import shlex
import socket
import subprocess
import sys
from pathlib import Path

from honcho.manager import Manager

from crm import backup

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"
LOCK_FILE = "serve.lock"


def data_dir(arg: str | None) -> Path:
    """--data-dir, else NOCLASH_VAR_DIR, else `var/team/` (never the demo's `var/`)."""
    path = Path(arg or os.environ.get("NOCLASH_VAR_DIR") or BASE_DIR / "var" / "team")
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """The key in `folder/secret_key`: created once (0600, never readable by others), then
    reused, so sessions and password-reset links survive a restart."""
    path = folder / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        key = path.read_text().strip()
        if len(key) < 50:
            sys.exit(f"{path} holds no usable secret key: delete it to have a new one made.")
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as out:
        out.write(key + "\n")
    return key


def default_allowed_hosts() -> list[str]:
    """This machine by every name a colleague may type: localhost, its host name, its fully
    qualified name and its addresses. ALLOWED_HOSTS in the environment replaces the list."""
    hosts = ["localhost", "127.0.0.1", "[::1]"]
    names = {socket.gethostname(), socket.getfqdn()}
    for name in sorted(n for n in names if n):
        hosts.append(name)
        try:
            hosts.extend(info[4][0] for info in socket.getaddrinfo(name, None, socket.AF_INET))
        except OSError:
            pass
    return list(dict.fromkeys(hosts))


def team_env(folder: Path) -> dict[str, str]:
    """The environment of every process of the team server."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="crm.settings.base",
        DEBUG="0",
        NOCLASH_VAR_DIR=str(folder),
        PYTHONUNBUFFERED="1",
    )
    env.setdefault("SECRET_KEY", secret_key(folder))
    env.setdefault("ALLOWED_HOSTS", ",".join(default_allowed_hosts()))
    # A team on one machine is served over plain HTTP on its network unless a TLS proxy
    # stands in front: then set these to 1 (the production defaults of crm/settings).
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.setdefault(name, "0")
    env.setdefault("SECURE_HSTS_SECONDS", "0")
    env.setdefault("SECURE_HSTS_PRELOAD", "0")
    env.setdefault("SECURE_HSTS_INCLUDE_SUBDOMAINS", "0")
    return env


def web_workers() -> tuple[int, int]:
    """gunicorn processes and threads: WEB_WORKERS / WEB_THREADS, else sized for the machine
    (bench/team.py, 40 reps on 2 cores: 2 processes per core with 4 threads each dropped no
    connection; the cores, not the processes, bound the requests/s)."""
    cores = os.cpu_count() or 1
    workers = int(os.environ.get("WEB_WORKERS") or min(2 * cores, 8))
    threads = int(os.environ.get("WEB_THREADS") or 4)
    return workers, threads


def processes(*, bind: str, port: int, folder: Path) -> dict[str, list[str]]:
    workers, threads = web_workers()
    python = sys.executable
    return {
        "web": [
            *(python, "-m", "gunicorn", "crm.wsgi:application"),
            *("--bind", f"{bind}:{port}", "--workers", str(workers), "--threads", str(threads)),
            *("--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "10"),
            *("--keep-alive", "15", "--backlog", "2048", "--access-logfile", "-"),
            *("--control-socket", str(folder / "gunicorn.ctl")),
        ],
        "worker": [
            *(python, "-m", "celery", "-A", "crm", "worker", "--loglevel", "INFO"),
            *("--concurrency", os.environ.get("WORKER_CONCURRENCY", "2"), "-n", "team@%h"),
        ],
        "beat": [
            *(python, "-m", "celery", "-A", "crm", "beat", "--loglevel", "INFO"),
            *("--schedule", str(folder / "celerybeat-schedule")),
        ],
    }


def hold_lock(folder: Path):
    """One server per data folder; `restore` refuses while one runs."""
    lock = (folder / LOCK_FILE).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"A NoClash server already runs on {folder} (stop it first).")
    return lock


def django(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "django", *args], env=env, cwd=BASE_DIR)
    if result.returncode:
        sys.exit(f"`django-admin {' '.join(args)}` failed (exit {result.returncode}).")


def serve(options: argparse.Namespace) -> int:
    folder = data_dir(options.data_dir)
    lock = hold_lock(folder)  # noqa: F841 (held until the process ends)
    env = team_env(folder)
    django(env, "setup_team")
    host = "127.0.0.1" if options.bind in ("0.0.0.0", "::", "127.0.0.1") else options.bind  # noqa: S104
    print(
        f"\n================================================================\n"
        f" NoClash CRM for your team: http://{host}:{options.port}/  (listening on"
        f" {options.bind})\n"
        f" data folder {folder}\n"
        f" allowed hosts {env['ALLOWED_HOSTS']}\n"
        f" web (gunicorn) + Celery worker + beat; Ctrl-C stops all three\n"
        f"================================================================\n",
        flush=True,
    )
    manager = Manager()
    for name, args in processes(bind=options.bind, port=options.port, folder=folder).items():
        manager.add_process(name, shlex.join(args), env=env, cwd=str(BASE_DIR))
    manager.loop()
    return manager.returncode or 0


def run_backup(options: argparse.Namespace) -> int:
    folder = data_dir(options.data_dir)
    path = backup.back_up(folder / backup.DATABASE_FILE, folder / backup.BACKUP_FOLDER)
    print(f"Backed up to {path}")
    return 0


def restore(options: argparse.Namespace) -> int:
    folder = data_dir(options.data_dir)
    lock = hold_lock(folder)  # noqa: F841 (no server may start while we replace the file)
    source = Path(options.file).expanduser().resolve()
    try:
        kept = backup.restore(source, folder / backup.DATABASE_FILE)
    except backup.BackupError as error:
        sys.exit(f"Not restored: {error}")
    print(f"Restored {source} into {folder / backup.DATABASE_FILE}")
    if kept:
        print(f"The database it replaced is kept as {kept}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm.team", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the team: web, worker and beat")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    run.add_argument("--bind", default=os.environ.get("BIND", "0.0.0.0"))  # noqa: S104
    run.add_argument("--data-dir")
    run.set_defaults(handler=serve)
    now = commands.add_parser("backup", help="back the database up now")
    now.add_argument("--data-dir")
    now.set_defaults(handler=run_backup)
    back = commands.add_parser("restore", help="restore a backup (the server must be stopped)")
    back.add_argument("file")
    back.add_argument("--data-dir", help="restore into this folder (created if missing)")
    back.set_defaults(handler=restore)
    options = parser.parse_args(argv)
    return options.handler(options)


if __name__ == "__main__":
    sys.exit(main())
