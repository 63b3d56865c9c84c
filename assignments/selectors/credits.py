"""Reads of credit (业绩): who owned a customer at an instant by its ownership history, the
entries of the ledger in force, a rep's results, the wins nobody has been credited for."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from accounts.models import User
from leads.models import Deal

from .. import access
from ..models import Credit, OwnershipEvent

CENT = Decimal("0.01")
RESULTS_CACHE_SECONDS = 3600
# History records that make their `to_owner` the owner, and those that leave none.
_GIVES = {
    OwnershipEvent.Kind.CLAIM,
    OwnershipEvent.Kind.ASSIGN,
    OwnershipEvent.Kind.REASSIGN,
    OwnershipEvent.Kind.TRANSFER,
}
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
    count in the month of the win; a deal whose credit was moved away counts no more.

    The whole history (no `since`/`until`) is kept in the cache under the rep's latest entry:
    the ledger only grows, so any new entry of theirs (a win, a reversal, a correction) makes
    a new key, and what is read is never stale. It only speeds a page; no rule reads it."""
    if since is None and until is None:
        latest = Credit.objects.filter(rep=rep).aggregate(latest=Max("id"))["latest"]
        key = f"noclash:results-by-month:{rep.pk}:{latest}"
        totals = cache.get(key)
        if totals is None:
            totals = _results_by_month(rep=rep, since=None, until=None)
            cache.set(key, totals, RESULTS_CACHE_SECONDS)
        return totals
    return _results_by_month(rep=rep, since=since, until=until)


def _results_by_month(
    *, rep: User, since: datetime | None, until: datetime | None
) -> list[MonthTotal]:
    credits = Credit.objects.filter(rep=rep)
    if since is not None:
        credits = credits.filter(won_at__gte=since)
    if until is not None:
        credits = credits.filter(won_at__lt=until)
    per_deal = (
        credits.annotate(month=TruncMonth("won_at"))
        .values("month", "currency", "deal_id")
        .annotate(share=Sum("share"), amount=Sum("amount"))
        .order_by()
    )
    # Both levels in one statement: per deal (its net share), then per month and currency.
    # The inner query is Django's own for this database (month in TIME_ZONE).
    inner, params = per_deal.query.sql_with_params()
    # The inner SQL is Django's, every value a parameter.
    outer = "SELECT month, currency, SUM(amount), SUM(CASE WHEN share > 0 THEN 1 ELSE 0 END)"
    sql = f"{outer} FROM ({inner}) per_deal GROUP BY month, currency"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    totals = [
        MonthTotal(
            month=_day(month),
            currency=currency,
            amount=Decimal(str(amount)).quantize(CENT),
            deals=int(deals),
        )
        for month, currency, amount, deals in rows
        if amount or deals
    ]
    totals.sort(key=lambda t: (-t.month.toordinal(), t.currency))
    return totals


def _day(value) -> date:
    """A month as the database returns it: a datetime (PostgreSQL) or text (SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


@dataclass(frozen=True)
class CreditedDeal:
    deal: Deal
    share: Decimal
    amount: Decimal
    won_at: datetime


def list_credited_deals(
    *, rep: User, limit: int = 25, before: datetime | None = None
) -> list[CreditedDeal]:
    """The deals a rep holds credit for now (net of corrections), latest win first; `before`
    (a win time) pages to older ones. Sorted and cut in the database: a rep with a thousand
    wins costs the same as one with ten."""
    credits = Credit.objects.filter(rep=rep)
    if before is not None:
        credits = credits.filter(won_at__lt=before)
    rows = list(
        credits.values("won_at", "deal_id")
        .annotate(share=Sum("share"), amount=Sum("amount"))
        .filter(share__gt=0)
        .order_by("-won_at", "-deal_id")[:limit]
    )
    deals = Deal.objects.select_related("lead").in_bulk([row["deal_id"] for row in rows])
    return [
        CreditedDeal(
            deal=deals[row["deal_id"]],
            share=row["share"],
            amount=row["amount"],
            won_at=row["won_at"],
        )
        for row in rows
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
