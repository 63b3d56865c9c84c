"""Asking for another rep's customer (转移申请) reveals nothing the caller may not see: it is
allowed for a lead the caller can see, or for one the server itself matches as a strong
duplicate of what the caller tried to create. Anything else is a 404 and notifies nobody."""

import pytest

from accounts.models import Notification
from assignments.models import TransferRequest

pytestmark = pytest.mark.django_db

PHONE = "13966660000"


def ask(api, user, lead_id, **body):
    return api(user).post(f"/api/v1/leads/{lead_id}/transfer-requests/", body, format="json")


def assert_nothing_happened():
    assert not TransferRequest.objects.exists()
    assert not Notification.objects.filter(kind="transfer_requested").exists()


def test_asking_for_a_customer_you_cannot_see_is_404(api, rep, outsider, make_lead):
    foreign = make_lead(actor=outsider, company_name="Hidden Gem Ltd")

    response = ask(api, rep, foreign.pk, reason="I know them")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": response.json()["detail"]}
    assert "Hidden Gem" not in response.content.decode()
    assert_nothing_happened()


def test_another_teams_pool_is_404_not_lead_in_pool(api, rep, other_team, make_lead):
    other_pool = make_lead(pool_team_id=other_team.pk)
    response = ask(api, rep, other_pool.pk)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert_nothing_happened()


def test_a_missing_lead_is_404(api, rep):
    response = ask(api, rep, 987654)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_the_servers_own_strong_match_allows_the_request(
    api, rep, outsider, other_manager, make_lead
):
    foreign = make_lead(
        actor=outsider, company_name="Granite Works Ltd", contacts=[{"name": "Yu", "phone": PHONE}]
    )

    response = ask(
        api,
        rep,
        foreign.pk,
        reason="Met them at the fair",
        attempted={"company_name": "Granite Works", "phone": "+86 139 6666 0000"},
    )

    assert response.status_code == 201, response.content
    request = TransferRequest.objects.get()
    assert (request.lead_id, request.requester, request.owner) == (foreign.pk, rep, outsider)
    assert request.attempted == {"company_name": "Granite Works", "phone": "+86 139 6666 0000"}
    assert other_manager.notifications.filter(kind="transfer_requested").count() == 1


def test_an_attempt_that_does_not_match_is_404(api, rep, outsider, make_lead):
    foreign = make_lead(actor=outsider, company_name="Granite Works Ltd")
    make_lead(actor=rep, company_name="Something Else", contacts=[{"name": "Q", "phone": PHONE}])
    response = ask(api, rep, foreign.pk, attempted={"company_name": "Marble Halls", "phone": PHONE})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert_nothing_happened()


def test_a_weak_match_is_not_enough(api, rep, outsider, make_lead):
    foreign = make_lead(actor=outsider, company_name="Granite Works Ltd", city="Shanghai")
    # One letter apart, no shared number: a possible duplicate at most.
    response = ask(api, rep, foreign.pk, attempted={"company_name": "Granita Works"})
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert_nothing_happened()


@pytest.mark.parametrize(
    "attempted",
    [
        {"company_name": "Null\x00Byte Ltd"},
        {"company_name": "x" * 2_000_000},
        {"company_name": "Fine", "notes": "y" * 2_000_000},
        ["not", "an", "object"],
        {"company_name": {"nested": "object"}},
    ],
    ids=["nul-byte", "two-megabytes", "unknown-field", "not-an-object", "nested"],
)
def test_attempted_is_validated_and_bounded(api, rep, outsider, make_lead, attempted):
    foreign = make_lead(actor=outsider)
    response = ask(api, rep, foreign.pk, attempted=attempted)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == "invalid"
    assert "attempted" in response.json()["errors"]
    assert_nothing_happened()


def test_a_nul_byte_in_the_reason_is_a_400(api, rep, outsider, make_lead):
    foreign = make_lead(actor=outsider, contacts=[{"name": "Yu", "phone": PHONE}])
    response = ask(api, rep, foreign.pk, reason="a\x00b", attempted={"phone": PHONE})
    assert response.status_code == 400
    assert_nothing_happened()


def test_the_page_door_refuses_bad_input_with_a_message(client, rep, outsider, make_lead):
    foreign = make_lead(actor=outsider, contacts=[{"name": "Yu", "phone": PHONE}])
    client.force_login(rep)

    nul = client.post(
        f"/leads/{foreign.pk}/request-transfer/",
        {"reason": "x", "attempted_phone": PHONE, "attempted_company_name": "A\x00B"},
        follow=True,
    )
    hidden = client.post(f"/leads/{foreign.pk}/request-transfer/", {"reason": "x"}, follow=True)

    assert nul.status_code in (200, 400)
    assert any(m.level_tag == "error" for m in nul.context["messages"])
    assert hidden.status_code == 404
    assert_nothing_happened()
