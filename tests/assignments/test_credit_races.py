"""Credit under real concurrent transactions (threads released together by a barrier, each
on its own connection): a win racing a recycle, a reassignment or a release credits exactly
the owner the ownership history shows at the win; two wins of one deal at once write one
credit. Each race runs several times, so both orders happen."""

from datetime import timedelta

import pytest

from assignments import services
from assignments.models import Credit, OwnershipEvent
from assignments.services.recycle import recycle_stale_claims
from leads.models import Deal, Lead
from tests.assignments.test_concurrency import run_together
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 6


def owner_in_history_at(lead_id, instant):
    """An independent replay of the ownership history (not the service's)."""
    owner = None
    for event in OwnershipEvent.objects.filter(lead_id=lead_id, at__lte=instant).order_by(
        "at", "id"
    ):
        if event.kind in ("claim", "assign", "reassign", "transfer"):
            owner = event.to_owner_id
        elif event.kind in ("release", "expire"):
            owner = None
    return owner


def assert_credit_follows_history(deal):
    credits = list(Credit.objects.filter(deal=deal))
    assert len(credits) == 1, credits
    credit = credits[0]
    assert credit.kind == "win" and credit.share == 100 and credit.amount == deal.amount
    assert credit.rep_id == owner_in_history_at(deal.lead_id, credit.won_at)
    if credit.rep_id is not None:
        assert credit.ownership_event.to_owner_id == credit.rep_id
    return credit


def open_deal(lead, actor):
    return services.create_deal(lead_id=lead.pk, actor=actor, title="Annual plan", amount=9000)


def test_a_win_racing_a_reassignment_credits_the_owner_of_that_instant(
    rep, teammate, manager, make_lead, set_policy
):
    set_policy(claim_limit=100)
    credited = set()
    for _ in range(ROUNDS):
        lead = make_lead(actor=rep)
        deal = open_deal(lead, rep)
        outcomes = run_together(
            [
                lambda deal=deal: services.win_deal(deal_id=deal.pk, actor=manager),
                lambda lead=lead: services.reassign_lead(
                    lead_id=lead.pk, actor=manager, to_user_id=teammate.pk, reason="rebalance"
                ),
            ]
        )
        assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
        credited.add(assert_credit_follows_history(deal).rep_id)
        assert Lead.objects.get(pk=lead.pk).status == Lead.Status.WON
    # Both orders are legal; whichever happened, the credit says so.
    assert credited <= {rep.pk, teammate.pk}


def test_a_win_racing_a_release_credits_the_owner_or_nobody(rep, manager, make_lead, set_policy):
    set_policy(claim_limit=100, cooldown=timedelta(0))
    for _ in range(ROUNDS):
        lead = make_lead(actor=rep)
        deal = open_deal(lead, rep)
        outcomes = run_together(
            [
                lambda deal=deal: services.win_deal(deal_id=deal.pk, actor=manager),
                lambda lead=lead: services.release_lead(
                    lead_id=lead.pk, actor=manager, reason="back to the pool"
                ),
            ]
        )
        assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
        credit = assert_credit_follows_history(deal)
        assert credit.rep_id in (rep.pk, None)


def test_a_win_racing_the_recycle_of_its_expired_claim(rep, manager, make_lead, set_policy):
    """The claim's protection has passed: whoever records the expiry first (the job or the
    win), it is recorded once, and the win credits nobody — as the history shows."""
    set_policy(claim_limit=100)
    for _ in range(ROUNDS):
        lead = make_lead(actor=rep)
        deal = open_deal(lead, rep)
        expire_claim(lead.pk)
        outcomes = run_together(
            [
                lambda deal=deal: services.win_deal(deal_id=deal.pk, actor=manager),
                lambda: recycle_stale_claims(),
            ]
        )
        assert outcomes[0][0] == "ok", outcomes
        assert OwnershipEvent.objects.filter(lead=lead, kind="expire").count() == 1
        assert assert_credit_follows_history(deal).rep_id is None


def test_a_win_just_before_its_protection_passes_is_not_recycled_afterwards(
    rep, manager, make_lead, set_policy
):
    """Won while still owned: the credit is the owner's and, once won, the customer is never
    recycled however long ago its protection ended."""
    set_policy(claim_limit=100)
    lead = make_lead(actor=rep)
    deal = open_deal(lead, rep)
    outcomes = run_together(
        [lambda: services.win_deal(deal_id=deal.pk, actor=rep), lambda: recycle_stale_claims()]
    )
    assert outcomes[0][0] == "ok", outcomes
    assert assert_credit_follows_history(deal).rep_id == rep.pk
    expire_claim(lead.pk, ago=timedelta(days=10))
    assert recycle_stale_claims() == 0
    assert not OwnershipEvent.objects.filter(lead=lead, kind="expire").exists()


def test_two_wins_of_one_deal_at_once_write_one_credit(rep, manager, make_lead):
    for _ in range(ROUNDS):
        lead = make_lead(actor=rep)
        deal = open_deal(lead, rep)
        outcomes = run_together(
            [
                lambda deal=deal: services.win_deal(deal_id=deal.pk, actor=rep),
                lambda deal=deal: services.win_deal(deal_id=deal.pk, actor=manager),
            ]
        )
        assert sorted(o[1] if o[0] == "refused" else "ok" for o in outcomes) == [
            "deal_closed",
            "ok",
        ], outcomes
        assert assert_credit_follows_history(deal).rep_id == rep.pk
        assert Deal.objects.get(pk=deal.pk).status == Deal.Status.WON
