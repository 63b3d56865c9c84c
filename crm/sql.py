"""Hand-written SQL for the statements every claim runs.

On the claim path the ORM spent more CPU building and compiling each query than PostgreSQL
spent running it (about 0.7 ms of Python per statement on our 2-core machines, against
0.1 ms for a prepared string). The statements that use these helpers are plain SQL that
PostgreSQL and SQLite both accept; values go in and come out through Django's own field
adapters and converters, so a row read here is the same model instance the ORM would build.
"""

from collections.abc import Sequence
from weakref import WeakKeyDictionary

from django.db import connection
from django.db.models import Field, Model

# Names of the statements prepared on each open PostgreSQL connection (psycopg2 connection
# objects; a reconnect starts a new, empty set).
_prepared: WeakKeyDictionary = WeakKeyDictionary()


class Statement:
    """A statement every claim runs. On PostgreSQL it is parsed and planned once per
    connection (PREPARE, then EXECUTE with the values): for statements this short, parsing
    and planning are about a third of the database's CPU (pgbench: 2,900 vs 4,400 lock-and-
    count transactions/s). Elsewhere (SQLite) it runs as written. `sql` uses %s placeholders.
    `lock=True` locks the rows it reads, FOR NO KEY UPDATE: inserts that reference them
    (history, follow-ups) are not blocked. SQLite needs no clause: its IMMEDIATE
    transactions already hold the only write lock.

    A prepared statement lives as long as its session and survives a rolled-back
    transaction; it does not pass through a pooler in transaction mode (PgBouncer), which
    our deployment does not use. PostgreSQL re-plans it by itself after schema changes."""

    def __init__(self, name: str, sql: str, *, lock: bool = False):
        self.name = f"noclash_{name}"
        self.sql = sql.strip()
        parts = self.sql.split("%s")
        numbered = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], 1))
        if lock:
            numbered += " FOR NO KEY UPDATE"
        self._prepare = f"PREPARE {self.name} AS {numbered}"
        placeholders = ", ".join(["%s"] * (len(parts) - 1))
        self._execute = f"EXECUTE {self.name}" + (f" ({placeholders})" if placeholders else "")

    def execute(self, cursor, params: Sequence = ()) -> None:
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        self._ensure_prepared(cursor)
        cursor.execute(self._execute, params)

    def execute_committed_async(self, cursor, params: Sequence = ()) -> None:
        """Run the statement as a transaction of its own, in one round trip, committed
        without waiting for the WAL flush (synchronous_commit off: a crash of PostgreSQL may
        lose the last fraction of a second of such writes, never corrupt anything). For
        records that are evidence, not rules. The connection must be in autocommit mode
        (outside any atomic block); elsewhere (SQLite) it is a plain autocommitted statement.
        If the statement fails, the transaction is rolled back before the error is raised."""
        if connection.in_atomic_block:
            raise RuntimeError("execute_committed_async needs autocommit mode")
        if connection.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        self._ensure_prepared(cursor)
        try:
            cursor.execute(
                f"BEGIN; SET LOCAL synchronous_commit TO OFF; {self._execute}; COMMIT", params
            )
        except Exception:
            cursor.execute("ROLLBACK")
            raise

    def _ensure_prepared(self, cursor) -> None:
        names = _prepared.setdefault(connection.connection, set())
        if self.name not in names:
            cursor.execute(self._prepare)
            names.add(self.name)


def as_row_id(value) -> int | None:
    """`value` as a primary key, or None when it cannot be one (not a number, or beyond the
    64-bit range that SQLite's driver would refuse with an error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -(2**63) <= number < 2**63 else None


def db_value(field: Field, value):
    """A Python value as the database column takes it (aware datetimes on SQLite, JSON)."""
    return field.get_db_prep_value(value, connection, prepared=False)


class RowReader:
    """Builds instances of `model` from rows that hold `attnames`, as `Model.from_db` does
    for a queryset with `.only(*attnames)`. SQL selects `columns` (prefixed with `alias.`
    when given), which lists them in the model's field order, as `from_db` expects."""

    def __init__(self, model: type[Model], attnames: Sequence[str], *, alias: str = ""):
        self.model = model
        wanted = set(attnames)
        self._fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
        assert len(self._fields) == len(wanted), f"unknown field in {attnames}"
        self.attnames = [f.attname for f in self._fields]
        prefix = f"{alias}." if alias else ""
        self.columns = ", ".join(f"{prefix}{f.column}" for f in self._fields)
        self.width = len(self._fields)
        self._converters: dict[str, list] = {}

    def converters(self) -> list:
        """Per column: [(converter, column expression)], Django's for this database."""
        vendor = connection.vendor
        if vendor not in self._converters:
            table = self.model._meta.db_table
            per_column = []
            for field in self._fields:
                col = field.get_col(table)
                found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
                per_column.append([(converter, col) for converter in found])
            self._converters[vendor] = per_column
        return self._converters[vendor]

    def values(self, row: Sequence, start: int = 0) -> list:
        values = list(row[start : start + self.width])
        for i, converters in enumerate(self.converters()):
            for converter, col in converters:
                values[i] = converter(values[i], col, connection)
        return values

    def instance(self, row: Sequence, start: int = 0) -> Model:
        """The instance from `row[start:start + width]`."""
        return self.model.from_db(connection.alias, self.attnames, self.values(row, start))


def fetch_instance(statement: Statement, reader: RowReader, params: Sequence) -> Model | None:
    """The one row `statement` returns, built by `reader`; None when there is none."""
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        row = cursor.fetchone()
    return None if row is None else reader.instance(row)
