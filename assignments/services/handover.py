"""A rep leaves (离职交接): in one transaction the rep is deactivated (their session and API
token stop at their next request; routing skips them; their history stays theirs), their
own open transfer requests and disputes are withdrawn, their open next steps go with their
customers or are cleared, and their customers are handed over by a bulk move (to a rep,
round robin over chosen reps, or a pool) that a worker carries out after the commit, one
lead at a time under its row lock, with its progress page and report. Requests and disputes
about their customers close as stale as each customer moves (as on any change of owner).

The manager of the rep's team or an admin decides."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.locks import lock_user
from accounts.models import User
from crm.errors import NotFound, PermissionDenied
from leads.models import FollowUp

from .. import access, live
from ..exceptions import NotARepToHandOver
from ..models import BulkReassignment, Dispute, Ownership, TransferRequest
from .bulk_reassign import BulkTarget, queue_bulk_reassignment

KEEP, CLEAR = "keep", "clear"


@dataclass
class HandOver:
    rep: User
    job: BulkReassignment | None
    customers: int
    withdrawn_requests: int
    withdrawn_disputes: int
    cleared_next_steps: int


@dataclass(frozen=True)
class LeavingRep:
    """What a rep leaves behind, as the hand-over page shows it before anyone confirms."""

    rep: User
    customers: int
    open_requests: int
    open_disputes: int
    next_steps: int


def _live_lead_ids(rep_id: int, now) -> list[int]:
    return list(
        Ownership.objects.filter(live.live_q(now), owner_id=rep_id)
        .order_by("lead_id")
        .values_list("lead_id", flat=True)
    )


def _open_next_steps(lead_ids: list[int]):
    return FollowUp.objects.filter(lead_id__in=lead_ids).exclude(
        Q(next_step="") & Q(next_step_at__isnull=True)
    )


def _leaving(actor: User, rep_id: int) -> User:
    rep = User.objects.select_related("team").filter(pk=rep_id).first()
    if rep is None or not (access.can_bulk_reassign(actor) and access.manages(actor, rep)):
        raise NotFound()
    return rep


def describe_leaving_rep(*, actor: User, rep_id: int) -> LeavingRep:
    rep = _leaving(actor, rep_id)
    lead_ids = _live_lead_ids(rep.pk, timezone.now())
    return LeavingRep(
        rep=rep,
        customers=len(lead_ids),
        open_requests=TransferRequest.objects.filter(
            requester=rep, status=TransferRequest.Status.PENDING
        ).count(),
        open_disputes=Dispute.objects.filter(claimant=rep, status=Dispute.Status.OPEN).count(),
        next_steps=_open_next_steps(lead_ids).count(),
    )


@transaction.atomic(durable=True)
def hand_over_rep(
    *,
    actor: User,
    rep_id: int,
    target: BulkTarget,
    reason: str,
    next_steps: str = KEEP,
    override_limit: bool = False,
) -> HandOver:
    """Deactivate a leaving rep and hand over what they held (see the module's text).
    Raises NotFound (not a user the actor manages), NotARepToHandOver (not an active rep),
    and what `queue_bulk_reassignment` raises for the target and the reason; nothing changes
    on a refusal."""
    rep = _leaving(actor, rep_id)
    if actor.pk == rep.pk:
        raise PermissionDenied()
    if next_steps not in (KEEP, CLEAR):
        raise ValueError(f"next_steps is {KEEP!r} or {CLEAR!r}")
    # The rep's row lock that claims and routing take: nothing new lands on them meanwhile.
    rep = lock_user(rep.pk)
    if not rep.is_rep:
        raise NotARepToHandOver()
    now = timezone.now()
    lead_ids = _live_lead_ids(rep.pk, now)
    job = None
    if lead_ids:
        job = queue_bulk_reassignment(
            actor=actor,
            target=target,
            reason=reason,
            lead_ids=lead_ids,
            override_limit=override_limit,
        )
    User.objects.filter(pk=rep.pk).update(is_active=False)
    withdrawn_requests = TransferRequest.objects.filter(
        requester=rep, status=TransferRequest.Status.PENDING
    ).update(status=TransferRequest.Status.WITHDRAWN, decided_by=actor, decided_at=now)
    withdrawn_disputes = Dispute.objects.filter(claimant=rep, status=Dispute.Status.OPEN).update(
        status=Dispute.Status.WITHDRAWN, ruled_at=now
    )
    cleared = 0
    if next_steps == CLEAR:
        cleared = _open_next_steps(lead_ids).update(next_step="", next_step_at=None)
    rep.is_active = False
    return HandOver(
        rep=rep,
        job=job,
        customers=len(lead_ids),
        withdrawn_requests=withdrawn_requests,
        withdrawn_disputes=withdrawn_disputes,
        cleared_next_steps=cleared,
    )
