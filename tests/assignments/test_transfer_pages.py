"""The pages of transfer requests: the manager's inbox (待审批) with its count in the
navigation, deciding there, My requests (我的申请) with withdrawing, and asking from the pool
row that refused a claim (which keeps the company's name)."""

import pytest

from assignments.models import Ownership, TransferRequest
from assignments.services import claim_lead, request_transfer
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(rep, teammate, make_lead):
    lead = make_lead(actor=teammate, company_name="Bright Lamp Co")
    return request_transfer(lead_id=lead.pk, actor=rep, reason="I met their CEO")


def owner_of(lead_id):
    return Ownership.objects.get(lead_id=lead_id, ended_at__isnull=True).owner_id


def test_the_inbox_is_for_managers_and_admins(client, asked, rep, manager, admin_user):
    client.force_login(rep)
    assert client.get("/leads/transfers/").status_code == 403
    assert b'/leads/transfers/"' not in client.get("/").content
    for user in (manager, admin_user):
        client.force_login(user)
        html = client.get("/leads/transfers/").content.decode()
        assert "Bright Lamp Co" in html and "I met their CEO" in html
        assert 'data-testid="nav-count">1<' in html


def test_another_teams_manager_sees_nothing_to_decide(client, asked, other_manager):
    client.force_login(other_manager)
    html = client.get("/leads/transfers/").content.decode()
    assert "Bright Lamp Co" not in html and 'data-testid="nav-count"' not in html
    response = client.post(f"/leads/transfers/{asked.pk}/approve/")
    assert response.status_code == 404
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"


def test_approve_in_the_inbox(client, asked, rep, manager):
    client.force_login(manager)
    response = client.post(
        f"/leads/transfers/{asked.pk}/approve/", {"reason": "Go ahead"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/leads/transfers/"
    assert "Approved: the customer now belongs to the requester." in response.content.decode()
    assert owner_of(asked.lead_id) == rep.pk
    html = client.get("/leads/transfers/?status=approved").content.decode()
    assert "Bright Lamp Co" in html and "Go ahead" in html


def test_a_refusal_is_a_message_and_changes_nothing(client, asked, manager, set_policy, rep):
    set_policy(claim_limit=0)
    client.force_login(manager)
    page = client.get("/leads/transfers/").content.decode()
    assert 'data-testid="requester-load"' in page and "holds 0 of 0" in page

    response = client.post(f"/leads/transfers/{asked.pk}/approve/", {}, follow=True)
    assert "Claim limit reached" in response.content.decode()
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"

    missing = client.post(f"/leads/transfers/{asked.pk}/reject/", {"reason": ""}, follow=True)
    assert "Please give a reason." in missing.content.decode()
    assert TransferRequest.objects.get(pk=asked.pk).status == "pending"

    client.post(f"/leads/transfers/{asked.pk}/approve/", {"override_limit": "on"})
    assert owner_of(asked.lead_id) == rep.pk


def test_reject_then_the_rep_reads_the_outcome(client, asked, rep, manager):
    client.force_login(manager)
    client.post(f"/leads/transfers/{asked.pk}/reject/", {"reason": "Bob closes it this week"})
    client.force_login(rep)
    html = client.get("/leads/transfers/mine/").content.decode()
    assert 'data-status="rejected"' in html and "Bob closes it this week" in html
    notes = client.get("/notifications/").content.decode()
    assert 'href="/leads/transfers/mine/"' in notes
    assert "Manny rejected the request of Alice Rep for Bright Lamp Co." in notes


def test_the_rep_withdraws_from_my_requests(client, asked, rep, teammate):
    client.force_login(teammate)
    assert client.post(f"/leads/transfers/{asked.pk}/withdraw/").status_code == 404
    client.force_login(rep)
    assert 'href="/leads/transfers/mine/"' in client.get("/leads/mine/").content.decode()
    response = client.post(f"/leads/transfers/{asked.pk}/withdraw/", follow=True)
    assert "Request withdrawn." in response.content.decode()
    assert TransferRequest.objects.get(pk=asked.pk).status == "withdrawn"
    assert 'data-testid="withdraw"' not in response.content.decode()


def test_the_refused_pool_row_keeps_the_name_and_offers_to_ask(
    client, rep, outsider, manager, make_lead
):
    lead = make_lead(company_name="Taken Seconds Ago Ltd")
    claim_lead(lead_id=lead.pk, actor=outsider)
    client.force_login(rep)

    html = client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true").content.decode()

    assert 'data-code="already_owned"' in html
    assert "Taken Seconds Ago Ltd" in html and "Charlie Rep" in html
    assert f'action="/leads/{lead.pk}/request-transfer/"' in html
    response = client.post(
        f"/leads/{lead.pk}/request-transfer/", {"reason": "Called them first"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/leads/transfers/mine/"
    request = TransferRequest.objects.get(lead=lead)
    assert (request.requester, request.owner, request.reason) == (
        rep,
        outsider,
        "Called them first",
    )


def test_a_refusal_that_is_not_about_an_owner_offers_nothing(client, admin_user, make_lead):
    lead = make_lead()
    client.force_login(admin_user)
    html = client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-code="cannot_claim"' in html and "request-transfer" not in html


def test_the_inbox_in_chinese(client, asked, manager):
    client.force_login(manager)
    client.post("/language/", {"language": "zh-hans"})
    html = client.get("/leads/transfers/").content.decode()
    assert "待审批" in html and "转移申请" in html and "批准" in html and "驳回" in html


def test_nothing_to_decide(client, manager):
    make_user("dora", team=manager.team)
    client.force_login(manager)
    html = client.get("/leads/transfers/").content.decode()
    assert "Nothing to decide." in html
