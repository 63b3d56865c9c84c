"""The credit ledger (业绩归属): written at a win from the ownership history, never typed in;
corrected or settled only by appending a reversal of the entries in force and new shares
that sum to 100%."""

import logging
from collections.abc import Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.exceptions import DealClosed
from leads.locks import lock_lead
from leads.models import Deal, Lead

from .. import access
from ..exceptions import InvalidShares, OwnershipConflict
from ..models import Credit, CreditAgreement, Ownership
from ..selectors.credits import in_force, owner_by_history

logger = logging.getLogger(__name__)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def credit_win(*, deal: Deal, lead: Lead, period: Ownership | None, now: datetime) -> list[Credit]:
    """The win's credit, in the win's transaction (the caller holds the lead's row lock and
    has settled its ownership): the owner the history shows at this instant, 100% — or the
    shares of the credit agreement in force for their claim. Nobody, when nobody owned it."""
    owner_id, basis = owner_by_history(lead_id=lead.pk, at=now)
    live_owner_id = period.owner_id if period is not None else None
    if owner_id != live_owner_id:
        # The history and the live state must tell the same story; a credit is never guessed.
        logger.error(
            "lead %s: history says owner %s, live period says %s", lead.pk, owner_id, live_owner_id
        )
        raise OwnershipConflict()
    if owner_id is None:
        _tell_pool_manager(lead)
        return [
            _entry(
                deal=deal,
                lead=lead,
                rep=None,
                team_id=lead.pool_team_id,
                share=HUNDRED,
                amount=deal.amount,
                kind=Credit.Kind.WIN,
                won_at=now,
                at=now,
                reason=_("Nobody owned the customer when the deal was won."),
            )
        ]
    agreement = (
        CreditAgreement.objects.filter(period=period, status=CreditAgreement.Status.APPROVED)
        .prefetch_related("shares")
        .first()
    )
    if agreement is not None and owner_id in {s.rep_id for s in agreement.shares.all()}:
        shares = [(s.rep_id, s.share) for s in agreement.shares.all()]
    else:
        agreement, shares = None, [(owner_id, HUNDRED)]
    teams = dict(User.objects.filter(pk__in=[r for r, _s in shares]).values_list("pk", "team_id"))
    return [
        _entry(
            deal=deal,
            lead=lead,
            rep=rep_id,
            team_id=teams.get(rep_id),
            share=share,
            amount=amount,
            kind=Credit.Kind.WIN,
            won_at=now,
            at=now,
            ownership_event=basis,
            agreement=agreement,
        )
        for (rep_id, share), amount in zip(shares, split(deal.amount, shares), strict=True)
    ]


def split(amount: Decimal, shares: Sequence[tuple[object, Decimal]]) -> list[Decimal]:
    """`amount` by percentage shares, to the cent, summing exactly to `amount` (the largest
    share takes the rounding)."""
    parts = [(amount * share / HUNDRED).quantize(CENT, ROUND_HALF_UP) for _r, share in shares]
    if parts:
        largest = max(range(len(parts)), key=lambda i: shares[i][1])
        parts[largest] += amount - sum(parts)
    return parts


def correct_credit(
    *, deal_id: int, actor: User, shares: Sequence[tuple[int, Decimal]], reason: str
) -> list[Credit]:
    """Give a won deal's credit to these reps (shares summing to 100%): the entries in force
    are reversed and new ones appended, with the reason. An admin corrects any deal; a manager
    settles a win that credited nobody, for a customer of their teams' pools."""
    lead_id = Deal.objects.filter(pk=deal_id).values_list("lead_id", flat=True).first()
    if lead_id is None:
        raise NotFound()
    return _correct_credit(
        lead_id=lead_id, deal_id=deal_id, actor=actor, shares=shares, reason=reason
    )


@transaction.atomic(durable=True)
def _correct_credit(
    *, lead_id: int, deal_id: int, actor: User, shares, reason: str
) -> list[Credit]:
    # The lead's lock: a correction, a win and another correction of its deals serialise.
    lead = lock_lead(lead_id)
    deal = Deal.objects.get(pk=deal_id)
    if deal.status != Deal.Status.WON:
        raise DealClosed(_("Only a won deal has credit to correct."))
    standing = in_force(deal.pk)
    settling = all(c.rep_id is None for c in standing)
    access.ensure_may_correct_credit(actor, lead, settling=settling)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidShares(_("Give the reason for the correction."))
    shares = check_shares(actor, shares, settling=settling)
    return rewrite_credit(
        deal=deal, lead=lead, actor=actor, shares=shares, reason=reason, standing=standing
    )


def rewrite_credit(
    *,
    deal: Deal,
    lead: Lead,
    actor: User,
    shares: list[tuple[int, Decimal]],
    reason: str,
    standing: list[Credit] | None = None,
    dispute_id: int | None = None,
) -> list[Credit]:
    """Reverse a won deal's entries in force and append `shares` (from `check_shares`),
    inside the caller's transaction, under the lead's lock it holds. A dispute's ruling names
    itself in every entry it writes."""
    if standing is None:
        standing = in_force(deal.pk)
    now = timezone.now()
    won_at = standing[0].won_at if standing else deal.closed_at
    written = [
        _entry(
            deal=deal,
            lead=lead,
            rep=entry.rep_id,
            team_id=entry.team_id,
            share=-entry.share,
            amount=-entry.amount,
            kind=Credit.Kind.REVERSAL,
            won_at=won_at,
            at=now,
            reverses=entry,
            actor=actor,
            reason=reason,
            dispute_id=dispute_id,
        )
        for entry in standing
    ]
    teams = dict(User.objects.filter(pk__in=[r for r, _s in shares]).values_list("pk", "team_id"))
    written += [
        _entry(
            deal=deal,
            lead=lead,
            rep=rep_id,
            team_id=teams.get(rep_id),
            share=share,
            amount=amount,
            kind=Credit.Kind.CORRECTION,
            won_at=won_at,
            at=now,
            actor=actor,
            reason=reason,
            dispute_id=dispute_id,
        )
        for (rep_id, share), amount in zip(shares, split(deal.amount, shares), strict=True)
    ]
    return written


def check_shares(actor: User, shares, *, settling: bool) -> list[tuple[int, Decimal]]:
    cleaned: dict[int, Decimal] = {}
    for rep_id, share in shares:
        share = Decimal(share)
        if share <= 0 or rep_id in cleaned:
            raise InvalidShares()
        cleaned[rep_id] = share
    if not cleaned or sum(cleaned.values()) != HUNDRED:
        raise InvalidShares()
    reps = {u.pk: u for u in User.objects.filter(pk__in=list(cleaned))}
    for rep_id in cleaned:
        rep = reps.get(rep_id)
        if rep is None or not access.may_own(rep):
            raise InvalidShares(_("Credit goes only to active sales reps and managers."))
        if settling:
            access.ensure_may_receive(actor, rep)
    return sorted(cleaned.items(), key=lambda item: (-item[1], item[0]))


def _entry(*, deal, lead, rep, team_id, share, amount, kind, won_at, at, **extra) -> Credit:
    return Credit.objects.create(
        deal=deal,
        lead=lead,
        rep_id=rep,
        team_id=team_id,
        share=share,
        amount=amount,
        currency=deal.currency,
        kind=kind,
        won_at=won_at,
        at=at,
        **extra,
    )


def _tell_pool_manager(lead: Lead) -> None:
    manager_id = lead.pool_team.manager_id if lead.pool_team_id else None
    if manager_id is None:
        return
    notify(
        [
            NewNotification(
                user_id=manager_id,
                kind=Notification.Kind.CREDIT_UNSETTLED,
                lead_id=lead.pk,
                payload={"company": lead.company_name},
            )
        ]
    )
