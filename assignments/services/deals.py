"""Deals (商机): opportunities on a customer, worked by its owner (or their manager, an
admin). Every change takes the customer's row lock, so a win, a loss, an edit, a recycle and
a reassignment of the same customer happen one after the other."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import babel.numbers
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from crm.errors import NotFound
from crm.validation import ensure_clean_names, ensure_sane_dates
from leads.exceptions import DealClosed, InvalidCurrency, UnknownStage
from leads.locks import lock_lead
from leads.models import Deal, DealStage, Lead
from leads.selectors import list_deal_stages

from .. import access
from ..exceptions import OwnershipConflict, ReasonRequired
from .credits import credit_win
from .lifecycle import record_status_change
from .periods import current_period

DEAL_FIELDS = ("title", "amount", "currency", "stage", "expected_close", "next_step")
MAX_REASON = 2000


@transaction.atomic(durable=True)
def create_deal(
    *,
    lead_id: int,
    actor: User,
    title: str,
    amount: Decimal,
    currency: str = "",
    stage_id: int | None = None,
    expected_close: date | None = None,
    next_step: str = "",
) -> Deal:
    lead = lock_lead(lead_id)
    period = current_period(lead=lead, now=timezone.now(), viewer=actor)
    access.ensure_can_work_deals(actor, lead, period)
    values = _clean(
        {
            "title": title,
            "amount": amount,
            "currency": currency or None,
            "stage": stage_id,
            "expected_close": expected_close,
            "next_step": next_step,
        }
    )
    values.setdefault("stage", list_deal_stages().first())
    return Deal.objects.create(lead_id=lead.pk, created_by=actor, **values)


def update_deal(*, deal_id: int, actor: User, **changes) -> Deal:
    """Edit an open deal (a won or lost deal is history: its credit rests on its amount)."""
    return _locked(deal_id, actor, lambda deal, lead, period, now: _update(deal, changes))


def _update(deal: Deal, changes: Mapping) -> Deal:
    if deal.status != Deal.Status.OPEN:
        raise DealClosed()
    values = _clean({k: v for k, v in changes.items() if k in DEAL_FIELDS})
    for name, value in values.items():
        setattr(deal, name, value)
    if values:
        deal.save(update_fields=[*values, "updated_at"])
    return deal


def win_deal(*, deal_id: int, actor: User, reason: str = "") -> Deal:
    """Win an open deal: it closes, its customer is marked won (stays its owner's), and the
    credit is written in the same transaction from the ownership history."""

    def win(deal: Deal, lead: Lead, period, now) -> Deal:
        if deal.status != Deal.Status.OPEN:
            raise DealClosed()
        deal.status = Deal.Status.WON
        deal.closed_at = now
        deal.close_reason = (reason or "").strip()[:MAX_REASON]
        deal.save(update_fields=["status", "closed_at", "close_reason", "updated_at"])
        if lead.status != Lead.Status.WON:
            record_status_change(
                lead=lead,
                actor=actor,
                to_status=Lead.Status.WON,
                note=_("Deal won: %(title)s") % {"title": deal.title},
                deal=deal,
                at=now,
            )
        credit_win(deal=deal, lead=lead, period=period, now=now)
        return deal

    return _locked(deal_id, actor, win)


def lose_deal(*, deal_id: int, actor: User, reason: str) -> Deal:
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise ReasonRequired()

    def lose(deal: Deal, lead: Lead, period, now) -> Deal:
        if deal.status != Deal.Status.OPEN:
            raise DealClosed()
        deal.status = Deal.Status.LOST
        deal.closed_at = now
        deal.close_reason = reason
        deal.save(update_fields=["status", "closed_at", "close_reason", "updated_at"])
        return deal

    return _locked(deal_id, actor, lose)


def _locked(deal_id: int, actor: User, change):
    """Run `change(deal, lead, period, now)` under the customer's row lock, after settling
    its ownership and asking the access rules; the deal is read again under the lock."""
    lead_id = Deal.objects.filter(pk=deal_id).values_list("lead_id", flat=True).first()
    if lead_id is None:
        raise NotFound()
    try:
        return _run_locked(lead_id, deal_id, actor, change)
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _run_locked(lead_id: int, deal_id: int, actor: User, change):
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    access.ensure_can_work_deals(actor, lead, period)
    deal = Deal.objects.select_related("stage").get(pk=deal_id)
    return change(deal, lead, period, now)


def _clean(values: dict) -> dict:
    ensure_clean_names(values, ("title", "next_step"))
    ensure_sane_dates({k: v for k, v in values.items() if k == "expected_close"})
    cleaned = {}
    for name, value in values.items():
        if name == "currency":
            if value is None:
                continue
            value = str(value).strip().upper()
            if value not in babel.numbers.list_currencies():
                raise InvalidCurrency()
        elif name == "stage":
            if value is None:
                continue
            if not isinstance(value, DealStage):
                value = list_deal_stages().filter(pk=value).first()
                if value is None:
                    raise UnknownStage()
        elif name in ("title", "next_step"):
            value = (value or "").strip()
        cleaned[name] = value
    return cleaned
