"""The collision log (撞单记录): every refused claim (`already_owned`) and every create or edit
refused as a duplicate (`duplicate_owned`, `duplicate_in_pool`, `duplicate_own`,
`possible_duplicate`) leaves a record: who, when, which customer, which refusal, whose it
was, and for duplicates what identified the attempted customer and the check's reasons.

A refusal is logged after its transaction rolled back, in a short transaction of its own
(`logs_refusals` wraps the services). A possible duplicate the user confirmed is no refusal:
it is logged in the transaction that creates or edits the record. The log is evidence for
managers and disputes; writing it never turns a refusal into an error."""

import functools
import logging
from collections.abc import Iterable, Mapping

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from crm.sql import Statement, db_value

from ..exceptions import AlreadyOwned, DuplicateFound
from ..models import Collision

logger = logging.getLogger(__name__)

# What the log keeps of an attempted customer: what identifies it, never a phone or e-mail
# (the refusal showed none either).
ATTEMPTED_FIELDS = ("company_name", "city", "uscc", "website", "kind", "country")
_field = Collision._meta.get_field
# A refused claim is the hot spot's answer: one prepared INSERT (crm/sql.py).
_INSERT_SQL = Statement(
    "insert_collision",
    """
INSERT INTO assignments_collision
       (user_id, lead_id, owner_id, code, attempted, reasons, confirmed, at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
""",
)


def attempted_identity(fields: Mapping, **extra) -> dict:
    """The attempted customer as the log keeps it."""
    kept = {name: str(fields[name])[:200] for name in ATTEMPTED_FIELDS if fields.get(name)}
    return kept | extra


def logs_refusals(service):
    """Wrap a service (outside its transaction): a refused claim or a refused duplicate is
    logged once the refused transaction has rolled back, then raised as before. The system
    (actor None: an intake) collides with nobody: its refusals are not logged."""

    @functools.wraps(service)
    def logged(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except (AlreadyOwned, DuplicateFound) as refusal:
            actor = kwargs["actor"]
            if actor is not None:
                log_refusal(actor_id=actor.pk, refusal=refusal, lead_id=kwargs.get("lead_id"))
            raise

    return logged


def log_refusal(*, actor_id: int, refusal, lead_id: int | None = None) -> None:
    """Record a refusal whose transaction has rolled back. Outside any transaction (the
    services' case) each record is one round trip, committed asynchronously: a crash of
    PostgreSQL may lose the last fraction of a second of the log, never a rule's data."""
    now = timezone.now()
    if isinstance(refusal, AlreadyOwned):
        rows = [(lead_id, refusal.extra["owner"]["id"], {}, [])]
    else:
        rows = [
            (m.lead.pk, m.owner.pk if m.owner else None, refusal.attempted, list(m.reasons))
            for m in refusal.match_objects
        ]
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                _insert(actor_id, refusal.code, rows, confirmed=False, at=now)
        else:
            _insert(actor_id, refusal.code, rows, confirmed=False, at=now, alone=True)
    except DatabaseError:
        # The refusal stands; only its record is missing.
        logger.warning("collision log: could not record %s", refusal.code, exc_info=True)


def log_confirmed(*, actor_id: int, matches: Iterable, attempted: dict) -> None:
    """Possible duplicates the user confirmed as a different customer (caller's transaction)."""
    rows = [
        (m.lead.pk, m.owner.pk if m.owner else None, attempted, list(m.reasons)) for m in matches
    ]
    _insert(actor_id, Collision.Code.POSSIBLE_DUPLICATE, rows, confirmed=True, at=timezone.now())


def _insert(
    actor_id: int, code: str, rows: list, *, confirmed: bool, at, alone: bool = False
) -> None:
    at = db_value(_field("at"), at)
    with connection.cursor() as cursor:
        for lead_id, owner_id, attempted, reasons in rows:
            params = [actor_id, lead_id, owner_id, code]
            params += [db_value(_field("attempted"), attempted)]
            params += [db_value(_field("reasons"), reasons), confirmed, at]
            if alone:
                _INSERT_SQL.execute_committed_async(cursor, params)
            else:
                _INSERT_SQL.execute(cursor, params)
