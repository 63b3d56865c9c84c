"""Disputes (撞单申诉): a rep who believes a customer another rep owns is theirs files a
statement, with their own record of the same customer when they have one; the owner's
manager (or an admin) rules, once and for good.

Filing needs a link to the customer: an earlier ownership period of it, a follow-up of the
claimant's on it, a logged refusal of theirs on it (the collision log), or their own record
of it that the duplicate check matches. Anything else is a 404, and nobody is notified.

A ruling keeps the customer with its owner, transfers it to the claimant, returns it to the
pool, or merges the claimant's record into it (the owner keeps the customer); for a customer
with won deals it may also split their credit (shares adding up to 100%, written as credit
entries). It runs in one transaction in the claim's lock order: the claimant's row (their
claim limit), the leads' rows in id order, then the dispute's row, whose status is read
again there, so of two rulings at once one wins and the other gets `already_decided`. If the
owner no longer holds the customer the dispute closes as `stale` and nothing moves. The
ruling is written on the dispute (final: a PostgreSQL trigger refuses any later change) and
named by the history records and credit entries it writes; both reps are notified."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.locks import lock_user
from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.locks import lock_lead
from leads.models import Deal, Lead

from .. import access
from ..exceptions import (
    AlreadyOwner,
    DisputeAlreadyOpen,
    DisputeRuled,
    DisputeStale,
    InvalidRecord,
    InvalidRuling,
    InvalidShares,
    InvalidTarget,
    LeadInPool,
    OwnershipConflict,
    ReasonRequired,
    StatementRequired,
)
from ..locks import lock_dispute
from ..models import Dispute, Ownership, OwnershipEvent
from ..selectors.disputes import list_claimant_records
from ..selectors.links import has_dispute_link
from ..selectors.policies import get_effective_policy
from .credits import check_shares, rewrite_credit
from .merge import merge_locked
from .periods import (
    current_period,
    end_period,
    ensure_below_limit,
    record_ownership_event,
    start_period,
)

MAX_TEXT = 4000


# --- filing ---------------------------------------------------------------------------------
def file_dispute(
    *, lead_id: int, actor: User, statement: str, record_id: int | None = None
) -> Dispute:
    try:
        return _file_dispute(lead_id=lead_id, actor=actor, statement=statement, record_id=record_id)
    except IntegrityError as exc:
        # Two filings at once: the partial unique index keeps one open dispute per rep.
        raise DisputeAlreadyOpen() from exc


@transaction.atomic(durable=True)
def _file_dispute(*, lead_id: int, actor: User, statement: str, record_id: int | None) -> Dispute:
    access.ensure_may_file_dispute(actor)
    lead = lock_lead(lead_id)
    if lead.merged_into_id is not None:
        raise NotFound()
    record = _claimants_record(lead, actor, record_id) if record_id is not None else None
    if record is None and not has_dispute_link(user=actor, lead_id=lead.pk):
        raise NotFound()
    statement = (statement or "").strip()[:MAX_TEXT]
    if not statement:
        raise StatementRequired()
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    if period is None:
        raise LeadInPool()
    if period.owner_id == actor.pk:
        raise AlreadyOwner()
    if Dispute.objects.filter(lead=lead, claimant=actor, status=Dispute.Status.OPEN).exists():
        raise DisputeAlreadyOpen()
    dispute = Dispute.objects.create(
        lead=lead,
        claimant=actor,
        owner_id=period.owner_id,
        record=record,
        statement=statement,
        filed_at=now,
    )
    payload = {
        "company": lead.company_name,
        "claimant": actor.display_name,
        "owner": period.owner.display_name,
        "dispute": dispute.pk,
        "path": reverse("leads:dispute", args=[dispute.pk]),
    }
    team = period.owner.team
    recipients = {period.owner_id} | ({team.manager_id} if team and team.manager_id else set())
    notify(
        NewNotification(
            user_id=user_id,
            kind=Notification.Kind.DISPUTE_FILED,
            lead_id=lead.pk,
            payload=payload,
            dedupe_key=f"dispute-filed:{dispute.pk}:{user_id}",
        )
        for user_id in recipients - {actor.pk}
    )
    return dispute


def _claimants_record(lead: Lead, actor: User, record_id) -> Lead:
    """The claimant's own record of the same customer (see `list_claimant_records`)."""
    for record in list_claimant_records(user=actor, lead=lead):
        if record.pk == record_id:
            return record
    raise InvalidRecord()


# --- ruling ---------------------------------------------------------------------------------
def rule_dispute(
    *,
    dispute_id: int,
    actor: User,
    ruling: str,
    reason: str,
    shares: Sequence[tuple[int, Decimal]] | None = None,
    override_limit: bool = False,
) -> Dispute:
    """The owner's manager (or an admin) rules. Raises DisputeStale (after closing the
    dispute) when the owner no longer holds the customer."""
    if ruling not in Dispute.Ruling.values:
        raise InvalidRuling()
    reason = (reason or "").strip()[:MAX_TEXT]
    if not reason:
        raise ReasonRequired()
    try:
        dispute, stale = _rule_dispute(
            dispute_id=dispute_id,
            actor=actor,
            ruling=ruling,
            reason=reason,
            shares=list(shares or []),
            override_limit=override_limit,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc
    if stale:
        raise DisputeStale()
    return dispute


@transaction.atomic(durable=True)
def _rule_dispute(
    *,
    dispute_id: int,
    actor: User,
    ruling: str,
    reason: str,
    shares: list,
    override_limit: bool,
) -> tuple[Dispute, bool]:
    dispute = _visible_dispute(dispute_id, actor)
    access.ensure_may_rule_dispute(actor, dispute)
    if ruling == Dispute.Ruling.MERGE and dispute.record_id is None:
        raise InvalidRuling()
    # The claim's lock order: the claimant's row, the leads' rows (id order), the dispute's.
    claimant = lock_user(dispute.claimant_id) if ruling == Dispute.Ruling.TRANSFER else None
    lead_ids = [dispute.lead_id]
    if ruling == Dispute.Ruling.MERGE:
        lead_ids.append(dispute.record_id)
    locked = {lead_id: lock_lead(lead_id) for lead_id in sorted(lead_ids)}
    lead = locked[dispute.lead_id]
    dispute = _lock_open(dispute_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now)
    if period is None or period.owner_id != dispute.owner_id or lead.merged_into_id:
        _close(dispute, status=Dispute.Status.STALE, now=now)
        _notify_ruling(dispute, lead=lead, recipients={dispute.claimant_id})
        return dispute, True

    won_deals = list(Deal.objects.filter(lead=lead, status=Deal.Status.WON).order_by("pk"))
    split = check_shares(actor, shares, settling=False) if shares else []
    if split and not won_deals:
        raise InvalidShares(_("This customer has no won deal: there is no credit to split."))

    details = {"dispute": dispute.pk}
    if ruling == Dispute.Ruling.TRANSFER:
        if not access.may_own(claimant):
            raise InvalidTarget()
        policy = get_effective_policy(team_id=claimant.team_id)
        if not override_limit:
            ensure_below_limit(owner=claimant, policy=policy, now=now)
        end_period(period=period, kind=Ownership.EndKind.TRANSFER, at=now)
        start_period(lead=lead, owner=claimant, policy=policy, now=now)
        record_ownership_event(
            lead=lead,
            kind=OwnershipEvent.Kind.TRANSFER,
            actor=actor,
            from_owner_id=period.owner_id,
            to_owner_id=claimant.pk,
            reason=reason,
            details={**details, "override_limit": bool(override_limit)},
            at=now,
        )
    elif ruling == Dispute.Ruling.POOL:
        end_period(period=period, kind=Ownership.EndKind.RELEASE, at=now)
        record_ownership_event(
            lead=lead,
            kind=OwnershipEvent.Kind.RELEASE,
            actor=actor,
            from_owner_id=period.owner_id,
            reason=reason,
            details=details,
            at=now,
        )
    elif ruling == Dispute.Ruling.MERGE:
        merge_locked(
            survivor=lead,
            merged=locked[dispute.record_id],
            actor=actor,
            reason=reason,
            ruling=dispute.pk,
        )

    for deal in won_deals if split else []:
        rewrite_credit(
            deal=deal, lead=lead, actor=actor, shares=split, reason=reason, dispute_id=dispute.pk
        )
    dispute.ruling = ruling
    dispute.ruled_by = actor
    dispute.ruling_reason = reason
    dispute.credit_split = [{"rep": rep_id, "share": str(share)} for rep_id, share in split]
    _close(dispute, status=Dispute.Status.RULED, now=now)
    _notify_ruling(dispute, lead=lead, recipients={dispute.claimant_id, dispute.owner_id})
    return dispute, False


@transaction.atomic(durable=True)
def withdraw_dispute(*, dispute_id: int, actor: User) -> Dispute:
    """The claimant takes their dispute back while it is open. It leaves the inbox."""
    dispute = _visible_dispute(dispute_id, actor)
    access.ensure_may_withdraw_dispute(actor, dispute)
    dispute = _lock_open(dispute_id)
    _close(dispute, status=Dispute.Status.WITHDRAWN, now=timezone.now())
    return dispute


def _visible_dispute(dispute_id: int, actor: User) -> Dispute:
    dispute = (
        Dispute.objects.select_related("lead", "claimant", "owner").filter(pk=dispute_id).first()
    )
    if dispute is None or not access.can_see_dispute(actor, dispute):
        raise NotFound()
    return dispute


def _lock_open(dispute_id: int) -> Dispute:
    dispute = lock_dispute(dispute_id)
    if not dispute.is_open:
        raise DisputeRuled(status=dispute.status, label=dispute.get_status_display())
    return dispute


def _close(dispute: Dispute, *, status: str, now) -> None:
    dispute.status = status
    if status != Dispute.Status.RULED:
        dispute.ruling = ""
    dispute.ruled_at = now
    dispute.save(
        update_fields=[
            "status",
            "ruling",
            "ruled_by",
            "ruled_at",
            "ruling_reason",
            "credit_split",
        ]
    )


def _notify_ruling(dispute: Dispute, *, lead: Lead, recipients: set[int]) -> None:
    payload = {
        "company": lead.company_name,
        "status": dispute.status,
        "ruling": dispute.ruling,
        "reason": dispute.ruling_reason,
        "claimant": dispute.claimant.display_name,
        "owner": dispute.owner.display_name,
        "dispute": dispute.pk,
        "path": reverse("leads:dispute", args=[dispute.pk]),
    }
    notify(
        NewNotification(
            user_id=user_id,
            kind=Notification.Kind.DISPUTE_RULED,
            lead_id=lead.pk,
            payload=payload,
            dedupe_key=f"dispute-ruled:{dispute.pk}:{user_id}",
        )
        for user_id in recipients - {dispute.ruled_by_id}
    )
