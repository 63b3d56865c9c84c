"""The bulk actions on the pages (issue 13, item 3): "Claim selected" on the public pool and
"Release selected" on My leads. Checkboxes only where the action is offered; the answer lists
every ticked row in words; with htmx each ticked row is swapped in place; a lead the user may
not see shows only its number."""

import re

import pytest

from assignments import services
from leads.models import Lead
from tests.assignments.permissions_world import live_owner_id
from tests.conftest import mark_won

pytestmark = pytest.mark.django_db


def boxes(html: str, form: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'name="lead_ids" value="(\d+)" form="{form}"', html)]


def rows(html: str) -> dict[int, tuple[str, str]]:
    """The answer's lines: lead -> (status, code)."""
    found = re.findall(
        r'data-testid="bulk-row" data-lead="(\d+)" data-status="(\w+)" data-code="(\w*)"', html
    )
    return {int(lead): (status, code) for lead, status, code in found}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the pool ------------------------------------------------------------------------------
def test_the_pool_offers_checkboxes_and_claim_selected_to_reps(client, rep, make_lead):
    leads = [make_lead() for _ in range(3)]
    client.force_login(rep)
    html = client.get("/leads/pool/").content.decode()
    assert sorted(boxes(html, "bulk-claim")) == sorted(lead.pk for lead in leads)
    assert 'data-testid="claim-selected"' in html and "Claim selected" in html
    assert 'data-select-all="bulk-claim"' in html
    # The live pool still finds its claimable rows.
    for lead in leads:
        assert f'data-lead="{lead.pk}" data-claimable' in html


def test_someone_who_may_not_own_gets_no_bulk_claim(client, admin_user, make_lead):
    make_lead()
    client.force_login(admin_user)
    html = client.get("/leads/pool/").content.decode()
    assert boxes(html, "bulk-claim") == [] and "claim-selected" not in html


def test_claim_selected_says_which_were_claimed_and_which_refused_and_why(
    client, rep, teammate, make_lead
):
    free = [make_lead(company_name=f"Free {i} Co") for i in range(2)]
    taken = make_lead(company_name="Taken Trading Co")
    services.claim_lead(lead_id=taken.pk, actor=teammate)
    client.force_login(rep)

    response = client.post("/leads/pool/claim/", {"lead_ids": [free[0].pk, taken.pk, free[1].pk]})

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 claimed, 1 refused." in text(html)
    assert rows(html) == {
        free[0].pk: ("claimed", ""),
        taken.pk: ("refused", "already_owned"),
        free[1].pk: ("claimed", ""),
    }
    assert "You now own Free 0 Co" in html and "Taken Trading Co" in html
    assert "Already claimed by Bob Rep" in html
    assert "Back to the pool" in html
    assert [live_owner_id(lead.pk) for lead in (*free, taken)] == [rep.pk, rep.pk, teammate.pk]
    # The full page (no htmx) swaps no rows.
    assert "hx-swap-oob" not in html


def test_with_htmx_each_ticked_row_is_swapped_in_place(client, rep, teammate, make_lead):
    free = make_lead(company_name="Free Co")
    taken = make_lead(company_name="Taken Co")
    services.claim_lead(lead_id=taken.pk, actor=teammate)
    client.force_login(rep)

    html = client.post(
        "/leads/pool/claim/", {"lead_ids": [free.pk, taken.pk]}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "<html" not in html and 'data-testid="bulk-summary"' in html
    swapped = re.findall(r'<tr id="lead-(\d+)" class="(\w+)"[^>]*hx-swap-oob="true"', html)
    assert swapped == [(str(free.pk), "claimed"), (str(taken.pk), "taken")]
    # The refused row offers to ask for the customer, as a single refused claim does.
    assert f'action="/leads/{taken.pk}/request-transfer/"' in html
    # The rows' cells span the table with its checkbox column.
    assert 'colspan="7"' in html


def test_the_limit_in_the_middle_shows_in_words(client, rep, make_lead, set_policy):
    set_policy(claim_limit=2)
    leads = [make_lead() for _ in range(3)]
    client.force_login(rep)
    html = client.post("/leads/pool/claim/", {"lead_ids": [lead.pk for lead in leads]}).content
    html = html.decode()
    assert [status for status, _ in rows(html).values()] == ["claimed", "claimed", "refused"]
    assert rows(html)[leads[2].pk] == ("refused", "claim_limit_reached")
    assert "Claim limit reached: 2 of 2 customers held." in html


def test_a_lead_the_rep_may_not_see_shows_only_its_number(
    client, rep, outsider, other_team, make_lead
):
    hidden = make_lead(actor=outsider, company_name="Hidden South Co")
    other_pool = make_lead(pool_team_id=other_team.pk, company_name="South Pool Co")
    client.force_login(rep)
    html = client.post("/leads/pool/claim/", {"lead_ids": [hidden.pk, other_pool.pk]}).content
    html = html.decode()
    assert rows(html) == {
        hidden.pk: ("refused", "not_found"),
        other_pool.pk: ("refused", "not_found"),
    }
    assert "Hidden South Co" not in html and "South Pool Co" not in html
    assert "Charlie" not in html
    assert f"#{hidden.pk}" in html and "Not found:" in html


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({}, 400, "Select at least one customer."),
        ({"lead_ids": ["abc"]}, 400, "The selection is not valid."),
        ({"lead_ids": [str(i) for i in range(1, 102)]}, 400, "Select at most 100 customers"),
    ],
)
def test_a_bad_selection_is_refused_in_words(client, rep, make_lead, data, status, message):
    lead = make_lead()
    client.force_login(rep)
    for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post("/leads/pool/claim/", data, **htmx)
        assert response.status_code == status
        assert message in response.content.decode()
    assert live_owner_id(lead.pk) is None


def test_an_admin_posting_claim_selected_is_refused(client, admin_user, make_lead):
    lead = make_lead()
    client.force_login(admin_user)
    response = client.post("/leads/pool/claim/", {"lead_ids": [lead.pk]})
    assert response.status_code == 403
    assert "Only sales reps and managers can own customers." in response.content.decode()
    assert live_owner_id(lead.pk) is None


def test_the_bulk_pages_need_a_login_and_a_post(client, rep, make_lead):
    lead = make_lead()
    for path in ("/leads/pool/claim/", "/leads/mine/release/"):
        response = client.post(path, {"lead_ids": [lead.pk], "reason": "x"})
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(rep)
    for path in ("/leads/pool/claim/", "/leads/mine/release/"):
        assert client.get(path).status_code == 405
    assert live_owner_id(lead.pk) is None


def test_the_answer_reads_in_chinese(client, rep, teammate, make_lead):
    taken = make_lead(company_name="星河贸易有限公司")
    services.claim_lead(lead_id=taken.pk, actor=teammate)
    free = make_lead(company_name="远山机械有限公司")
    client.force_login(rep)
    client.post("/language/", {"language": "zh-hans"})
    html = client.post("/leads/pool/claim/", {"lead_ids": [free.pk, taken.pk]}).content.decode()
    assert '<html lang="zh-hans"' in html
    assert "您已领取 远山机械有限公司" in html
    assert "已被 Bob Rep 领取" in html


# --- My leads ------------------------------------------------------------------------------
def test_my_leads_offers_checkboxes_only_where_release_is_allowed(client, rep, make_lead):
    open_ = make_lead(actor=rep)
    won = make_lead(actor=rep)
    mark_won(won)
    client.force_login(rep)
    html = client.get("/leads/mine/").content.decode()
    assert boxes(html, "bulk-release") == [open_.pk]
    assert 'data-testid="release-selected"' in html and 'name="reason"' in html


def test_release_selected_releases_with_one_reason(client, rep, make_lead):
    leads = [make_lead(actor=rep, company_name=f"Mine {i} Co") for i in range(3)]
    client.force_login(rep)
    html = client.post(
        "/leads/mine/release/",
        {"lead_ids": [lead.pk for lead in leads[:2]], "reason": "Wrong region"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "2 released, 0 refused." in text(html)
    assert rows(html) == {leads[0].pk: ("released", ""), leads[1].pk: ("released", "")}
    swapped = re.findall(r'<tr id="mine-(\d+)" class="(\w+)"[^>]*hx-swap-oob="true"', html)
    assert swapped == [(str(leads[0].pk), "released"), (str(leads[1].pk), "released")]
    assert "The customer is back in the pool." in html
    assert [live_owner_id(lead.pk) for lead in leads] == [None, None, rep.pk]


def test_release_selected_needs_a_reason(client, rep, make_lead):
    lead = make_lead(actor=rep)
    client.force_login(rep)
    for reason in ("", "   "):
        response = client.post("/leads/mine/release/", {"lead_ids": [lead.pk], "reason": reason})
        assert response.status_code == 400
        assert "Please give a reason." in response.content.decode()
    assert live_owner_id(lead.pk) == rep.pk


def test_releasing_someone_elses_lead_from_the_page_changes_nothing(
    client, rep, teammate, make_lead
):
    mates = make_lead(actor=teammate, company_name="Bobs Own Co")
    won = make_lead(actor=rep, company_name="Won Co")
    mark_won(won)
    client.force_login(rep)
    html = client.post(
        "/leads/mine/release/", {"lead_ids": [mates.pk, won.pk], "reason": "Try"}
    ).content.decode()
    assert rows(html) == {
        mates.pk: ("refused", "not_found"),
        won.pk: ("refused", "customer_won"),
    }
    assert "Bobs Own Co" not in html
    assert "Not found among the customers you may release." in html
    assert "This customer is won: it stays with its owner." in html
    assert (live_owner_id(mates.pk), live_owner_id(won.pk)) == (teammate.pk, rep.pk)
    assert Lead.objects.get(pk=won.pk).status == "won"
