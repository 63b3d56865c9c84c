"""The live pool: an open pool page polls /leads/pool/changes/ and learns which of its rows
colleagues took (greyed, "Claimed by X", the company's name kept) and which customers entered
the pool after it was rendered (the badge). The endpoint reads; it never decides a claim."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import OwnershipEvent
from assignments.selectors.pool import OVERLAP, Cursor, get_pool_changes, get_pool_cursor
from assignments.services import claim_lead, release_lead
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db


def _open_pool(client, query: str = "") -> tuple[str, list[int]]:
    html = client.get(f"/leads/pool/{query}").content.decode()
    cursor = re.search(r'data-cursor="([^"]+)"', html).group(1)
    shown = [int(x) for x in re.findall(r'data-lead="(\d+)" data-claimable', html)]
    return cursor, shown


def _poll(client, cursor: str, shown: list[int], query: str = "") -> dict:
    shown_text = ",".join(str(x) for x in shown)
    response = client.get(f"/leads/pool/changes/?{query}cursor={cursor}&shown={shown_text}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_row_a_colleague_claims_is_reported_with_their_name(client, rep, teammate, make_lead):
    first = make_lead(company_name="Taken Soon Ltd")
    second = make_lead(company_name="Still Free Ltd")
    client.force_login(rep)
    cursor, shown = _open_pool(client)
    assert set(shown) == {first.pk, second.pk}

    assert _poll(client, cursor, shown)["taken"] == []
    claim_lead(lead_id=first.pk, actor=teammate)

    changes = _poll(client, cursor, shown)
    assert changes["taken"] == [
        {
            "id": first.pk,
            "company": "Taken Soon Ltd",
            "owner": "Bob Rep",
            "status": "Claimed by Bob Rep",
        }
    ]
    assert changes["entered"] == []


def test_the_status_is_in_the_users_language_and_says_when_it_was_them(
    client, rep, teammate, make_lead
):
    theirs, mine = make_lead(), make_lead()
    client.force_login(rep)
    cursor, shown = _open_pool(client)
    claim_lead(lead_id=theirs.pk, actor=teammate)
    claim_lead(lead_id=mine.pk, actor=rep)  # from another tab

    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    status = {item["id"]: item["status"] for item in _poll(client, cursor, shown)["taken"]}
    assert status == {theirs.pk: "已被 Bob Rep 领取", mine.pk: "您已领取"}


def test_customers_entering_the_pool_after_the_page_was_rendered(
    client, rep, teammate, admin_user, make_lead
):
    before = make_lead(company_name="Was Here Ltd")
    released = make_lead(actor=teammate)
    runs_out = make_lead(actor=teammate)
    kept = make_lead(actor=teammate)
    client.force_login(rep)
    cursor, shown = _open_pool(client)
    assert shown == [before.pk]

    created = make_lead(actor=admin_user, company_name="Fresh In Ltd")
    release_lead(lead_id=released.pk, actor=teammate, reason="not for me")
    # Its protection runs out now: back in the pool before the recycling job closes it.
    expire_claim(runs_out.pk, ago=timedelta(0))

    changes = _poll(client, cursor, shown)
    assert sorted(changes["entered"]) == sorted([created.pk, released.pk, runs_out.pk])
    assert kept.pk not in changes["entered"] and before.pk not in changes["entered"]
    # The next poll, from the cursor it was given, reports them again only inside the
    # look-back (the page counts each customer once): never a customer from before.
    again = _poll(client, changes["cursor"], shown)
    assert set(again["entered"]) <= {created.pk, released.pk, runs_out.pk}


def test_a_late_commit_behind_the_cursor_is_still_seen(rep, teammate, make_lead):
    """Ids are handed out before commit: an event with a lower id than the cursor may commit
    after the poll that moved the cursor past it."""
    lead = make_lead(actor=teammate)
    cursor = get_pool_cursor()
    release_lead(lead_id=lead.pk, actor=teammate, reason="late")
    event = OwnershipEvent.objects.filter(lead=lead).latest("id")
    ahead = Cursor(
        rendered_at=cursor.rendered_at,
        event_id=event.id + OVERLAP - 1,
        lead_id=cursor.lead_id,
        asked_at=cursor.asked_at,
    )
    assert get_pool_changes(user=rep, cursor=ahead, shown=[]).entered == [lead.pk]


def test_the_badge_follows_the_pages_filters(client, rep, admin_user, make_lead):
    make_lead(city="杭州")
    client.force_login(rep)
    cursor, shown = _open_pool(client, "?city=杭州")
    in_city = make_lead(actor=admin_user, city="杭州")
    make_lead(actor=admin_user, city="苏州")

    assert _poll(client, cursor, shown, "city=杭州&")["entered"] == [in_city.pk]


def test_other_pools_stay_unknown(client, rep, outsider, other_manager, make_lead):
    """An id from another team's pool says nothing: no name, no owner, never 'entered'."""
    foreign = make_lead(actor=other_manager, pool_team_id=outsider.team_id)
    claim_lead(lead_id=foreign.pk, actor=outsider)
    client.force_login(rep)
    cursor, _ = _open_pool(client)
    newcomer = make_lead(actor=other_manager, pool_team_id=outsider.team_id)

    changes = _poll(client, cursor, [foreign.pk])
    assert changes["taken"] == [
        {"id": foreign.pk, "company": "", "owner": None, "status": "No longer in the pool"}
    ]
    assert newcomer.pk not in changes["entered"]


@pytest.mark.parametrize(
    "query",
    [
        "cursor=nonsense&shown=1",
        "cursor=1-2-3&shown=",
        "shown=1",
        "cursor=1-2-3-4&shown=" + ",".join(["1"] * 101),
    ],
)
def test_a_bad_poll_is_a_400_with_a_code(client, rep, query):
    client.force_login(rep)
    response = client.get(f"/leads/pool/changes/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_anonymous_polls_go_to_sign_in(client):
    response = client.get("/leads/pool/changes/?cursor=1-2-3-4&shown=")
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post("/leads/pool/changes/").status_code in (302, 405)


def test_a_poll_costs_a_bounded_number_of_queries(client, rep, teammate, admin_user, make_lead):
    leads = [make_lead() for _ in range(25)]
    client.force_login(rep)
    cursor, shown = _open_pool(client)
    for lead in leads[:5]:
        claim_lead(lead_id=lead.pk, actor=teammate)
    for _ in range(3):
        make_lead(actor=admin_user)

    with CaptureQueriesContext(connection) as queries:
        changes = _poll(client, cursor, shown)
    assert len(changes["taken"]) == 5 and len(changes["entered"]) == 3
    # The session, the user, the changes after the cursors (PREPAREd first on a new
    # PostgreSQL connection) and the rows with their live owners: whatever the number of rows
    # and changes.
    assert len(queries) <= 5, [q["sql"] for q in queries]
