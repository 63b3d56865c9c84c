"""Transfer decisions under real concurrent transactions (threads released together by a
barrier, each on its own connection, on this run's database): an approval racing the
recycling job, the owner's release or another decision. Each race runs several times, so
both orders happen; whatever the order, the customer has one owner, the history one record
per change, and the request one outcome."""

import time
from collections import Counter

import pytest

from assignments import services
from assignments.models import Ownership, OwnershipEvent, TransferRequest
from assignments.services.recycle import recycle_stale_claims
from tests.assignments.test_concurrency import codes, run_together
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 6


def later(round_, call):
    """In odd rounds `call` starts a moment after the barrier: the approval does more before
    it reaches the locks, so without this it would lose nearly every race."""

    def run():
        if round_ % 2:
            time.sleep(0.03)
        return call()

    return run


def kinds(lead_id):
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


def open_owner(lead_id):
    periods = list(Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True))
    assert len(periods) <= 1
    return periods[0].owner_id if periods else None


@pytest.fixture
def ask(rep, teammate, make_lead):
    def _ask():
        lead = make_lead(actor=teammate)
        return services.request_transfer(lead_id=lead.pk, actor=rep, reason="please")

    return _ask


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approval_racing_the_recycling_job(ask, manager, rep, round_):
    """The owner's protection has run out: whoever records it first, the expiry is recorded
    once, the request is closed as stale and nothing is transferred."""
    request = ask()
    expire_claim(request.lead_id)

    approve, recycled = run_together(
        [
            lambda: services.approve_transfer(request_id=request.pk, actor=manager),
            later(round_, recycle_stale_claims),
        ]
    )

    assert approve == ("refused", "request_stale"), approve
    assert recycled[0] == "ok" and recycled[1] in (0, 1)
    assert kinds(request.lead_id) == ["assign", "expire"]
    assert open_owner(request.lead_id) is None
    assert TransferRequest.objects.get(pk=request.pk).status == "stale"
    assert rep.notifications.filter(kind="transfer_decided").count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approval_racing_the_owners_release(ask, manager, rep, teammate, round_):
    request = ask()
    approve, release = run_together(
        [
            lambda: services.approve_transfer(request_id=request.pk, actor=manager),
            later(
                round_,
                lambda: services.release_lead(
                    lead_id=request.lead_id, actor=teammate, reason="bye"
                ),
            ),
        ]
    )
    status = TransferRequest.objects.get(pk=request.pk).status
    if approve[0] == "ok":
        # The approval came first: the former owner can no longer release it.
        assert release[0] == "refused" and release[1] in ("not_found", "permission_denied")
        assert kinds(request.lead_id) == ["assign", "transfer"]
        assert open_owner(request.lead_id) == rep.pk
        assert status == "approved"
    else:
        assert approve == ("refused", "request_stale"), approve
        assert release == ("ok", None)
        assert kinds(request.lead_id) == ["assign", "release"]
        assert open_owner(request.lead_id) is None
        assert status == "stale"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_deciders_at_once_one_decision_stands(ask, manager, admin_user, rep, round_):
    request = ask()
    outcomes = run_together(
        [
            lambda: services.approve_transfer(request_id=request.pk, actor=manager),
            later(
                round_,
                lambda: services.reject_transfer(
                    request_id=request.pk, actor=admin_user, reason="no"
                ),
            ),
        ]
    )
    assert codes(outcomes) == Counter({"ok": 1, "already_decided": 1}), outcomes
    final = TransferRequest.objects.get(pk=request.pk)
    transfers = kinds(request.lead_id).count("transfer")
    if outcomes[0][0] == "ok":
        assert (final.status, final.decided_by_id, transfers) == ("approved", manager.pk, 1)
        assert open_owner(request.lead_id) == rep.pk
    else:
        assert (final.status, final.decided_by_id, transfers) == ("rejected", admin_user.pk, 0)
        assert open_owner(request.lead_id) != rep.pk
    assert rep.notifications.filter(kind="transfer_decided").count() == 1


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_approvals_at_once_transfer_once(ask, manager, admin_user, rep, round_):
    request = ask()
    outcomes = run_together(
        [
            lambda: services.approve_transfer(request_id=request.pk, actor=manager),
            lambda: services.approve_transfer(request_id=request.pk, actor=admin_user),
        ]
    )
    assert codes(outcomes) == Counter({"ok": 1, "already_decided": 1}), outcomes
    assert kinds(request.lead_id) == ["assign", "transfer"]
    assert open_owner(request.lead_id) == rep.pk


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_approval_racing_the_requesters_withdrawal(ask, manager, rep, teammate, round_):
    request = ask()
    approve, withdraw = run_together(
        [
            lambda: services.approve_transfer(request_id=request.pk, actor=manager),
            later(round_, lambda: services.withdraw_transfer(request_id=request.pk, actor=rep)),
        ]
    )
    assert codes([approve, withdraw]) == Counter({"ok": 1, "already_decided": 1})
    final = TransferRequest.objects.get(pk=request.pk).status
    expected_owner = rep.pk if final == "approved" else teammate.pk
    assert open_owner(request.lead_id) == expected_owner
