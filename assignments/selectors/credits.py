"""Reads of credit (业绩): who owned a customer at an instant by its ownership history, the
entries of the ledger in force, a rep's results, the wins nobody has been credited for."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from accounts.models import User
from leads.models import Deal

from .. import access
from ..models import Credit, OwnershipEvent

# History records that make their `to_owner` the owner, and those that leave none.
_GIVES = {OwnershipEvent.Kind.CLAIM, OwnershipEvent.Kind.ASSIGN, OwnershipEvent.Kind.REASSIGN}
_ENDS = {OwnershipEvent.Kind.RELEASE, OwnershipEvent.Kind.EXPIRE}


def owner_by_history(*, lead_id: int, at: datetime) -> tuple[int | None, OwnershipEvent | None]:
    """Who owned the lead at `at`, replaying its ownership history (its own records: a merge
    writes on the survivor the owner it kept or received), and the record that made them
    owner."""
    owner, basis = None, None
    events = OwnershipEvent.objects.filter(lead_id=lead_id, at__lte=at).order_by("at", "id")
    for event in events:
        if event.kind in _GIVES:
            owner, basis = event.to_owner_id, event
        elif event.kind in _ENDS:
            owner, basis = None, None
        elif event.kind == OwnershipEvent.Kind.MERGE and event.to_owner_id != owner:
            owner, basis = event.to_owner_id, (event if event.to_owner_id else None)
    return owner, basis


def in_force(deal_id: int) -> list[Credit]:
    """The deal's entries that stand: every win or correction entry no reversal points at."""
    reversed_ids = Credit.objects.filter(deal_id=deal_id, reverses__isnull=False).values(
        "reverses_id"
    )
    return list(
        Credit.objects.filter(deal_id=deal_id)
        .exclude(kind=Credit.Kind.REVERSAL)
        .exclude(pk__in=reversed_ids)
        .select_related("rep")
        .order_by("at", "id")
    )


def list_credits_visible_to(*, user: User) -> QuerySet[Credit]:
    """A rep sees their own entries; a manager those of their teams (and their pools' wins
    nobody owned); an admin all."""
    credits = Credit.objects.select_related("deal", "lead", "rep", "team")
    if user.is_admin:
        return credits
    condition = Q(rep=user)
    teams = access.managed_team_ids(user)
    if teams:
        condition |= Q(team_id__in=teams)
    return credits.filter(condition)


@dataclass(frozen=True)
class MonthTotal:
    month: date
    currency: str
    amount: Decimal
    deals: int


def results_by_month(
    *, rep: User, since: datetime | None = None, until: datetime | None = None
) -> list[MonthTotal]:
    """A rep's credited amounts per month of the win and per currency (amounts in different
    currencies are never added up), and how many deals they hold credit for there. Corrections
    count in the month of the win; a deal whose credit was moved away counts no more."""
    credits = Credit.objects.filter(rep=rep)
    if since is not None:
        credits = credits.filter(won_at__gte=since)
    if until is not None:
        credits = credits.filter(won_at__lt=until)
    per_deal = (
        credits.values("deal_id", "currency")
        .annotate(month=TruncMonth("won_at"), share=Sum("share"), amount=Sum("amount"))
        .order_by()
    )
    totals: dict[tuple[date, str], list] = {}
    for row in per_deal:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        total = totals.setdefault((month, row["currency"]), [Decimal(0), 0])
        total[0] += row["amount"]
        total[1] += row["share"] > 0
    return [
        MonthTotal(month=month, currency=currency, amount=amount, deals=deals)
        for (month, currency), (amount, deals) in sorted(
            totals.items(), key=lambda item: (-item[0][0].toordinal(), item[0][1])
        )
        if amount or deals
    ]


@dataclass(frozen=True)
class CreditedDeal:
    deal: Deal
    share: Decimal
    amount: Decimal


def list_credited_deals(*, rep: User, limit: int = 100) -> list[CreditedDeal]:
    """The deals a rep holds credit for now (net of corrections), latest win first."""
    rows = (
        Credit.objects.filter(rep=rep)
        .values("deal_id")
        .annotate(share=Sum("share"), amount=Sum("amount"))
        .filter(share__gt=0)
        .order_by()
    )
    totals = {row["deal_id"]: row for row in rows}
    deals = (
        Deal.objects.filter(pk__in=list(totals))
        .select_related("lead")
        .order_by("-closed_at", "-id")[:limit]
    )
    return [
        CreditedDeal(deal=d, share=totals[d.pk]["share"], amount=totals[d.pk]["amount"])
        for d in deals
    ]


def list_unsettled_deals(*, user: User) -> QuerySet[Deal]:
    """Won deals whose credit is still with nobody (the customer had no owner at the win),
    for the managers of the customer's pool and admins to settle."""
    unowned = Credit.objects.filter(deal=OuterRef("pk"), rep__isnull=True)
    deals = (
        Deal.objects.filter(status=Deal.Status.WON)
        .annotate(unowned_share=Sum("credits__share", filter=Q(credits__rep__isnull=True)))
        .filter(Exists(unowned), unowned_share__gt=0)
        .select_related("lead")
        .order_by("-closed_at")
    )
    if user.is_admin:
        return deals
    teams = access.managed_team_ids(user)
    return deals.filter(lead__pool_team_id__in=teams) if teams else deals.none()


def net_shares(credits: list[Credit]) -> dict[int | None, Decimal]:
    shares: dict[int | None, Decimal] = defaultdict(Decimal)
    for credit in credits:
        shares[credit.rep_id] += credit.share
    return dict(shares)
