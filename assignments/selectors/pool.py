"""What changed in the pool while a pool page was open (the live pool): which of the rows it
shows colleagues took, and which customers entered the pool since it was rendered.

A page polls every couple of seconds, so each poll reads only what happened since the last
one: the ownership events and the lead rows after the page's cursors (primary-key ranges),
the claims that ran out in the last moments (the open-period protection index) and the
live owners of the rows on the page. Ids are handed out before commit, so a row with a lower
id can commit after a higher one has been read: every poll looks back `OVERLAP` ids behind
its cursors, and the page counts each customer once. Nothing here decides a rule; a claim
from a stale row is still refused (or granted) under the lead's lock.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from crm.sql import Statement, db_value
from leads.models import Lead

from .. import access
from ..live import LIVE_SQL
from ..models import Ownership, OwnershipEvent

# How far behind its cursors a poll looks (ids, and seconds for claims running out).
OVERLAP = 200
LOOK_BACK = timedelta(seconds=10)
# At most this many rows on a page and customers reported per poll, and events or new lead
# rows read per poll (a page that slept through an import catches up over a few polls).
MAX_ROWS = 100
MAX_SCAN = 2000


@dataclass(frozen=True)
class Cursor:
    """Where a page's polling stands: when it was rendered (nothing before counts as new),
    the last ownership event and lead row seen, and when it last asked."""

    rendered_at: datetime
    event_id: int
    lead_id: int
    asked_at: datetime


@dataclass
class Taken:
    lead_id: int
    company_name: str  # empty: not a customer of the user's pools
    owner_name: str | None  # None: the row left the pool another way (merged, moved)
    mine: bool  # the user took it (in another tab)


@dataclass
class PoolChanges:
    cursor: Cursor
    taken: list[Taken] = field(default_factory=list)
    entered: list[int] = field(default_factory=list)


def get_pool_cursor(*, now: datetime | None = None) -> Cursor:
    """The cursor a freshly rendered pool page starts from."""
    now = now or timezone.now()
    return Cursor(
        rendered_at=now,
        event_id=OwnershipEvent.objects.aggregate(m=Max("id"))["m"] or 0,
        lead_id=Lead.objects.aggregate(m=Max("id"))["m"] or 0,
        asked_at=now,
    )


def get_pool_changes(
    *,
    user: User,
    cursor: Cursor,
    shown: list[int],
    narrow=None,
    now: datetime | None = None,
) -> PoolChanges:
    """The rows among `shown` that are no longer claimable from the user's pool, and the
    customers of that pool (narrowed by `narrow(queryset)`, the page's filters, when given)
    that entered it after the page was rendered. Two statements, written by hand: polled by
    every open pool page, the ORM's building of them cost more than running them."""
    now = now or timezone.now()
    shown = shown[:MAX_ROWS]
    events, created, candidates = cursor.event_id, cursor.lead_id, set()
    with connection.cursor() as db:
        _CHANGES.execute(
            db,
            [
                db_value(_AT, cursor.rendered_at),
                cursor.event_id - OVERLAP,
                db_value(_CREATED_AT, cursor.rendered_at),
                cursor.lead_id - OVERLAP,
                db_value(_PROTECTED_UNTIL, max(cursor.rendered_at, cursor.asked_at - LOOK_BACK)),
                db_value(_PROTECTED_UNTIL, now),
            ],
        )
        for source, row_id, lead_id, entered in db.fetchall():
            if source == _EVENT:
                events = max(events, row_id)
            elif source == _LEAD:
                created = max(created, row_id)
            if entered:
                candidates.add(lead_id)
        candidates.difference_update(shown)
        rows = _read_leads(db, [*shown, *candidates], now) if shown or candidates else {}

    teams = None if user.is_admin else access.pool_team_ids(user)

    def in_scope(row) -> bool:
        return teams is None or row.pool_team_id is None or row.pool_team_id in teams

    def in_pool(row) -> bool:
        return row.merged_into_id is None and row.owner_id is None and in_scope(row)

    taken = []
    for lead_id in shown:
        row = rows.get(lead_id)
        if row is not None and in_pool(row):
            continue
        if row is None or not in_scope(row):
            # Who took a row is said only of customers in the user's pools (what a refused
            # claim there says); any other id is only "no longer in the pool", as a 404.
            taken.append(Taken(lead_id=lead_id, company_name="", owner_name=None, mine=False))
            continue
        taken.append(
            Taken(
                lead_id=lead_id,
                company_name=row.company_name,
                owner_name=(row.display_name or row.username) if row.owner_id else None,
                mine=row.owner_id == user.pk,
            )
        )
    entered = {lead_id for lead_id in candidates if lead_id in rows and in_pool(rows[lead_id])}
    if entered and narrow is not None:
        entered = set(narrow(Lead.objects.filter(pk__in=entered)).values_list("pk", flat=True))
    return PoolChanges(
        cursor=Cursor(
            rendered_at=cursor.rendered_at, event_id=events, lead_id=created, asked_at=now
        ),
        taken=taken,
        entered=sorted(entered, reverse=True)[:MAX_ROWS],
    )


@dataclass(frozen=True)
class _Row:
    company_name: str
    pool_team_id: int | None
    merged_into_id: int | None
    owner_id: int | None
    display_name: str | None
    username: str | None


def _read_leads(db, lead_ids: list[int], now: datetime) -> dict[int, _Row]:
    """Each lead with its live owner, if any (the ids vary in number: not prepared)."""
    placeholders = ", ".join(["%s"] * len(lead_ids))
    db.execute(
        f"""
        SELECT l.id, l.company_name, l.pool_team_id, l.merged_into_id, o.owner_id,
               u.display_name, u.username
        FROM {_LEADS} l
        LEFT JOIN {_PERIODS} o ON o.lead_id = l.id AND {LIVE_SQL.sql(period="o", lead="l")}
        LEFT JOIN {_USERS} u ON u.id = o.owner_id
        WHERE l.id IN ({placeholders})
        """,  # noqa: S608 (names from the models, values as parameters)
        [*LIVE_SQL.params(now), *lead_ids],
    )
    return {row[0]: _Row(*row[1:]) for row in db.fetchall()}


_EVENT, _LEAD, _RAN_OUT = 1, 2, 3
_AT = OwnershipEvent._meta.get_field("at")
_CREATED_AT = Lead._meta.get_field("created_at")
_PROTECTED_UNTIL = Ownership._meta.get_field("protected_until")
_LEADS = Lead._meta.db_table
_PERIODS = Ownership._meta.db_table
_USERS = User._meta.db_table
# What happened after the cursors: ownership events (does the lead leave its owner, after
# the page was rendered?), new lead rows (created after it?), and claims whose protection
# ran out since the last poll (which the recycling job has not closed yet).
_CHANGES = Statement(
    "pool_changes",
    f"""
    SELECT {_EVENT}, e.id, e.lead_id,
           CASE WHEN e.to_owner_id IS NULL AND e.at > %s THEN 1 ELSE 0 END
    FROM (SELECT id, lead_id, to_owner_id, at FROM {OwnershipEvent._meta.db_table}
          WHERE id > %s ORDER BY id LIMIT {MAX_SCAN}) e
    UNION ALL
    SELECT {_LEAD}, n.id, n.id, CASE WHEN n.created_at > %s THEN 1 ELSE 0 END
    FROM (SELECT id, created_at FROM {_LEADS} WHERE id > %s ORDER BY id LIMIT {MAX_SCAN}) n
    UNION ALL
    SELECT {_RAN_OUT}, 0, r.lead_id, 1
    FROM (SELECT lead_id FROM {_PERIODS}
          WHERE ended_at IS NULL AND protected_until > %s AND protected_until <= %s
          LIMIT {MAX_ROWS}) r
    """,  # noqa: S608 (names from the models, values as parameters)
)
