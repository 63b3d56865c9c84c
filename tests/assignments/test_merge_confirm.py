"""Merge without regret (issue 13, item 5): before two records of one customer are merged, a
page (and `POST /api/v1/leads/{id}/merge/preview/`) says which record survives, what moves,
what stays, and who owns the result, counted from the database; the merge happens only when
the manager confirms. The preview's promises are checked against what the merge then does."""

import re
from decimal import Decimal

import pytest

from assignments import services
from assignments.models import Ownership, OwnershipEvent, TransferRequest
from assignments.selectors import list_history
from assignments.selectors.merge_preview import get_merge_preview
from crm.errors import DomainError
from leads.models import Contact, Deal, FollowUp, Lead
from tests.assignments.permissions_world import live_owner_id
from tests.assignments.permissions_world import snapshot as world_snapshot
from tests.conftest import mark_won

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(rep, teammate, manager, make_lead):
    """Two records of one customer: the survivor (Alice's: 1 contact, 1 follow-up) and the
    other (Bob's: 2 contacts, 2 follow-ups, 1 deal, a pending transfer request from Alice,
    and a record merged into it earlier)."""
    survivor = make_lead(
        actor=rep,
        company_name="Northwind Trading",
        contacts=[{"name": "Ann", "phone": "13911110001"}],
    )
    other = make_lead(
        actor=teammate,
        company_name="North Wind Trade Co",
        contacts=[
            {"name": "Ben", "phone": "13922220002"},
            {"name": "Cat", "phone": "13933330003"},
        ],
    )
    earlier = make_lead(actor=teammate, company_name="Nwind T. Ltd", contacts=[])
    services.merge_leads(survivor_id=other.pk, merged_id=earlier.pk, actor=manager)
    services.log_followup(lead_id=survivor.pk, actor=rep, kind="call", note="Intro call")
    for note in ("Visit", "Quote sent"):
        services.log_followup(lead_id=other.pk, actor=teammate, kind="visit", note=note)
    services.create_deal(lead_id=other.pk, actor=teammate, title="Pilot", amount=Decimal("5000"))
    services.request_transfer(lead_id=other.pk, actor=rep, reason="I met them first")
    return survivor, other, earlier


def test_the_preview_counts_what_the_merge_then_does(pair, manager, rep, teammate):
    survivor, other, earlier = pair
    preview = get_merge_preview(user=manager, survivor_id=survivor.pk, merged_id=other.pk)

    s, m = preview.survivor, preview.merged
    assert (s.lead.pk, m.lead.pk) == (survivor.pk, other.pk)
    assert (s.owner, m.owner) == (rep, teammate)
    assert (s.contacts, s.followups, s.deals) == (1, 1, 0)
    assert (m.contacts, m.followups, m.deals, m.won_deals) == (2, 2, 1, 0)
    # Survivor: its assign. Other: its assign and the earlier merge, plus the earlier
    # record's assign and merge (re-pointed at it, so on its timeline).
    assert (s.history, m.history) == (1, 4)
    assert preview.outcome == "survivor_owner_keeps"
    assert preview.owner_after == rep and preview.loses_claim == teammate
    assert preview.history_added == 2 and preview.survivor_history_after == 7
    assert (preview.closes_requests, preview.repointed) == (1, 1)
    assert preview.refusal is None

    services.merge_leads(survivor_id=survivor.pk, merged_id=other.pk, actor=manager)

    assert Contact.objects.filter(lead=survivor).count() == s.contacts + m.contacts
    assert FollowUp.objects.filter(lead=survivor).count() == s.followups + m.followups
    # Deals stay with the merged record, as the preview says.
    assert Deal.objects.filter(lead=other).count() == 1
    assert Deal.objects.filter(lead=survivor).count() == 0
    assert list_history(lead_id=survivor.pk).count() == preview.survivor_history_after
    assert live_owner_id(survivor.pk) == rep.pk and live_owner_id(other.pk) is None
    assert TransferRequest.objects.get(lead=other).status == "stale"
    assert Lead.objects.get(pk=earlier.pk).merged_into_id == survivor.pk


def test_the_owner_of_the_other_record_follows_a_survivor_nobody_owns(manager, rep, make_lead):
    pooled = make_lead(company_name="Pool Record Co")
    owned = make_lead(actor=rep, company_name="Owned Record Co")
    until = Ownership.objects.get(lead=owned, ended_at__isnull=True).protected_until

    preview = get_merge_preview(user=manager, survivor_id=pooled.pk, merged_id=owned.pk)

    assert preview.outcome == "merged_owner_follows"
    assert preview.owner_after == rep and preview.loses_claim is None
    assert preview.protected_until_after == until
    services.merge_leads(survivor_id=pooled.pk, merged_id=owned.pk, actor=manager)
    period = Ownership.objects.get(lead=pooled, ended_at__isnull=True)
    assert (period.owner, period.protected_until) == (rep, until)


def test_nobody_owning_either_record_keeps_the_result_in_the_pool(manager, make_lead):
    a, b = make_lead(company_name="Pool A Co"), make_lead(company_name="Pool B Co")
    preview = get_merge_preview(user=manager, survivor_id=a.pk, merged_id=b.pk)
    assert (preview.outcome, preview.owner_after, preview.history_added) == ("pool", None, 1)


def test_the_preview_asks_the_merges_permissions(
    rep, manager, other_manager, admin_user, make_lead
):
    a = make_lead(actor=rep, company_name="Alpha Co")
    b = make_lead(company_name="Beta Co")
    for user, survivor, merged, code in (
        (rep, a.pk, b.pk, "permission_denied"),
        (other_manager, a.pk, b.pk, "not_found"),
        (manager, a.pk, a.pk, "merge_same_lead"),
        (manager, a.pk, 999_999, "not_found"),
    ):
        with pytest.raises(DomainError) as refused:
            get_merge_preview(user=user, survivor_id=survivor, merged_id=merged)
        assert refused.value.code == code
    assert get_merge_preview(user=admin_user, survivor_id=a.pk, merged_id=b.pk).owner_after == rep


def test_a_won_record_cannot_be_merged_into_one_that_is_not(manager, rep, make_lead):
    a = make_lead(actor=rep, company_name="Open Co")
    won = make_lead(actor=rep, company_name="Won Co")
    mark_won(won)
    preview = get_merge_preview(user=manager, survivor_id=a.pk, merged_id=won.pk)
    assert preview.refusal.code == "merge_won_lead"
    assert get_merge_preview(user=manager, survivor_id=won.pk, merged_id=a.pk).refusal is None


# --- the page ------------------------------------------------------------------------------
def confirm_page(client, survivor, other, **params):
    return client.get(f"/leads/{survivor.pk}/merge/", {"other": other.pk, **params})


def test_the_confirmation_page_says_what_happens_and_merges_nothing(client, pair, manager):
    survivor, other, _ = pair
    before = world_snapshot()
    client.force_login(manager)

    response = confirm_page(client, survivor, other)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="merge-survivor" data-lead="{survivor.pk}"' in html
    assert f'data-testid="merge-merged" data-lead="{other.pk}"' in html
    flat = re.sub(r"\s+", " ", html)
    assert "2 contacts move to Northwind Trading." in flat
    assert "2 follow-ups move to Northwind Trading" in flat
    assert "1 deal stays with the record of North Wind Trade Co" in flat
    assert "4 history records of North Wind Trade Co stay where they were written" in flat
    assert "7 on the timeline of Northwind Trading afterwards" in flat
    assert "1 pending transfer request for North Wind Trade Co closes" in flat
    assert "<strong>Alice Rep</strong> keeps Northwind Trading (protected until" in flat
    assert "Bob Rep loses their claim on North Wind Trade Co and is told." in flat
    assert ">Merge North Wind Trade Co into Northwind Trading</button>" in flat
    cancel = f'href="/leads/{survivor.pk}/" role="button" class="secondary outline"'
    assert cancel + ' data-testid="merge-cancel">Cancel' in flat
    # Unconfirmed: looking (GET) or posting without the button's `confirm` merges nothing.
    client.post(f"/leads/{survivor.pk}/merge/", {"other": other.pk, "reason": "x"})
    assert world_snapshot() == before
    assert Lead.objects.get(pk=other.pk).merged_into_id is None


def test_confirming_merges(client, pair, manager, rep):
    survivor, other, _ = pair
    client.force_login(manager)
    response = client.post(
        f"/leads/{survivor.pk}/merge/",
        {"other": other.pk, "keep": "this", "reason": "Same firm", "confirm": "yes"},
    )
    assert response.status_code == 302 and response["Location"] == f"/leads/{survivor.pk}/"
    assert Lead.objects.get(pk=other.pk).merged_into_id == survivor.pk
    event = OwnershipEvent.objects.filter(lead=survivor, kind="merge").get()
    assert (event.actor, event.reason) == (manager, "Same firm")


def test_keeping_the_other_record_swaps_the_labels(client, pair, manager):
    survivor, other, _ = pair
    client.force_login(manager)
    html = confirm_page(client, survivor, other, keep="other").content.decode()
    assert ">Merge Northwind Trading into North Wind Trade Co</button>" in html
    assert f'data-testid="merge-survivor" data-lead="{other.pk}"' in html
    # Cancel goes back to the page the manager came from.
    assert f'href="/leads/{survivor.pk}/" role="button"' in html
    assert f"?other={other.pk}&amp;keep=this" in html


def test_a_refused_merge_shows_why_and_offers_no_merge_button(client, manager, rep, make_lead):
    a = make_lead(actor=rep, company_name="Open Co")
    won = make_lead(actor=rep, company_name="Won Co")
    mark_won(won)
    client.force_login(manager)
    html = confirm_page(client, a, won).content.decode()
    assert 'data-code="merge_won_lead"' in html
    assert 'data-testid="merge-button"' not in html
    assert "Keep Won Co instead" in html


def test_the_confirmation_page_is_for_managers_who_see_both(
    client, rep, manager, other_manager, make_lead
):
    a = make_lead(actor=rep, company_name="Alpha Co")
    b = make_lead(company_name="Beta Co")
    client.force_login(rep)
    assert confirm_page(client, a, b).status_code == 403
    client.force_login(other_manager)
    assert confirm_page(client, b, a).status_code == 404
    client.force_login(manager)
    assert client.get(f"/leads/{a.pk}/merge/").status_code == 400
    same = client.get(f"/leads/{a.pk}/merge/", {"other": a.pk}, follow=True)
    assert "Choose two different customers to merge." in same.content.decode()
    assert not Lead.objects.filter(merged_into__isnull=False).exists()


def test_the_lead_page_sends_to_the_confirmation_first(client, rep, teammate, manager, make_lead):
    # The same company typed twice (a slip of the pinyin IME): a possible duplicate.
    first = make_lead(actor=rep, company_name="深圳市星辰信息科技有限公司", city="深圳")
    second = make_lead(
        actor=teammate,
        company_name="星晨信息科技有限公司",
        city="",
        contacts=[{"name": "周静", "phone": "13922220000"}],
        confirm_duplicate=True,
    )
    client.force_login(manager)
    html = client.get(f"/leads/{first.pk}/").content.decode()
    forms = re.findall(r'<form[^>]*class="merge-form"[^>]*>.*?</form>', html, re.S)
    assert len(forms) == 1
    assert f'action="/leads/{first.pk}/merge/"' in forms[0] and 'method="get"' in forms[0]
    assert f'name="other" value="{second.pk}"' in forms[0]
    assert "csrfmiddlewaretoken" not in forms[0]
    # Its buttons open the confirmation page; nothing is merged by opening it.
    page = client.get(f"/leads/{first.pk}/merge/", {"other": second.pk, "keep": "other"})
    assert page.status_code == 200
    assert "Merge 深圳市星辰信息科技有限公司 into 星晨信息科技有限公司" in page.content.decode()
    assert not Lead.objects.filter(merged_into__isnull=False).exists()


def test_the_confirmation_page_reads_in_chinese(client, pair, manager):
    survivor, other, _ = pair
    client.force_login(manager)
    client.post("/language/", {"language": "zh-hans"})
    html = confirm_page(client, survivor, other).content.decode()
    assert '<html lang="zh-hans"' in html
    assert "取消" in html and "负责人" in html


# --- the API -------------------------------------------------------------------------------
PREVIEW = "/api/v1/leads/{}/merge/preview/"


def test_the_api_preview_answers_the_same_facts(api, pair, manager, rep, teammate):
    survivor, other, _ = pair
    before = world_snapshot()
    response = api(manager).post(PREVIEW.format(survivor.pk), {"lead": other.pk}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["survivor"]["id"] == survivor.pk and body["merged"]["id"] == other.pk
    assert body["moves"] == {"contacts": 2, "followups": 2}
    assert body["stays"] == {"deals": 1, "status_changes": 0, "inquiries": 0, "history": 4}
    assert (body["history_added"], body["survivor_history_after"]) == (2, 7)
    assert body["outcome"] == "survivor_owner_keeps"
    assert body["owner_after"] == {"id": rep.pk, "display_name": "Alice Rep"}
    assert body["loses_claim"] == {"id": teammate.pk, "display_name": "Bob Rep"}
    assert (body["closes_transfer_requests"], body["repointed"]) == (1, 1)
    assert body["survivor"]["protected_until"] and body["protected_until_after"]
    assert world_snapshot() == before


def test_the_api_preview_refuses_as_the_merge_does(api, rep, manager, other_manager, make_lead):
    a = make_lead(actor=rep, company_name="Alpha Co")
    b = make_lead(company_name="Beta Co")
    won = make_lead(actor=rep, company_name="Won Co")
    mark_won(won)
    for user, path_id, body, status, code in (
        (rep, a.pk, {"lead": b.pk}, 403, "permission_denied"),
        (other_manager, a.pk, {"lead": b.pk}, 404, "not_found"),
        (manager, a.pk, {"lead": a.pk}, 400, "merge_same_lead"),
        (manager, a.pk, {"lead": won.pk}, 409, "merge_won_lead"),
        (manager, a.pk, {}, 400, "invalid"),
        (manager, a.pk, {"lead": "x"}, 400, "invalid"),
        (manager, a.pk, {"lead": 0}, 400, "invalid"),
        (manager, 999_999, {"lead": a.pk}, 404, "not_found"),
    ):
        response = api(user).post(PREVIEW.format(path_id), body, format="json")
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert api().post(PREVIEW.format(a.pk), {"lead": b.pk}, format="json").status_code in (401, 403)
    assert not Lead.objects.filter(merged_into__isnull=False).exists()


def test_the_page_says_who_owns_the_result_in_each_case(client, manager, rep, make_lead):
    pooled = make_lead(company_name="Pool Record Co")
    owned = make_lead(actor=rep, company_name="Owned Record Co")
    other_pooled = make_lead(company_name="Other Pool Co")
    client.force_login(manager)

    follows = re.sub(r"\s+", " ", confirm_page(client, pooled, owned).content.decode())
    assert 'data-outcome="merged_owner_follows"' in follows
    assert (
        "Nobody owns Pool Record Co: <strong>Alice Rep</strong>, who owns Owned Record Co, "
        "will own it with the protection they had (until"
    ) in follows
    assert "The merge itself writes 2 new records, one on each" in follows

    pool = re.sub(r"\s+", " ", confirm_page(client, pooled, other_pooled).content.decode())
    assert 'data-outcome="pool"' in pool
    assert "Nobody owns either record: Pool Record Co stays in the pool." in pool
    assert "The merge itself writes 1 new record:" in pool
    assert "Other Pool Co has no deals." in pool
