"""A small history with fixed timestamps for the dashboard's statistics (经理看板), written
record by record so that every figure in tests/assignments/test_stats*.py can be counted by
hand from this file. Times are local (Asia/Shanghai, UTC+8): a record at 23:30 on a Sunday
belongs to that week, one at 00:30 on the Monday after to the next week, whatever UTC says.

People: East (manager manny; reps alice, bob), South (manager olga; rep charlie), an admin.
The range the tests ask for: 2026-03-02 (Monday) to 2026-03-22 (Sunday), three weeks:
W1 = 03-02, W2 = 03-09, W3 = 03-16. Credits are read over 2026-02-16 .. 2026-04-12.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Team, User
from assignments.models import (
    Collision,
    Credit,
    Dispute,
    Ownership,
    OwnershipEvent,
    TransferRequest,
)
from leads.models import Deal, DealStage, FollowUp, Lead, StatusChange

SHANGHAI = ZoneInfo("Asia/Shanghai")
RANGE = {"from": "2026-03-02", "to": "2026-03-22"}
CREDIT_RANGE = {"from": "2026-02-16", "to": "2026-04-12"}


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class StatsWorld:
    east: Team
    south: Team
    manny: User
    olga: User
    alice: User
    bob: User
    charlie: User
    admin: User
    leads: dict


def build(*, team, other_team, manager, other_manager, rep, teammate, outsider, admin_user):
    alice, bob, charlie, manny, olga = rep, teammate, outsider, manager, other_manager
    leads: dict[str, Lead] = {}

    def lead(name: str, *, created_at=None, created_by=None) -> Lead:
        fields = {"company_name": name, "created_by": created_by}
        if created_at is not None:
            fields["created_at"] = created_at
        leads[name] = Lead.objects.create(**fields)
        return leads[name]

    # --- the collision log -----------------------------------------------------------------
    target = lead("Collided Co")
    for user, code, owner, when, confirmed in [
        (alice, "already_owned", charlie, at(3, 3), False),  # W1
        (alice, "duplicate_owned", bob, at(3, 8, 23, 30), False),  # W1 (Sunday night)
        (charlie, "already_owned", None, at(3, 9, 0, 30), False),  # W2 (Monday, 00:30)
        (bob, "possible_duplicate", None, at(3, 10), True),  # confirmed: not blocked
        (bob, "duplicate_in_pool", None, at(3, 17), False),  # W3
        (charlie, "duplicate_own", charlie, at(3, 23, 0, 0), False),  # after the range
        (alice, "already_owned", charlie, at(3, 1, 23, 0), False),  # before the range
    ]:
        Collision.objects.create(
            user=user, lead=target, owner=owner, code=code, confirmed=confirmed, at=when
        )

    # --- transfer requests and disputes ----------------------------------------------------
    def request(name, requester, owner, created, status="pending", decided=None):
        TransferRequest.objects.create(
            lead=lead(name),
            requester=requester,
            owner=owner,
            status=status,
            created_at=created,
            decided_at=decided,
        )

    request("T1", alice, charlie, at(3, 2, 9), "approved", at(3, 2, 21))  # W1, 12 h
    request("T2", bob, charlie, at(3, 3), "rejected", at(3, 5))  # W1, 48 h
    request("T3", charlie, alice, at(3, 10), "approved", at(3, 10, 16))  # W2, 6 h
    request("T4", alice, bob, at(3, 16, 8))  # W3, waiting
    request("T5", charlie, olga, at(2, 20))  # before the range, waiting (South only)
    request("T6", bob, charlie, at(3, 11), "withdrawn", at(3, 12))  # W2, no decision
    Dispute.objects.create(
        lead=lead("D1"),
        claimant=alice,
        owner=charlie,
        statement="Mine first",
        status="ruled",
        ruling="keep",
        filed_at=at(3, 4),
        ruled_at=at(3, 6),  # 48 h
    )
    Dispute.objects.create(
        lead=lead("D2"), claimant=charlie, owner=bob, statement="Mine", filed_at=at(3, 18)
    )

    # --- the ownership history -------------------------------------------------------------
    def event(kind, when, *, from_owner=None, to_owner=None):
        OwnershipEvent.objects.create(
            lead=target, kind=kind, from_owner=from_owner, to_owner=to_owner, at=when
        )

    event("claim", at(3, 2), to_owner=alice)  # E1 W1
    event("claim", at(3, 3), to_owner=alice)  # E2 W1
    event("release", at(3, 4), from_owner=alice)  # E3 W1
    event("expire", at(3, 9, 0, 30), from_owner=bob)  # E4 W2
    event("claim", at(3, 10), to_owner=bob)  # E5 W2
    event("claim", at(3, 17), to_owner=charlie)  # E6 W3
    event("reassign", at(3, 11), from_owner=alice, to_owner=bob)  # rep to rep: no pool
    event("reassign", at(3, 12), to_owner=charlie)  # E8 W2: out of the pool by a manager
    event("assign", at(3, 5), to_owner=bob)  # a new customer: never in the pool
    event("expire", at(3, 18), from_owner=charlie)  # E10 W3
    event("claim", at(3, 23, 0, 0), to_owner=alice)  # after the range
    event("route", at(3, 5))  # routed to a pool: no owner moved
    event("reassign", at(3, 19), from_owner=bob)  # E13 W3: into the pool by a manager

    # --- follow-ups --------------------------------------------------------------------------
    for author, when in [
        (alice, at(3, 2, 11)),  # W1
        (alice, at(3, 8, 23, 30)),  # W1
        (bob, at(3, 9, 0, 30)),  # W2
        (charlie, at(3, 20)),  # W3
        (alice, at(3, 25)),  # after the range
    ]:
        FollowUp.objects.create(lead=target, author=author, kind="call", note="…", occurred_at=when)

    # --- the funnel --------------------------------------------------------------------------
    a = lead("A", created_at=at(3, 2), created_by=alice)
    b = lead("B", created_at=at(3, 9, 0, 30), created_by=bob)
    c = lead("C", created_at=at(3, 15), created_by=charlie)
    lead("D", created_at=at(3, 20), created_by=admin_user)
    lead("X", created_at=at(3, 1, 23, 0), created_by=alice)  # before the range
    e = lead("E")
    f = lead("F")
    for record, old, new, actor, when in [
        (a, "new", "contacted", alice, at(3, 3)),
        (a, "contacted", "qualified", alice, at(3, 5)),
        (b, "new", "qualified", bob, at(3, 10)),  # skips contacted
        (c, "new", "contacted", charlie, at(3, 16)),
        (c, "contacted", "won", charlie, at(3, 18)),
        (e, "new", "contacted", alice, at(3, 1)),  # before the range
        (e, "contacted", "qualified", bob, at(2, 28)),  # before the range
        (e, "qualified", "contacted", bob, at(3, 12)),  # back a step, in the range
        (f, "new", "lost", alice, at(3, 6)),  # not a funnel stage
    ]:
        StatusChange.objects.create(
            lead=record, from_status=old, to_status=new, actor=actor, at=when
        )

    # --- credits -----------------------------------------------------------------------------
    stage = DealStage.objects.first() or DealStage.objects.create(name_en="Won", name_zh="赢单")

    def deal(name: str) -> Deal:
        return Deal.objects.create(
            lead=target,
            title=name,
            amount=Decimal("1"),
            stage=stage,
            created_by=admin_user,
            status="won",
            closed_at=at(3, 1),
        )

    def credit(the_deal, rep_, team_, amount, currency, kind, won_at, share="100", **extra):
        return Credit.objects.create(
            **extra,
            deal=the_deal,
            lead=target,
            rep=rep_,
            team=team_,
            share=Decimal(share),
            amount=Decimal(amount),
            currency=currency,
            kind=kind,
            won_at=won_at,
        )

    credit(deal("C1"), alice, team, "1000.00", "CNY", "win", at(2, 20))
    credit(deal("C2"), alice, team, "500.00", "CNY", "win", at(3, 5))
    c3 = deal("C3")
    march_end = at(3, 31, 23, 30)  # March in Shanghai
    win = credit(c3, bob, team, "2000.00", "CNY", "win", march_end)
    credit(c3, bob, team, "-2000.00", "CNY", "reversal", march_end, "-100", reverses=win)
    credit(c3, alice, team, "1000.00", "CNY", "correction", march_end, "50")
    credit(c3, bob, team, "1000.00", "CNY", "correction", march_end, "50")
    # April in Shanghai (still March 31st in UTC).
    credit(deal("C6"), charlie, other_team, "300.00", "USD", "win", at(4, 1, 0, 30))
    credit(deal("C7"), None, None, "800.00", "CNY", "win", at(4, 10))  # nobody owned it
    credit(deal("C8"), alice, team, "999.00", "CNY", "win", at(4, 13))  # after the range

    return StatsWorld(
        east=team,
        south=other_team,
        manny=manny,
        olga=olga,
        alice=alice,
        bob=bob,
        charlie=charlie,
        admin=admin_user,
        leads=leads,
    )


def open_claims(world: StatsWorld) -> dict[str, Ownership]:
    """Open claims around now, for "expiring in the next 48 hours"."""
    now = timezone.now()
    claims = {}
    for name, owner, until, won in [
        ("P1", world.alice, timedelta(hours=2), False),  # expiring
        ("P2", world.bob, timedelta(hours=47), False),  # expiring
        ("P3", world.alice, timedelta(hours=49), False),  # later
        ("P4", world.charlie, timedelta(hours=10), True),  # won: never expires
        ("P5", world.bob, -timedelta(hours=1), False),  # already past: expired
        ("P6", world.charlie, timedelta(hours=30), False),  # expiring
    ]:
        record = Lead.objects.create(company_name=name, status="won" if won else "new")
        claims[name] = Ownership.objects.create(
            lead=record,
            owner=owner,
            started_at=now - timedelta(days=3),
            protected_until=now + until,
        )
    return claims
