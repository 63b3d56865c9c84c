"""Two reps create the same new customer at the same instant: one lead, the other is told
who has it. Real concurrent transactions (threads, a barrier, each on its own connection)."""

import pytest

from assignments import services
from assignments.models import Ownership
from leads.models import Lead
from tests.assignments.test_concurrency import codes, run_together
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reps_create_the_same_customer_at_once(rep, outsider):
    def create(actor, phone, name):
        return services.create_lead(
            actor=actor,
            company_name=name,
            city="杭州",
            contacts=[{"name": "陈静", "phone": phone}],
        )

    outcomes = run_together(
        [
            lambda: create(rep, "13588886666", "杭州云帆网络科技有限公司"),
            lambda: create(outsider, "+86 135 8888 6666", "云帆网络科技（杭州）有限公司"),
        ]
    )
    assert codes(outcomes) == {"ok": 1, "duplicate_owned": 1}, outcomes
    assert Lead.objects.count() == 1
    winner = next(o[1] for o in outcomes if o[0] == "ok")
    assert Ownership.objects.get(lead=winner).owner_id == winner.created_by_id


def test_many_reps_racing_with_different_evidence_still_make_one_lead(team, manager):
    """Each rep knows the customer by something else (name in the city, phone, e-mail,
    website): whichever commits first, everyone after it collides."""
    reps = [make_user(f"rush{i}", team=team) for i in range(8)]
    variants = [
        {"company_name": "宁波海星贸易有限公司", "city": "宁波"},
        {"company_name": "海星贸易（宁波）", "city": "宁波市"},
        {"company_name": "Haixing", "contacts": [{"name": "a", "phone": "0574-8765 4321"}]},
        {"company_name": "宁波海星", "contacts": [{"name": "b", "email": "sales@haixing-nb.com"}]},
    ]
    shared = {
        "contacts": [
            {"name": "c", "phone": "0574 87654321", "email": "Sales@Haixing-NB.com"},
        ],
        "website": "www.haixing-nb.com",
    }
    first = {**variants[0], **shared}
    calls = [
        lambda r=reps[0]: services.create_lead(actor=r, **first),
        *[
            lambda r=r, v=v: services.create_lead(actor=r, **{**shared, **v})
            for r, v in zip(reps[1:4], variants[1:], strict=True)
        ],
        *[lambda r=r: services.create_lead(actor=r, **first) for r in reps[4:]],
    ]
    outcomes = run_together(calls)
    assert codes(outcomes) == {"ok": 1, "duplicate_owned": len(calls) - 1}, outcomes
    assert Lead.objects.count() == 1
