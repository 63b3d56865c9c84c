"""Rulings under real concurrent transactions (threads released together by a barrier, each
on its own connection, on this run's database): a ruling racing a claim of the customer,
the owner's release, and another ruling. Each race runs several times, so both orders
happen; whatever the order, the customer has one owner, the history one record per change,
and the dispute one outcome."""

from collections import Counter

import pytest

from assignments import services
from assignments.exceptions import AlreadyOwned
from assignments.models import Dispute
from tests.assignments.test_concurrency import run_together
from tests.assignments.test_transfer_races import kinds, later, open_owner
from tests.conftest import expire_claim, make_user

pytestmark = pytest.mark.django_db(transaction=True)
ROUNDS = 6


@pytest.fixture
def dispute_on(rep, teammate, make_lead):
    """teammate owns a customer; rep collided with it (a refused claim: the collision log
    gives rep a link) and disputes it."""

    def _file():
        lead = make_lead(actor=teammate)
        with pytest.raises(AlreadyOwned):
            services.claim_lead(lead_id=lead.pk, actor=rep)
        return services.file_dispute(lead_id=lead.pk, actor=rep, statement="mine first")

    return _file


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_ruling_racing_a_claim(dispute_on, manager, rep, team, round_):
    """The owner's protection ran out: a colleague's claim and a transfer ruling meet on the
    lead's lock. The claim wins when it comes first (the ruling then finds another owner and
    closes the dispute as stale); a ruling never hands over a customer whose claim ended."""
    dispute = dispute_on()
    expire_claim(dispute.lead_id)
    colleague = make_user(f"colleague{round_}", team=team)

    ruled, claimed = run_together(
        [
            lambda: services.rule_dispute(
                dispute_id=dispute.pk, actor=manager, ruling="transfer", reason="r"
            ),
            later(round_, lambda: services.claim_lead(lead_id=dispute.lead_id, actor=colleague)),
        ]
    )

    assert ruled == ("refused", "dispute_stale"), ruled
    assert claimed[0] == "ok", claimed
    assert open_owner(dispute.lead_id) == colleague.pk
    assert kinds(dispute.lead_id) == ["assign", "expire", "claim"]
    assert Dispute.objects.get(pk=dispute.pk).status == "stale"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_a_ruling_racing_the_owners_release(dispute_on, manager, rep, teammate, round_):
    dispute = dispute_on()
    ruled, released = run_together(
        [
            lambda: services.rule_dispute(
                dispute_id=dispute.pk, actor=manager, ruling="transfer", reason="r"
            ),
            later(
                round_,
                lambda: services.release_lead(
                    lead_id=dispute.lead_id, actor=teammate, reason="bye"
                ),
            ),
        ]
    )
    status = Dispute.objects.get(pk=dispute.pk).status
    if ruled[0] == "ok":
        assert released[0] == "refused", released
        assert kinds(dispute.lead_id) == ["assign", "transfer"]
        assert open_owner(dispute.lead_id) == rep.pk
        assert status == "ruled"
    else:
        assert ruled == ("refused", "dispute_stale"), ruled
        assert released[0] == "ok"
        assert kinds(dispute.lead_id) == ["assign", "release"]
        assert open_owner(dispute.lead_id) is None
        assert status == "stale"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_rulings_at_once_one_stands(dispute_on, manager, admin_user, rep, teammate, round_):
    dispute = dispute_on()
    outcomes = run_together(
        [
            lambda: services.rule_dispute(
                dispute_id=dispute.pk, actor=manager, ruling="transfer", reason="a"
            ),
            later(
                round_,
                lambda: services.rule_dispute(
                    dispute_id=dispute.pk, actor=admin_user, ruling="keep", reason="b"
                ),
            ),
        ]
    )
    assert Counter(o[0] for o in outcomes) == Counter({"ok": 1, "refused": 1}), outcomes
    assert [o for o in outcomes if o[0] == "refused"][0][1] == "already_decided"
    ruled = Dispute.objects.get(pk=dispute.pk)
    assert ruled.status == "ruled"
    if ruled.ruling == "transfer":
        assert kinds(dispute.lead_id) == ["assign", "transfer"]
        assert open_owner(dispute.lead_id) == rep.pk
    else:
        assert kinds(dispute.lead_id) == ["assign"]
        assert open_owner(dispute.lead_id) == teammate.pk
