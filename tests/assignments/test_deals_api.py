"""Deals (商机) through the API: created, edited, won and lost by the customer's owner, their
manager or an admin (for a customer nobody owns, a manager or admin of its pool). Winning one
marks the customer won, with the deal in its status history, and writes its credit; a won or
lost deal is history."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assignments.models import Credit, OwnershipEvent
from leads.models import Deal, Lead, StatusChange

pytestmark = pytest.mark.django_db


def deals_url(lead):
    return f"/api/v1/leads/{lead.pk}/deals/"


def open_deal(api, user, lead, **fields):
    payload = {"title": "Annual licence", "amount": "12000.50", **fields}
    response = api(user).post(deals_url(lead), payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def status_of(lead):
    return Lead.objects.get(pk=lead.pk).status


def test_the_stages_are_the_four_defaults_in_order(api, rep):
    english = api(rep).get("/api/v1/deal-stages/").json()["results"]
    chinese = api(rep).get("/api/v1/deal-stages/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]

    assert [s["probability"] for s in english] == [10, 25, 50, 75]
    assert [s["name"] for s in chinese] == ["初步接洽", "需求确认", "方案报价", "商务谈判"]
    assert [s["id"] for s in chinese] == [s["id"] for s in english]


def test_a_new_deal_defaults_to_cny_and_the_first_stage(api, rep, make_lead):
    lead = make_lead(actor=rep)
    first = api(rep).get("/api/v1/deal-stages/").json()["results"][0]

    deal = open_deal(api, rep, lead)

    assert deal["currency"] == "CNY"
    assert deal["stage"] == first
    assert deal["amount"] == "12000.50"
    assert (deal["status"], deal["closed_at"], deal["lead"]) == ("open", None, lead.pk)
    assert deal["created_by"]["id"] == rep.pk
    listed = api(rep).get(deals_url(lead)).json()["results"]
    assert [d["id"] for d in listed] == [deal["id"]]
    assert api(rep).get(f"/api/v1/deals/{deal['id']}/").json() == deal


def test_a_deal_with_every_field(api, rep, make_lead):
    lead = make_lead(actor=rep)
    stages = api(rep).get("/api/v1/deal-stages/").json()["results"]

    deal = open_deal(
        api,
        rep,
        lead,
        currency="usd",
        stage=stages[2]["id"],
        expected_close="2031-06-30",
        next_step="Send the quote",
    )

    assert deal["currency"] == "USD"
    assert deal["stage"]["probability"] == 50
    assert deal["expected_close"] == "2031-06-30"
    assert deal["next_step"] == "Send the quote"


@pytest.mark.parametrize(
    ("extra", "status", "code"),
    [
        ({"currency": "XYZ"}, 400, "invalid_currency"),
        ({"currency": "RMB"}, 400, "invalid_currency"),
        ({"stage": 987654}, 400, "invalid_stage"),
        ({"amount": "-1.00"}, 400, "invalid"),
        ({"title": "   "}, 400, "invalid"),
        ({"amount": "lots"}, 400, "invalid"),
    ],
)
def test_bad_deal_input_is_refused_and_creates_nothing(api, rep, make_lead, extra, status, code):
    lead = make_lead(actor=rep)
    payload = {"title": "Annual licence", "amount": "100.00", **extra}

    response = api(rep).post(deals_url(lead), payload, format="json")

    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Deal.objects.exists()


def test_an_open_deal_is_edited(api, rep, make_lead):
    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)
    stages = api(rep).get("/api/v1/deal-stages/").json()["results"]

    response = api(rep).patch(
        f"/api/v1/deals/{deal['id']}/",
        {"amount": "15000", "stage": stages[3]["id"], "next_step": "Sign"},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["amount"], body["stage"]["probability"], body["next_step"]) == (
        "15000.00",
        75,
        "Sign",
    )
    assert body["title"] == "Annual licence"  # untouched
    assert Deal.objects.get(pk=deal["id"]).amount == Decimal("15000")


def test_a_bad_edit_changes_nothing(api, rep, make_lead):
    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)

    for payload, code in (
        ({"currency": "XYZ", "amount": "1"}, "invalid_currency"),
        ({"stage": 987654, "amount": "1"}, "invalid_stage"),
        ({"amount": "-5"}, "invalid"),
    ):
        response = api(rep).patch(f"/api/v1/deals/{deal['id']}/", payload, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["code"] == code

    stored = Deal.objects.get(pk=deal["id"])
    assert (stored.amount, stored.currency) == (Decimal("12000.50"), "CNY")


def test_winning_a_deal_marks_the_customer_won_and_credits_the_owner(api, rep, make_lead):
    lead = make_lead(actor=rep)
    api(rep).post(f"/api/v1/leads/{lead.pk}/status/", {"status": "qualified"}, format="json")
    deal = open_deal(api, rep, lead)

    before = timezone.now()
    response = api(rep).post(
        f"/api/v1/deals/{deal['id']}/win/", {"reason": "Signed today"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["close_reason"]) == ("won", "Signed today")
    assert body["closed_at"]
    assert status_of(lead) == "won"
    change = StatusChange.objects.filter(lead=lead).latest("id")
    assert (change.from_status, change.to_status, change.deal_id, change.actor) == (
        "qualified",
        "won",
        deal["id"],
        rep,
    )
    history = api(rep).get(f"/api/v1/leads/{lead.pk}/status/").json()["results"]
    assert history[-1]["deal"] == deal["id"]
    credit = Credit.objects.get(deal_id=deal["id"])
    assert (credit.kind, credit.rep, credit.share, credit.amount, credit.currency) == (
        "win",
        rep,
        Decimal("100"),
        Decimal("12000.50"),
        "CNY",
    )
    assert credit.won_at >= before
    # The owner keeps the customer.
    assert api(rep).get(f"/api/v1/leads/{lead.pk}/").json()["owner"]["id"] == rep.pk


def test_a_won_deal_is_history(api, rep, manager, make_lead):
    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)
    api(rep).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")
    won = Deal.objects.get(pk=deal["id"])

    twice = api(manager).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")
    edit = api(rep).patch(f"/api/v1/deals/{deal['id']}/", {"amount": "1"}, format="json")
    lose = api(rep).post(f"/api/v1/deals/{deal['id']}/lose/", {"reason": "oops"}, format="json")

    for response in (twice, edit, lose):
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "deal_closed"
    again = Deal.objects.get(pk=deal["id"])
    assert (again.status, again.amount, again.closed_at) == ("won", won.amount, won.closed_at)
    assert Credit.objects.filter(deal_id=deal["id"]).count() == 1
    assert StatusChange.objects.filter(lead=lead, to_status="won").count() == 1


def test_losing_a_deal_needs_a_reason_and_leaves_the_customer_open(api, rep, make_lead):
    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)
    url = f"/api/v1/deals/{deal['id']}/lose/"

    for payload in ({}, {"reason": ""}, {"reason": "   "}):
        refused = api(rep).post(url, payload, format="json")
        assert refused.status_code == 400, refused.content
        assert refused.json()["code"] == "reason_required"
        assert Deal.objects.get(pk=deal["id"]).status == "open"

    lost = api(rep).post(url, {"reason": "Chose a competitor"}, format="json")
    assert lost.status_code == 200, lost.content
    assert (lost.json()["status"], lost.json()["close_reason"]) == ("lost", "Chose a competitor")
    assert lost.json()["closed_at"]
    assert status_of(lead) == "new"
    assert not Credit.objects.exists()
    assert not StatusChange.objects.exists()

    win = api(rep).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")
    assert win.status_code == 409
    assert win.json()["code"] == "deal_closed"
    assert status_of(lead) == "new"


def test_a_second_won_deal_is_credited_without_a_second_status_change(api, rep, make_lead):
    lead = make_lead(actor=rep)
    first = open_deal(api, rep, lead, title="Pilot", amount="1000")
    second = open_deal(api, rep, lead, title="Roll-out", amount="9000")
    api(rep).post(f"/api/v1/deals/{first['id']}/win/", {}, format="json")

    response = api(rep).post(f"/api/v1/deals/{second['id']}/win/", {}, format="json")

    assert response.status_code == 200, response.content
    assert StatusChange.objects.filter(lead=lead).count() == 1
    assert StatusChange.objects.get(lead=lead).deal_id == first["id"]
    assert sorted(Credit.objects.filter(rep=rep).values_list("amount", flat=True)) == [
        Decimal("1000"),
        Decimal("9000"),
    ]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_owners_manager_and_an_admin_work_the_deals(
    api, rep, manager, admin_user, make_lead, who
):
    actor = {"manager": manager, "admin": admin_user}[who]
    lead = make_lead(actor=rep)

    deal = open_deal(api, actor, lead)
    won = api(actor).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")

    assert won.status_code == 200, won.content
    # The credit follows ownership, not whoever pressed the button.
    assert Credit.objects.get(deal_id=deal["id"]).rep == rep


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager"])
def test_people_who_cannot_see_the_customer_get_404_and_change_nothing(
    api, rep, teammate, outsider, other_manager, make_lead, who
):
    user = {"teammate": teammate, "outsider": outsider, "other_manager": other_manager}[who]
    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)
    client = api(user)

    responses = [
        client.get(deals_url(lead)),
        client.post(deals_url(lead), {"title": "Mine now", "amount": "1"}, format="json"),
        client.get(f"/api/v1/deals/{deal['id']}/"),
        client.patch(f"/api/v1/deals/{deal['id']}/", {"amount": "1"}, format="json"),
        client.post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json"),
        client.post(f"/api/v1/deals/{deal['id']}/lose/", {"reason": "x"}, format="json"),
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert {r.json()["code"] for r in responses} == {"not_found"}
    assert list(Deal.objects.values_list("id", "status", "amount")) == [
        (deal["id"], "open", Decimal("12000.50"))
    ]
    assert status_of(lead) == "new"
    assert not Credit.objects.exists()


def test_an_unknown_deal_is_404(api, admin_user):
    for response in (
        api(admin_user).get("/api/v1/deals/987654/"),
        api(admin_user).post("/api/v1/deals/987654/win/", {}, format="json"),
        api(admin_user).post("/api/v1/deals/987654/lose/", {"reason": "x"}, format="json"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_a_rep_on_a_pool_lead_gets_not_owned(api, rep, manager, team, make_lead):
    lead = make_lead(pool_team_id=team.pk)
    deal = open_deal(api, manager, lead)

    added = api(rep).post(deals_url(lead), {"title": "Mine", "amount": "5"}, format="json")
    won = api(rep).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")
    edited = api(rep).patch(f"/api/v1/deals/{deal['id']}/", {"amount": "5"}, format="json")

    for response in (added, won, edited):
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "not_owned"
    assert Deal.objects.count() == 1
    assert Deal.objects.get().status == "open"
    assert Deal.objects.get().amount == Decimal("12000.50")
    assert status_of(lead) == "new"


def test_a_pool_manager_wins_a_pool_deal_and_it_credits_nobody(
    api, manager, other_manager, team, make_lead
):
    lead = make_lead(pool_team_id=team.pk)
    refused = api(other_manager).post(deals_url(lead), {"title": "X", "amount": "1"}, format="json")
    assert refused.status_code == 404
    assert not Deal.objects.exists()

    deal = open_deal(api, manager, lead, amount="800")
    won = api(manager).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")

    assert won.status_code == 200, won.content
    assert status_of(lead) == "won"
    credit = Credit.objects.get(deal_id=deal["id"])
    assert (credit.rep, credit.team, credit.share, credit.amount) == (
        None,
        team,
        Decimal("100"),
        Decimal("800"),
    )
    assert credit.ownership_event is None
    assert not OwnershipEvent.objects.filter(lead=lead).exists()  # winning claims nothing


def test_a_rep_whose_claim_lapsed_can_no_longer_win_its_deal(api, rep, make_lead):
    from tests.conftest import expire_claim

    lead = make_lead(actor=rep)
    deal = open_deal(api, rep, lead)
    expire_claim(lead.pk)

    response = api(rep).post(f"/api/v1/deals/{deal['id']}/win/", {}, format="json")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "not_owned"
    assert Deal.objects.get(pk=deal["id"]).status == "open"
    assert status_of(lead) == "new"
    assert not Credit.objects.exists()
