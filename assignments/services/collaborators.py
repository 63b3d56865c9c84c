"""Collaborators (协作人) and the credit split agreed before a win. A collaborator helps on the
owner's current claim: they see the customer in full and log follow-ups, which never extend
the owner's protection; the claim's end ends the help. The owner proposes how a win's credit
is shared, the owner's manager approves or rejects; at the win the approved split in force
is what the credit follows (see `credits.credit_win`)."""

from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound, PermissionDenied
from leads.locks import lock_lead

from .. import access
from ..exceptions import InvalidShares, InvalidTarget, OwnershipConflict
from ..models import Collaborator, CreditAgreement, CreditAgreementShare
from .periods import current_period

HUNDRED = Decimal("100")
MAX_NOTE = 2000


def invite_collaborator(*, lead_id: int, actor: User, user_id: int) -> Collaborator:
    try:
        return _invite(lead_id=lead_id, actor=actor, user_id=user_id)
    except IntegrityError as exc:
        # Two invitations at once: the partial unique index keeps one.
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _invite(*, lead_id: int, actor: User, user_id: int) -> Collaborator:
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_manage_collaborators(actor, lead, period)
    colleague = User.objects.filter(pk=user_id).first()
    if colleague is None or not access.may_own(colleague) or colleague.pk == period.owner_id:
        raise InvalidTarget(_("Invite an active sales rep or manager other than the owner."))
    existing = Collaborator.objects.filter(
        period=period, user=colleague, removed_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    collaborator = Collaborator.objects.create(
        period=period, lead_id=lead.pk, user=colleague, invited_by=actor, added_at=now
    )
    notify(
        [
            NewNotification(
                user_id=colleague.pk,
                kind=Notification.Kind.COLLABORATION,
                lead_id=lead.pk,
                payload={"company": lead.company_name, "owner": period.owner.display_name},
                dedupe_key=f"collaborator:{collaborator.pk}",
            )
        ]
    )
    return collaborator


@transaction.atomic(durable=True)
def remove_collaborator(*, lead_id: int, actor: User, user_id: int) -> None:
    """The owner, their manager or an admin removes a colleague; a colleague may leave. An
    agreed or proposed credit split naming them no longer stands."""
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    if period is None:
        raise NotFound()
    leaving = actor.pk == user_id and access.collaborates(actor, period)
    if not leaving:
        access.ensure_can_manage_collaborators(actor, lead, period)
    collaborator = Collaborator.objects.filter(
        period=period, user_id=user_id, removed_at__isnull=True
    ).first()
    if collaborator is None:
        raise NotFound()
    collaborator.removed_at = now
    collaborator.removed_by = actor
    collaborator.save(update_fields=["removed_at", "removed_by"])
    CreditAgreement.objects.filter(
        period=period,
        status__in=[CreditAgreement.Status.APPROVED, CreditAgreement.Status.PROPOSED],
        shares__rep_id=user_id,
    ).update(status=CreditAgreement.Status.SUPERSEDED, decided_at=now)


def propose_credit_shares(
    *, lead_id: int, actor: User, shares: Sequence[tuple[int, Decimal]], note: str = ""
) -> CreditAgreement:
    try:
        return _propose(lead_id=lead_id, actor=actor, shares=shares, note=note)
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _propose(*, lead_id: int, actor: User, shares, note: str) -> CreditAgreement:
    """The owner proposes how a win's credit is shared between them and their collaborators
    (the owner's share included, the shares summing to 100%). A waiting proposal is
    replaced."""
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_see(actor, lead, period)
    if period is None or period.owner_id != actor.pk:
        raise PermissionDenied(_("Only the owner proposes how the credit is shared."))
    helping = set(
        Collaborator.objects.filter(period=period, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    cleaned: dict[int, Decimal] = {}
    for rep_id, share in shares:
        share = Decimal(share)
        if share <= 0 or rep_id in cleaned or (rep_id != actor.pk and rep_id not in helping):
            raise InvalidShares(
                _("Shares go to the owner and their collaborators, each once, above 0.")
            )
        cleaned[rep_id] = share
    if actor.pk not in cleaned or sum(cleaned.values()) != HUNDRED:
        raise InvalidShares(_("The owner's share included, the shares must add up to 100%."))
    CreditAgreement.objects.filter(period=period, status=CreditAgreement.Status.PROPOSED).update(
        status=CreditAgreement.Status.SUPERSEDED, decided_at=now
    )
    agreement = CreditAgreement.objects.create(
        period=period, lead_id=lead.pk, proposed_by=actor, proposed_at=now, note=note[:MAX_NOTE]
    )
    CreditAgreementShare.objects.bulk_create(
        CreditAgreementShare(agreement=agreement, rep_id=rep_id, share=share)
        for rep_id, share in cleaned.items()
    )
    manager_id = period.owner.team.manager_id if period.owner.team_id else None
    if manager_id and manager_id != actor.pk:
        notify(
            [
                NewNotification(
                    user_id=manager_id,
                    kind=Notification.Kind.CREDIT_SHARES_PROPOSED,
                    lead_id=lead.pk,
                    payload={"company": lead.company_name, "owner": actor.display_name},
                    dedupe_key=f"credit-shares-proposed:{agreement.pk}",
                )
            ]
        )
    return agreement


def decide_credit_shares(
    *, lead_id: int, actor: User, approve: bool, note: str = ""
) -> CreditAgreement:
    try:
        return _decide(lead_id=lead_id, actor=actor, approve=approve, note=note)
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _decide(*, lead_id: int, actor: User, approve: bool, note: str) -> CreditAgreement:
    """The owner's manager (or an admin) approves the waiting proposal, which replaces the
    split in force, or rejects it."""
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_see(actor, lead, period)
    if not access.can_decide_credit_shares(actor, period):
        raise PermissionDenied(_("The owner's manager decides how the credit is shared."))
    proposal = CreditAgreement.objects.filter(
        period=period, status=CreditAgreement.Status.PROPOSED
    ).first()
    if proposal is None:
        raise NotFound(_("No credit split is waiting for a decision."))
    if approve:
        CreditAgreement.objects.filter(
            period=period, status=CreditAgreement.Status.APPROVED
        ).update(status=CreditAgreement.Status.SUPERSEDED, decided_at=now)
    proposal.status = (
        CreditAgreement.Status.APPROVED if approve else CreditAgreement.Status.REJECTED
    )
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.decision_note = note[:MAX_NOTE]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    notify(
        [
            NewNotification(
                user_id=period.owner_id,
                kind=Notification.Kind.CREDIT_SHARES_DECIDED,
                lead_id=lead.pk,
                payload={
                    "company": lead.company_name,
                    "approved": approve,
                    "manager": actor.display_name,
                },
                dedupe_key=f"credit-shares-decided:{proposal.pk}",
            )
        ]
    )
    return proposal
