"""Nightly backups (crm/backup.py, crm.tasks) and `python -m crm.team restore`."""

import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection

from crm import backup
from crm.tasks import back_up_database_task
from leads.models import Lead
from tests.workers import PROJECT_DIR

READ_CUSTOMERS = """
import json, django
django.setup()
from leads.models import Lead
print(json.dumps(sorted(Lead.objects.values_list("company_name", flat=True))))
"""


def restore_cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    return subprocess.run(
        [sys.executable, "-m", "crm.team", "restore", *args, "--data-dir", str(data_dir)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def customers_in(folder: Path) -> list[str]:
    """The customers as the product reads them from the data folder's database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="crm.settings.base",
        DEBUG="1",
        NOCLASH_VAR_DIR=str(folder),
        SQLITE_PATH=str(folder / "noclash.sqlite3"),
    )
    out = subprocess.run(
        [sys.executable, "-c", READ_CUSTOMERS],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_reps_write_restores_into_a_fresh_folder(
    make_lead, settings, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the backup is of the embedded SQLite database")
    settings.BACKUP_DIR = str(tmp_path / "backups")
    before = [make_lead().company_name for _ in range(30)]

    # Writers keep creating customers while the backup runs.
    stop = threading.Event()
    written_during: list[str] = []

    def keep_writing() -> None:
        try:
            while not stop.is_set():
                written_during.append(make_lead().company_name)
        finally:
            connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written_during) < 3:
            threading.Event().wait(0.05)
        path = Path(back_up_database_task())
    finally:
        stop.set()
        writer.join(timeout=60)
    assert path.parent == tmp_path / "backups" and path.name.startswith("noclash-")

    fresh = tmp_path / "fresh"
    result = restore_cli(str(path), data_dir=fresh)
    assert result.returncode == 0, result.stderr
    restored = customers_in(fresh)
    # Everything written before the backup is there; nothing that was never written is.
    assert set(before) <= set(restored)
    assert set(restored) <= set(before) | set(written_during)
    assert Lead.objects.count() == len(before) + len(written_during)
    with sqlite3.connect(fresh / "noclash.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_restore_over_a_database_keeps_the_one_it_replaces(make_lead, settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the backup is of the embedded SQLite database")
    settings.BACKUP_DIR = str(tmp_path / "backups")
    first = make_lead().company_name
    path = Path(back_up_database_task())
    folder = tmp_path / "data"
    assert restore_cli(str(path), data_dir=folder).returncode == 0
    # The team's database moved on after the backup; restoring brings back the old state.
    with sqlite3.connect(folder / "noclash.sqlite3") as db:
        db.execute("UPDATE leads_lead SET company_name = 'Changed since'")
    result = restore_cli(str(path), data_dir=folder)
    assert result.returncode == 0, result.stderr
    assert customers_in(folder) == [first]
    kept = list((folder / "backups" / "before-restore").glob("noclash-*.sqlite3"))
    assert len(kept) == 1 and "kept as" in result.stdout
    with sqlite3.connect(kept[0]) as db:
        assert db.execute("SELECT company_name FROM leads_lead").fetchall() == [("Changed since",)]


def test_restore_refuses_what_is_no_backup_and_a_running_server(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    result = restore_cli(str(junk), data_dir=tmp_path / "a")
    assert result.returncode != 0 and "not a readable SQLite database" in result.stderr
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    result = restore_cli(str(other), data_dir=tmp_path / "a")
    assert result.returncode != 0 and "not a NoClash CRM database" in result.stderr
    assert not (tmp_path / "a" / "noclash.sqlite3").exists()

    # A server holds the data folder's lock: no restore under its feet.
    folder = tmp_path / "busy"
    folder.mkdir()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'w');"
            " fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(folder / "serve.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "locked"
        result = restore_cli(str(other), data_dir=folder)
        assert result.returncode != 0 and "already runs" in result.stderr
    finally:
        server.kill()
        server.wait()


def test_prune_deletes_backups_older_than_14_days_and_nothing_else(tmp_path):
    now = datetime(2026, 6, 30, 3, 0, tzinfo=UTC)
    names = {
        days: f"noclash-{(now - timedelta(days=days)).strftime('%Y%m%d-%H%M%S')}.sqlite3"
        for days in (0, 1, 13, 14.01, 15, 40)
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "my-own-copy.sqlite3").write_bytes(b"x")
    removed = backup.prune(tmp_path, keep_days=14, now=now)
    assert sorted(p.name for p in removed) == sorted(names[d] for d in (14.01, 15, 40))
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names[0], names[1], names[13], "my-own-copy.sqlite3"])


@pytest.mark.django_db
def test_on_postgresql_the_backup_job_does_nothing_and_says_so(caplog, settings, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("PostgreSQL only (run with DATABASE_URL)")
    settings.BACKUP_DIR = str(tmp_path / "backups")
    with caplog.at_level(logging.INFO, logger="crm.tasks"):
        assert back_up_database_task() == ""
    assert "pg_dump" in caplog.text
    assert not (tmp_path / "backups").exists()
