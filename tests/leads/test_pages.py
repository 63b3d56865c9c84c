import pytest

from assignments.models import Ownership, OwnershipEvent
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db


def test_pool_page_lists_pool_leads_with_masked_contacts(client, rep, make_lead):
    make_lead(company_name="杭州云帆科技有限公司", city="杭州")
    client.force_login(rep)
    html = client.get("/leads/pool/").content.decode()
    assert "杭州云帆科技有限公司" in html
    assert "138****8000" in html
    assert "13812348000" not in html


def test_pool_page_search_and_filters(client, rep, make_lead):
    make_lead(company_name="Alpha Co", province="浙江")
    make_lead(company_name="Beta Co", province="江苏")
    client.force_login(rep)
    html = client.get("/leads/pool/?province=浙江").content.decode()
    assert "Alpha Co" in html and "Beta Co" not in html
    html = client.get("/leads/pool/?q=beta").content.decode()
    assert "Beta Co" in html and "Alpha Co" not in html


def test_pool_page_paginates_without_counting(client, rep, make_lead):
    for i in range(30):
        make_lead(company_name=f"Firm {i:02d}")
    client.force_login(rep)
    first = client.get("/leads/pool/")
    assert first.context["next_query"]
    second = client.get("/leads/pool/?" + first.context["next_query"])
    names = [lead.company_name for lead in first.context["leads"]] + [
        lead.company_name for lead in second.context["leads"]
    ]
    assert sorted(names) == sorted(f"Firm {i:02d}" for i in range(30))


def test_claim_with_htmx_swaps_the_row_in_place(client, rep, teammate, make_lead):
    lead = make_lead(company_name="Hot Lead")
    client.force_login(rep)
    response = client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="claimed"' in html and "Hot Lead" in html
    client.force_login(teammate)
    html = client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-code="already_owned"' in html
    assert "Already claimed by Alice Rep" in html


def test_claim_refusal_is_translated(client, rep, teammate, make_lead):
    lead = make_lead()
    client.force_login(rep)
    client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true")
    client.force_login(teammate)
    client.post("/language/", {"language": "zh-hans"})
    html = client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true").content.decode()
    assert "已被 Alice Rep 领取" in html


def test_my_leads_most_urgent_first_with_countdown(client, rep, make_lead):
    later = make_lead(actor=rep, company_name="Later")
    soon = make_lead(actor=rep, company_name="Soon")
    from datetime import timedelta

    expire_claim(soon.pk, ago=-timedelta(hours=5))  # 5 hours left
    client.force_login(rep)
    response = client.get("/leads/mine/")
    assert [lead.pk for lead in response.context["leads"]] == [soon.pk, later.pk]
    assert "countdown soon" in response.content.decode()


def test_detail_shows_timeline_and_owner_actions(client, rep, make_lead):
    lead = make_lead(actor=rep, company_name="Timeline Co")
    client.force_login(rep)
    response = client.post(
        f"/leads/{lead.pk}/followup/", {"kind": "visit", "note": "Met the CTO", "next_step": "Demo"}
    )
    assert response.status_code == 302
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Met the CTO" in html
    assert "Created; owner Alice Rep." in html
    assert "13812348000" in html


def test_release_from_page_needs_reason_and_returns_to_pool(client, rep, make_lead):
    lead = make_lead(actor=rep)
    client.force_login(rep)
    assert client.post(f"/leads/{lead.pk}/release/", {"reason": ""}).status_code == 400
    assert Ownership.objects.filter(lead=lead, ended_at__isnull=True).exists()
    response = client.post(f"/leads/{lead.pk}/release/", {"reason": "No budget"})
    assert response.status_code == 302
    assert not Ownership.objects.filter(lead=lead, ended_at__isnull=True).exists()
    assert OwnershipEvent.objects.filter(lead=lead, kind="release", reason="No budget").exists()


def test_other_reps_lead_pages_say_whose_and_act_as_404(client, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    client.force_login(teammate)
    # A customer of their pool: the page says who owns it (no contacts), actions are 404.
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 403
    assert "This customer belongs to Alice Rep" in response.content.decode()
    assert "1381234" not in response.content.decode()
    assert client.post(f"/leads/{lead.pk}/release/", {"reason": "mine now"}).status_code == 404
    assert (
        client.post(f"/leads/{lead.pk}/followup/", {"kind": "call", "note": "x"}).status_code == 404
    )
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == rep


def test_team_page_is_for_managers(client, rep, manager, make_lead):
    make_lead(actor=rep, company_name="Team Co")
    client.force_login(rep)
    assert client.get("/leads/team/").status_code == 403
    client.force_login(manager)
    html = client.get("/leads/team/").content.decode()
    assert "Team Co" in html and "Alice Rep" in html


def test_manager_reassigns_from_page(client, rep, teammate, manager, make_lead):
    lead = make_lead(actor=rep)
    client.force_login(manager)
    response = client.post(f"/leads/{lead.pk}/reassign/", {"to": teammate.pk, "reason": "Leave"})
    assert response.status_code == 302
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == teammate


def test_new_customer_page_creates_an_owned_lead(client, rep):
    client.force_login(rep)
    response = client.post(
        "/leads/new/",
        {
            "company_name": "新客户有限公司",
            "city": "上海",
            "contact_name": "王芳",
            "contact_phone": "13700001234",
            "contact_email": "王芳 <WangFang@XinKeHu.CN>",
        },
    )
    assert response.status_code == 302
    lead = Ownership.objects.get(owner=rep, ended_at__isnull=True).lead
    assert lead.company_name == "新客户有限公司"
    # What was pasted from a mail client is stored as the address.
    assert lead.contacts.get().email == "wangfang@xinkehu.cn"
    bad = client.post("/leads/new/", {"company_name": " "})
    assert bad.status_code == 400
    not_mail = client.post(
        "/leads/new/",
        {"company_name": "另一家", "contact_name": "x", "contact_email": "not an address"},
    )
    assert not_mail.status_code == 400


def test_admin_can_read_but_never_edit_ownership_history(client, admin_user, rep, make_lead):
    lead = make_lead(actor=rep)
    event = OwnershipEvent.objects.get(lead=lead)
    client.force_login(admin_user)
    assert client.get("/admin/assignments/ownershipevent/").status_code == 200
    page = client.get(f"/admin/assignments/ownershipevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()  # read-only view
    assert (
        client.post(
            f"/admin/assignments/ownershipevent/{event.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert OwnershipEvent.objects.filter(pk=event.pk).exists()
    assert client.get(f"/admin/leads/lead/{lead.pk}/change/").status_code == 200
