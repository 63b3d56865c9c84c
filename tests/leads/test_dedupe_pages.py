"""Duplicate detection (查重) on the pages: the live check on the new-customer form, refusals
on create / edit / add contact, transfer requests, and managers merging records."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from assignments.models import Ownership, OwnershipEvent, TransferRequest
from leads.models import Contact, Lead

pytestmark = pytest.mark.django_db

STAR = "深圳市星辰信息科技有限公司"
STAR_PHONE = "13800138000"
# The same customer typed by another rep: name with the city in brackets, phone formatted.
STAR_AGAIN = {
    "company_name": "星辰信息科技（深圳）有限公司",
    "city": "深圳",
    "contact_name": "李明",
    "contact_phone": "+86 138-0013-8000",
}
# Same sound, different characters (a pinyin-IME slip), city not given, no shared phone:
# only a weak match (in the same city the same sound would be strong).
STAR_SLIP = {
    "company_name": "星晨信息科技有限公司",
    "city": "",
    "contact_name": "周静",
    "contact_phone": "13922220000",
}


def _star(make_lead, actor=None, **fields):
    fields.setdefault("company_name", STAR)
    fields.setdefault("city", "深圳")
    fields.setdefault(
        "contacts", [{"name": "陈总", "phone": STAR_PHONE, "email": "chen@xingchen-tech.cn"}]
    )
    return make_lead(actor=actor, **fields)


def _until(lead) -> str:
    period = Ownership.objects.get(lead=lead, ended_at__isnull=True)
    return date_format(timezone.localtime(period.protected_until), "MONTH_DAY_FORMAT")


def test_live_check_names_the_owner_and_protection_but_no_contact_details(
    client, rep, teammate, make_lead
):
    existing = _star(make_lead, actor=teammate)
    client.force_login(rep)
    response = client.post("/leads/new/check/", STAR_AGAIN, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Already exists: {STAR} — owner Bob Rep, protected until {_until(existing)}" in html
    assert "same phone" in html
    assert f"/leads/{existing.pk}/request-transfer/" in html
    assert "Request transfer" in html
    assert STAR_PHONE not in html and "chen@xingchen-tech.cn" not in html
    assert "陈总" not in html


def test_live_check_is_quiet_when_nothing_matches(client, rep, teammate, make_lead):
    _star(make_lead, actor=teammate)
    client.force_login(rep)
    html = client.post(
        "/leads/new/check/", {"company_name": "成都蓝鲸物流有限公司", "city": "成都"}
    ).content.decode()
    assert 'data-testid="duplicate"' not in html
    assert "No duplicates found" in html


def test_new_customer_form_checks_as_the_rep_types(client, rep):
    client.force_login(rep)
    html = client.get("/leads/new/").content.decode()
    assert 'hx-post="/leads/new/check/"' in html
    assert "delay:400ms" in html


def test_creating_another_reps_customer_is_refused_with_a_transfer_offer(
    client, rep, teammate, make_lead
):
    existing = _star(make_lead, actor=teammate)
    client.force_login(rep)
    response = client.post("/leads/new/", STAR_AGAIN)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Already exists" in html and "Bob Rep" in html
    assert "Request transfer" in html
    assert f'action="/leads/{existing.pk}/request-transfer/"' in html
    assert STAR_PHONE not in html
    assert Lead.objects.count() == 1
    assert not Ownership.objects.filter(owner=rep).exists()


def test_request_transfer_from_the_refusal(client, rep, teammate, make_lead):
    existing = _star(make_lead, actor=teammate)
    client.force_login(rep)
    response = client.post(
        f"/leads/{existing.pk}/request-transfer/",
        {
            "reason": "I met them at the trade fair",
            "attempted_company_name": STAR_AGAIN["company_name"],
        },
        follow=True,
    )
    # To My requests, where the rep follows the decision.
    assert response.redirect_chain[-1][0] == "/leads/transfers/mine/"
    assert STAR_AGAIN["company_name"] in response.content.decode()
    assert "Transfer requested; the owner&#x27;s manager will decide." in response.content.decode()
    transfer = TransferRequest.objects.get(lead=existing)
    assert transfer.requester == rep and transfer.owner == teammate
    assert transfer.reason == "I met them at the trade fair"
    assert transfer.attempted == {"company_name": STAR_AGAIN["company_name"]}

    again = client.post(
        f"/leads/{existing.pk}/request-transfer/",
        {"attempted_company_name": STAR_AGAIN["company_name"]},
        follow=True,
    )
    assert TransferRequest.objects.filter(lead=existing).count() == 1
    assert any(m.level_tag == "error" for m in again.context["messages"])


def test_a_pool_duplicate_offers_a_claim(client, rep, make_lead):
    pooled = _star(make_lead)
    client.force_login(rep)
    response = client.post("/leads/new/", STAR_AGAIN)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Claim it instead" in html
    assert f'action="/leads/{pooled.pk}/claim/"' in html
    assert "Request transfer" not in html
    assert Lead.objects.count() == 1

    client.post(f"/leads/{pooled.pk}/claim/")
    assert Ownership.objects.get(lead=pooled, ended_at__isnull=True).owner == rep


def test_own_duplicate_links_to_it(client, rep, make_lead):
    mine = _star(make_lead, actor=rep)
    client.force_login(rep)
    response = client.post("/leads/new/", STAR_AGAIN)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Open it" in html and f'href="/leads/{mine.pk}/"' in html


def test_weak_match_needs_the_confirmation_and_is_recorded(client, rep, teammate, make_lead):
    existing = _star(make_lead, actor=teammate)
    client.force_login(rep)
    response = client.post("/leads/new/", STAR_SLIP)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Possible duplicate" in html and "similar name" in html
    assert 'name="confirm_duplicate"' in html
    assert Lead.objects.count() == 1

    response = client.post("/leads/new/", {**STAR_SLIP, "confirm_duplicate": "on"})
    assert response.status_code == 302
    created = Lead.objects.get(company_name=STAR_SLIP["company_name"])
    event = OwnershipEvent.objects.get(lead=created)
    assert [d["lead"] for d in event.details["confirmed_duplicates"]] == [existing.pk]
    page = client.get(f"/leads/{created.pk}/").content.decode()
    assert 'data-testid="confirmed-duplicates"' in page and STAR in page


def test_invalid_credit_code_is_a_form_error(client, rep):
    client.force_login(rep)
    response = client.post(
        "/leads/new/", {"company_name": "广州海蓝贸易有限公司", "uscc": "91440101MA5CXXXX1"}
    )
    assert response.status_code == 400
    assert "This unified social credit code is not valid" in response.content.decode()
    assert not Lead.objects.exists()


def test_edit_page_saves_and_refuses_a_collision(client, rep, teammate, make_lead):
    _star(make_lead, actor=teammate, website="https://www.xingchen-tech.cn")
    mine = make_lead(
        actor=rep,
        company_name="杭州云帆科技有限公司",
        city="杭州",
        contacts=[{"name": "王芳", "phone": "13700001234"}],
    )
    client.force_login(rep)
    assert client.get(f"/leads/{mine.pk}/").content.decode().count(f"/leads/{mine.pk}/edit/") == 1
    form = client.get(f"/leads/{mine.pk}/edit/")
    assert form.status_code == 200 and "杭州云帆科技有限公司" in form.content.decode()

    fields = {"company_name": "杭州云帆科技有限公司", "city": "杭州", "industry": "SaaS"}
    assert client.post(f"/leads/{mine.pk}/edit/", fields).status_code == 302
    mine.refresh_from_db()
    assert mine.industry == "SaaS"

    response = client.post(f"/leads/{mine.pk}/edit/", {**fields, "website": "xingchen-tech.cn"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Already exists" in html and "Bob Rep" in html and "same company website" in html
    mine.refresh_from_db()
    assert mine.website == ""


def test_edit_page_is_for_people_who_may_edit(client, rep, teammate, make_lead):
    theirs = make_lead(actor=teammate, company_name="南京紫金软件有限公司", city="南京")
    pooled = make_lead(company_name="武汉长江物流有限公司", city="武汉")
    client.force_login(rep)
    assert client.get(f"/leads/{theirs.pk}/edit/").status_code == 404
    assert client.get(f"/leads/{pooled.pk}/edit/").status_code == 403
    assert f"/leads/{pooled.pk}/edit/" not in client.get(f"/leads/{pooled.pk}/").content.decode()


def test_adding_another_reps_customers_phone_is_refused(client, rep, teammate, make_lead):
    _star(make_lead, actor=teammate)
    mine = make_lead(actor=rep, company_name="杭州云帆科技有限公司", city="杭州")
    client.force_login(rep)
    response = client.post(
        f"/leads/{mine.pk}/contacts/add/", {"name": "陈总", "phone": "138 0013 8000"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Already exists" in html and "Bob Rep" in html
    assert not Contact.objects.filter(lead=mine, name="陈总").exists()

    ok = client.post(f"/leads/{mine.pk}/contacts/add/", {"name": "赵经理", "phone": "13600001111"})
    assert ok.status_code == 302
    assert Contact.objects.filter(lead=mine, name="赵经理").exists()


def _two_records_of_one_customer(make_lead, rep, teammate):
    first = _star(make_lead, actor=rep)
    second = make_lead(
        actor=teammate,
        company_name=STAR_SLIP["company_name"],
        city="",
        contacts=[{"name": "周静", "phone": STAR_SLIP["contact_phone"]}],
        confirm_duplicate=True,
    )
    return first, second


def test_manager_sees_possible_duplicates_and_merges(client, rep, teammate, manager, make_lead):
    first, second = _two_records_of_one_customer(make_lead, rep, teammate)
    client.force_login(manager)
    html = client.get(f"/leads/{first.pk}/").content.decode()
    assert 'data-testid="possible-duplicates"' in html
    assert "Merge into this customer" in html and f'value="{second.pk}"' in html

    response = client.post(
        f"/leads/{first.pk}/merge/",
        {"other": second.pk, "reason": "Same company", "confirm": "yes"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/leads/{first.pk}/"
    page = response.content.decode()
    assert "Merged: contacts, follow-ups and history are now on this customer." in page
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert Contact.objects.filter(lead=first, name="周静").exists()


def test_manager_may_keep_the_other_record(client, rep, teammate, manager, make_lead):
    first, second = _two_records_of_one_customer(make_lead, rep, teammate)
    client.force_login(manager)
    response = client.post(
        f"/leads/{first.pk}/merge/", {"other": second.pk, "keep": "other", "confirm": "yes"}
    )
    assert response.status_code == 302 and response["Location"] == f"/leads/{second.pk}/"
    first.refresh_from_db()
    assert first.merged_into_id == second.pk


def test_reps_cannot_merge(client, rep, teammate, make_lead):
    first, second = _two_records_of_one_customer(make_lead, rep, teammate)
    client.force_login(rep)
    assert "Merge into this customer" not in client.get(f"/leads/{first.pk}/").content.decode()
    for data in ({"other": second.pk}, {"other": second.pk, "confirm": "yes"}):
        assert client.post(f"/leads/{first.pk}/merge/", data).status_code == 403
    assert client.get(f"/leads/{first.pk}/merge/", {"other": second.pk}).status_code == 403
    assert not Lead.objects.filter(merged_into__isnull=False).exists()


def test_merging_a_lead_outside_the_managers_teams_is_404(
    client, rep, manager, outsider, make_lead
):
    first = _star(make_lead, actor=rep)
    foreign = make_lead(
        actor=outsider,
        company_name=STAR_SLIP["company_name"],
        city="",
        contacts=[],
        confirm_duplicate=True,
    )
    client.force_login(manager)
    for data in ({"other": foreign.pk}, {"other": foreign.pk, "confirm": "yes"}):
        assert client.post(f"/leads/{first.pk}/merge/", data).status_code == 404
    foreign.refresh_from_db()
    assert foreign.merged_into_id is None


def test_merged_record_url_leads_to_the_survivor(
    client, rep, teammate, manager, outsider, make_lead
):
    first, second = _two_records_of_one_customer(make_lead, rep, teammate)
    client.force_login(manager)
    client.post(f"/leads/{first.pk}/merge/", {"other": second.pk, "confirm": "yes"})
    response = client.get(f"/leads/{second.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/leads/{first.pk}/"
    client.force_login(rep)
    assert client.get(f"/leads/{second.pk}/")["Location"] == f"/leads/{first.pk}/"
    client.force_login(outsider)
    assert client.get(f"/leads/{second.pk}/").status_code == 404
