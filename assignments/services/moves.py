"""What a manager's move of customers writes, for one lead or many at once: a reassignment
(to a rep) or a release into a pool. The one place that writes it, called by
`reassign_lead`, `release_lead` and the bulk move (`bulk_reassign_run`), which decide first
(each under the lead's row lock, with the checks of their own door) and then hand the moves
here: the owner's period closed (its pending transfer requests with it), the new owner's
period opened, the lead put into the pool chosen, and exactly one history record per lead."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from accounts.models import User
from leads.models import Lead

from ..models import Ownership, OwnershipEvent
from ..selectors.policies import EffectivePolicy
from .periods import end_periods, record_ownership_events, start_periods

# A pool move that leaves the lead in the pool it belongs to (a release).
KEEP_POOL = object()


@dataclass
class Move:
    """One lead's move. `lead` is locked by the caller and `period` is its live period read
    under that lock (None: it is in a pool). To a rep: `to` and `policy` (the rules of the
    new owner's team, read in this transaction); into a pool: `to` None and `pool_team_id`
    the pool's team (None: the public pool; KEEP_POOL: the lead's own pool)."""

    lead: Lead
    period: Ownership | None
    to: User | None = None
    policy: EffectivePolicy | None = None
    pool_team_id: object = KEEP_POOL
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Moved:
    event: OwnershipEvent
    # The new owner's period (None: into a pool).
    period: Ownership | None


def write_moves(
    moves: Sequence[Move], *, actor: User | None, reason: str, now: datetime, nudge: bool = True
) -> list[Moved]:
    """Write the moves, set-based (a handful of statements however many leads): returns, per
    move in order, its history record and the new owner's period. The caller has checked
    every move under the leads' row locks. `nudge=False`: the caller nudges the e-mail
    delivery of the notices this writes (stale transfer requests) once at the end."""
    if not moves:
        return []
    to_rep = [move for move in moves if move.to is not None]
    to_pool = [move for move in moves if move.to is None]
    end_periods(
        periods=[move.period for move in to_rep if move.period is not None],
        kind=Ownership.EndKind.REASSIGN,
        at=now,
        nudge=nudge,
    )
    end_periods(
        periods=[move.period for move in to_pool if move.period is not None],
        kind=Ownership.EndKind.RELEASE,
        at=now,
        nudge=nudge,
    )
    _put_into_pools(to_pool)
    periods = start_periods(starts=[(move.lead, move.to, move.policy) for move in to_rep], now=now)
    new_period = {period.lead_id: period for period in periods}
    events = record_ownership_events(
        [
            OwnershipEvent(
                lead=move.lead,
                kind=OwnershipEvent.Kind.REASSIGN if move.to else OwnershipEvent.Kind.RELEASE,
                actor=actor,
                from_owner_id=move.period.owner_id if move.period else None,
                to_owner_id=move.to.pk if move.to else None,
                reason=reason,
                details=move.details,
                at=now,
            )
            for move in moves
        ]
    )
    return [
        Moved(event=event, period=new_period.get(move.lead.pk) if move.to else None)
        for move, event in zip(moves, events, strict=True)
    ]


def _put_into_pools(moves: Sequence[Move]) -> None:
    """Leads released into a pool other than their own: one UPDATE per pool."""
    by_pool: dict[int | None, list[Lead]] = defaultdict(list)
    for move in moves:
        if move.pool_team_id is not KEEP_POOL and move.pool_team_id != move.lead.pool_team_id:
            by_pool[move.pool_team_id].append(move.lead)
    for team_id, leads in by_pool.items():
        Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(pool_team_id=team_id)
        for lead in leads:
            lead.pool_team_id = team_id
