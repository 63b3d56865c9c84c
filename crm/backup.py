"""Backups of the embedded SQLite database with SQLite's online backup API.

`sqlite3.Connection.backup` copies every page in one step inside one read transaction: in WAL
mode the web and the worker keep writing meanwhile, and the copy is the database as of one
instant (a copy in several steps would restart whenever another connection wrote). No Django
here: the nightly task (crm.tasks), `python -m crm.team backup` and `restore` call it.
"""

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

DATABASE_FILE = "noclash.sqlite3"
BACKUP_FOLDER = "backups"
KEEP_DAYS = 14
_NAME = re.compile(r"^noclash-(\d{8}-\d{6})\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"


class BackupError(Exception):
    pass


def back_up(database: Path, folder: Path, *, now: datetime | None = None) -> Path:
    """Copy `database` into `folder/noclash-<UTC time>.sqlite3`, checked, as one file."""
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    target = folder / f"noclash-{stamp}.sqlite3"
    partial = folder / f".noclash-{stamp}.sqlite3.partial"
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        # A backup is one self-contained file: no -wal beside it to lose when it is copied.
        copy.execute("PRAGMA journal_mode=DELETE")
        _check(copy, partial)
    finally:
        copy.close()
        source.close()
    partial.replace(target)
    return target


def prune(folder: Path, *, keep_days: int = KEEP_DAYS, now: datetime | None = None) -> list[Path]:
    """Delete this module's backups older than `keep_days` (by the time in their name);
    nothing else in the folder is touched."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    removed = []
    for path in sorted(folder.glob("noclash-*.sqlite3")):
        match = _NAME.match(path.name)
        if match and datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC) < cutoff:
            path.unlink()
            removed.append(path)
    return removed


def restore(backup: Path, database: Path) -> Path | None:
    """Replace `database` by the backup (the servers must be stopped). The database it
    replaces is first copied beside it (returned); None when there was none."""
    if not backup.is_file():
        raise BackupError(f"no file at {backup}")
    try:
        source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
        try:
            _check(source, backup)
            if not source.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'leads_lead'"
            ).fetchone():
                raise BackupError(f"{backup} is not a NoClash CRM database")
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{backup} is not a readable SQLite database ({error})") from error
    database.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if database.exists():
        kept = back_up(database, database.parent / BACKUP_FOLDER / "before-restore")
    source = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        # Through the backup API rather than a file copy: SQLite replaces the pages in one
        # transaction and takes care of the -wal file of the database it overwrites.
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        _check(target, database)
    finally:
        target.close()
        source.close()
    return kept


def _check(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} fails SQLite's check: {result}")
