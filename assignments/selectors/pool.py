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

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from leads.models import Lead

from .. import access
from ..models import Ownership, OwnershipEvent
from .leads import list_leads_visible_to, map_live_ownerships

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
    company_name: str
    owner: User | None  # None: the row left the pool another way (merged, moved)


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
    that entered it after the page was rendered."""
    now = now or timezone.now()
    shown = shown[:MAX_ROWS]
    pool = list_leads_visible_to(user=user, scope="pool", now=now)

    events = list(
        OwnershipEvent.objects.filter(id__gt=cursor.event_id - OVERLAP)
        .order_by("id")
        .values_list("id", "lead_id", "to_owner_id", "at")[:MAX_SCAN]
    )
    created = list(
        Lead.objects.filter(id__gt=cursor.lead_id - OVERLAP)
        .order_by("id")
        .values_list("id", "created_at")[:MAX_SCAN]
    )
    # A claim that ran out is back in the pool before the recycling job closes it.
    ran_out = Ownership.objects.filter(
        ended_at__isnull=True,
        protected_until__gt=max(cursor.rendered_at, cursor.asked_at - LOOK_BACK),
        protected_until__lte=now,
    ).values_list("lead_id", flat=True)

    candidates = {
        lead_id
        for _, lead_id, to_owner, at in events
        if to_owner is None and at > cursor.rendered_at
    }
    candidates.update(lead_id for lead_id, at in created if at > cursor.rendered_at)
    candidates.update(ran_out[:MAX_ROWS])
    candidates.difference_update(shown)

    in_pool = set(pool.filter(pk__in=shown).values_list("pk", flat=True)) if shown else set()
    gone = [lead_id for lead_id in shown if lead_id not in in_pool]
    entered = set()
    if candidates:
        entered_pool = pool.filter(pk__in=candidates)
        if narrow is not None:
            entered_pool = narrow(entered_pool)
        entered = set(entered_pool.values_list("pk", flat=True))
    # Who took a row is said only of customers in the user's pools (what a refused claim
    # there says); any other id is only "no longer in the pool", as good as a 404.
    names = dict(
        Lead.objects.filter(access.pool_scope_q(user), pk__in=gone).values_list(
            "pk", "company_name"
        )
    )
    owners = map_live_ownerships(lead_ids=list(names), now=now) if names else {}
    return PoolChanges(
        cursor=Cursor(
            rendered_at=cursor.rendered_at,
            event_id=max([cursor.event_id, *(row[0] for row in events)]),
            lead_id=max([cursor.lead_id, *(row[0] for row in created)]),
            asked_at=now,
        ),
        taken=[
            Taken(
                lead_id=lead_id,
                company_name=names.get(lead_id, ""),
                owner=owners[lead_id].owner if lead_id in owners else None,
            )
            for lead_id in gone
        ],
        entered=sorted(entered, reverse=True)[:MAX_ROWS],
    )
