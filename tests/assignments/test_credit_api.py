"""Credit (业绩) through the API and the pages: a win credits whoever the ownership history
shows as the owner at that instant (nobody for a pool customer, for its pool's manager to
settle); only an admin corrects, and a manager settles a win that credited nobody — always by
appending reversals and new shares that add up to the deal. My results shows a rep's credit
by month and currency."""

import re
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Notification, User
from assignments import services
from assignments.models import Credit, OwnershipEvent

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def frozen(at: datetime):
    """Every `timezone.now()` of the application answers `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def won_deal(lead, actor, *, amount="1000.00", currency="CNY", title="Annual licence"):
    deal = services.create_deal(
        lead_id=lead.pk, actor=actor, title=title, amount=Decimal(amount), currency=currency
    )
    return services.win_deal(deal_id=deal.pk, actor=actor)


def won_at(moment, make_lead, owner, **deal):
    """A customer created by `owner` an hour before `moment`, whose deal is won at `moment`."""
    with frozen(moment - timedelta(hours=1)):
        lead = make_lead(actor=owner)
    with frozen(moment):
        return won_deal(lead, owner, **deal)


def pool_win(make_lead, manager, team, amount="800.00"):
    lead = make_lead(pool_team_id=team.pk)
    return won_deal(lead, manager, amount=amount)


def correct(api, user, deal, shares, reason="Agreed at the sales meeting"):
    return api(user).post(
        f"/api/v1/deals/{deal.pk}/credits/",
        {"shares": [{"rep": r.pk, "share": s} for r, s in shares], "reason": reason},
        format="json",
    )


def ledger(deal):
    return list(
        Credit.objects.filter(deal=deal)
        .order_by("at", "id")
        .values_list("kind", "rep_id", "share", "amount")
    )


def net(deal):
    totals: dict = {}
    for _kind, rep_id, share, amount in ledger(deal):
        share_sum, amount_sum = totals.get(rep_id, (Decimal(0), Decimal(0)))
        totals[rep_id] = (share_sum + share, amount_sum + amount)
    return {rep: value for rep, value in totals.items() if value != (0, 0)}


# --- the win's entry ------------------------------------------------------------------------
def test_a_win_credits_the_creator_by_the_assign_record(api, rep, team, make_lead):
    lead = make_lead(actor=rep)
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Licence", amount=12000)
    api(rep).post(f"/api/v1/deals/{deal.pk}/win/", {}, format="json")
    deal.refresh_from_db()
    assign = OwnershipEvent.objects.get(lead=lead, kind="assign")

    entries = api(rep).get(f"/api/v1/deals/{deal.pk}/credits/").json()["results"]

    assert len(entries) == 1
    entry = entries[0]
    assert entry["rep"] == {"id": rep.pk, "display_name": "Alice Rep"}
    assert (entry["kind"], entry["share"], entry["amount"], entry["currency"]) == (
        "win",
        "100.00",
        "12000.00",
        "CNY",
    )
    assert (entry["ownership_event"], entry["team"], entry["reverses"], entry["actor"]) == (
        assign.pk,
        team.pk,
        None,
        None,
    )
    assert entry["deal"] == {"id": deal.pk, "title": "Licence"}
    assert Credit.objects.get(deal=deal).won_at == deal.closed_at


def test_a_claimed_customer_is_credited_by_the_claim_record(rep, make_lead):
    lead = make_lead()
    services.claim_lead(lead_id=lead.pk, actor=rep)

    deal = won_deal(lead, rep, amount="5000")

    credit = Credit.objects.get(deal=deal)
    assert credit.rep == rep
    assert credit.ownership_event == OwnershipEvent.objects.get(lead=lead, kind="claim")


def test_after_a_reassignment_the_new_owner_is_credited_whoever_wins(
    rep, teammate, manager, make_lead
):
    lead = make_lead(actor=rep)
    services.reassign_lead(lead_id=lead.pk, actor=manager, to_user_id=teammate.pk, reason="Leave")

    deal = won_deal(lead, manager)

    credit = Credit.objects.get(deal=deal)
    assert credit.rep == teammate
    assert credit.ownership_event == OwnershipEvent.objects.get(lead=lead, kind="reassign")
    assert not Credit.objects.filter(rep=rep).exists()


def test_after_a_release_and_a_new_claim_the_new_owner_is_credited(rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    services.release_lead(lead_id=lead.pk, actor=rep, reason="Not my region")
    services.claim_lead(lead_id=lead.pk, actor=teammate)

    deal = won_deal(lead, teammate)

    credit = Credit.objects.get(deal=deal)
    assert (credit.rep, credit.ownership_event.kind, credit.ownership_event.to_owner) == (
        teammate,
        "claim",
        teammate,
    )


# --- wins nobody owned, and settling them ---------------------------------------------------
def test_a_pool_win_credits_nobody_and_waits_for_the_pool_manager(
    client, rep, manager, other_manager, team, make_lead
):
    deal = pool_win(make_lead, manager, team)

    credit = Credit.objects.get(deal=deal)
    assert (credit.rep, credit.team, credit.share, credit.amount) == (
        None,
        team,
        Decimal("100"),
        Decimal("800"),
    )
    assert Notification.objects.filter(user=manager, kind="credit_unsettled").count() == 1

    client.force_login(manager)
    page = client.get("/results/unsettled/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="unsettled-deal"') == 1
    assert deal.lead.company_name in page.content.decode()

    for outsider_of_that_pool in (other_manager, rep):
        client.force_login(outsider_of_that_pool)
        page = client.get("/results/unsettled/")
        assert page.status_code == 200
        assert 'data-testid="unsettled-deal"' not in page.content.decode()


def test_the_pool_manager_settles_a_win_that_credited_nobody(
    api, client, rep, teammate, manager, team, make_lead
):
    deal = pool_win(make_lead, manager, team, amount="800.00")
    nobody = Credit.objects.get(deal=deal)

    response = correct(api, manager, deal, [(rep, "75"), (teammate, "25")])

    assert response.status_code == 201, response.content
    written = response.json()["results"]
    assert [(e["kind"], e["rep"] and e["rep"]["id"]) for e in written] == [
        ("reversal", None),
        ("correction", rep.pk),
        ("correction", teammate.pk),
    ]
    reversal = written[0]
    assert (reversal["share"], reversal["amount"], reversal["reverses"]) == (
        "-100.00",
        "-800.00",
        nobody.pk,
    )
    assert [e["amount"] for e in written[1:]] == ["600.00", "200.00"]
    assert all(e["actor"] == manager.pk for e in written)
    assert all(e["reason"] == "Agreed at the sales meeting" for e in written)
    assert net(deal) == {
        rep.pk: (Decimal("75"), Decimal("600")),
        teammate.pk: (Decimal("25"), Decimal("200")),
    }
    # Corrections count at the win, with the rep's team.
    for entry in Credit.objects.filter(deal=deal):
        assert entry.won_at == nobody.won_at
    assert set(Credit.objects.filter(kind="correction").values_list("team", flat=True)) == {team.pk}
    client.force_login(manager)
    assert 'data-testid="unsettled-deal"' not in client.get("/results/unsettled/").content.decode()


def test_only_the_pool_manager_or_an_admin_settles_and_only_with_their_reps(
    api, rep, teammate, outsider, manager, other_manager, team, make_lead
):
    deal = pool_win(make_lead, manager, team)
    before = ledger(deal)

    for user in (rep, teammate, other_manager):
        refused = correct(api, user, deal, [(rep, "100")])
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == "permission_denied"
    foreign = correct(api, manager, deal, [(outsider, "100")])
    assert foreign.status_code == 403, foreign.content
    assert foreign.json()["code"] == "out_of_scope"

    assert ledger(deal) == before


def test_a_manager_cannot_correct_a_win_that_credited_someone(
    api, rep, teammate, manager, make_lead
):
    lead = make_lead(actor=rep)
    deal = won_deal(lead, rep)
    before = ledger(deal)

    response = correct(api, manager, deal, [(teammate, "100")])

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert ledger(deal) == before


# --- corrections ----------------------------------------------------------------------------
def test_an_admin_splits_a_win_to_the_cent(api, rep, teammate, outsider, admin_user, make_lead):
    lead = make_lead(actor=rep)
    deal = won_deal(lead, rep, amount="100.00")
    win = Credit.objects.get(deal=deal)

    response = correct(
        api, admin_user, deal, [(rep, "33.33"), (teammate, "33.33"), (outsider, "33.34")]
    )

    assert response.status_code == 201, response.content
    corrections = Credit.objects.filter(deal=deal, kind="correction")
    amounts = {c.rep_id: c.amount for c in corrections}
    assert amounts == {
        rep.pk: Decimal("33.33"),
        teammate.pk: Decimal("33.33"),
        outsider.pk: Decimal("33.34"),
    }
    assert sum(amounts.values()) == Decimal("100.00")
    reversal = Credit.objects.get(deal=deal, kind="reversal")
    assert (reversal.rep, reversal.share, reversal.amount, reversal.reverses) == (
        rep,
        Decimal("-100"),
        Decimal("-100"),
        win,
    )
    assert sum(Credit.objects.filter(deal=deal).values_list("amount", flat=True)) == Decimal(
        "100.00"
    )


@pytest.mark.parametrize(
    ("amount", "shares"),
    [
        ("1000.01", ["33.33", "33.33", "33.34"]),
        ("10.00", ["33.33", "33.33", "33.34"]),
        ("0.05", ["50", "25", "25"]),
        ("99999.99", ["12.5", "12.5", "75"]),
    ],
)
def test_split_amounts_always_add_up_to_the_deal(
    api, rep, teammate, outsider, admin_user, make_lead, amount, shares
):
    lead = make_lead(actor=rep)
    deal = won_deal(lead, rep, amount=amount)

    response = correct(
        api, admin_user, deal, list(zip((rep, teammate, outsider), shares, strict=True))
    )

    assert response.status_code == 201, response.content
    corrections = list(Credit.objects.filter(deal=deal, kind="correction"))
    assert sum(c.amount for c in corrections) == Decimal(amount)
    assert sum(c.share for c in corrections) == Decimal("100")
    for c in corrections:  # each within a cent of its exact share
        assert abs(c.amount - Decimal(amount) * c.share / 100) <= Decimal("0.01")


def test_a_second_correction_reverses_the_first(api, rep, teammate, admin_user, make_lead):
    lead = make_lead(actor=rep)
    deal = won_deal(lead, rep, amount="900")
    correct(api, admin_user, deal, [(rep, "50"), (teammate, "50")])
    first = {c.rep_id: c.pk for c in Credit.objects.filter(deal=deal, kind="correction")}

    response = correct(api, admin_user, deal, [(teammate, "100")], reason="Bob closed it alone")

    assert response.status_code == 201, response.content
    reversals = Credit.objects.filter(deal=deal, kind="reversal", reason="Bob closed it alone")
    assert sorted(r.reverses_id for r in reversals) == sorted(first.values())
    assert net(deal) == {teammate.pk: (Decimal("100"), Decimal("900"))}
    listed = api(admin_user).get(f"/api/v1/deals/{deal.pk}/credits/").json()["results"]
    assert [e["kind"] for e in listed] == [
        "win",
        "reversal",
        "correction",
        "correction",
        "reversal",
        "reversal",
        "correction",
    ]


@pytest.mark.parametrize(
    "case",
    ["sum-99", "sum-101", "same-rep-twice", "admin", "inactive", "nobody", "zero", "no-reason"],
)
def test_bad_shares_are_400_and_write_nothing(api, rep, teammate, admin_user, make_lead, case):
    lead = make_lead(actor=rep)
    deal = won_deal(lead, rep)
    before = ledger(deal)
    shares = {
        "sum-99": [(rep.pk, "50"), (teammate.pk, "49")],
        "sum-101": [(rep.pk, "50"), (teammate.pk, "51")],
        "same-rep-twice": [(rep.pk, "50"), (rep.pk, "50")],
        "admin": [(admin_user.pk, "100")],
        "inactive": [(teammate.pk, "100")],
        "nobody": [(987654, "100")],
        "zero": [(rep.pk, "100"), (teammate.pk, "0")],
        "no-reason": [(rep.pk, "100")],
    }[case]
    if case == "inactive":
        User.objects.filter(pk=teammate.pk).update(is_active=False)

    response = api(admin_user).post(
        f"/api/v1/deals/{deal.pk}/credits/",
        {
            "shares": [{"rep": r, "share": s} for r, s in shares],
            "reason": "" if case == "no-reason" else "fix",
        },
        format="json",
    )

    assert response.status_code == 400, response.content
    # A share of 0 and a missing reason are refused by the input's shape ("invalid").
    expected = "invalid" if case in ("zero", "no-reason") else "invalid_shares"
    assert response.json()["code"] == expected
    assert ledger(deal) == before


def test_only_a_won_deal_has_credit_to_correct(api, rep, admin_user, make_lead):
    lead = make_lead(actor=rep)
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Open", amount=10)

    response = correct(api, admin_user, deal, [(rep, "100")])
    missing = api(admin_user).post(
        "/api/v1/deals/987654/credits/",
        {"shares": [{"rep": rep.pk, "share": "100"}], "reason": "x"},
        format="json",
    )

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "deal_closed"
    assert missing.status_code == 404
    assert not Credit.objects.exists()


def test_a_deals_credit_is_read_only_by_those_who_see_the_customer(
    api, rep, teammate, manager, outsider, make_lead
):
    deal = won_deal(make_lead(actor=rep), rep)

    assert api(manager).get(f"/api/v1/deals/{deal.pk}/credits/").status_code == 200
    for user in (teammate, outsider):
        response = api(user).get(f"/api/v1/deals/{deal.pk}/credits/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_the_ledger_is_append_only_in_the_database(rep, make_lead, on_postgres):
    from django.db import DatabaseError, IntegrityError, transaction

    deal = won_deal(make_lead(actor=rep), rep, amount="500")
    entry = Credit.objects.get(deal=deal)
    if not on_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's")

    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.filter(pk=entry.pk).update(amount=Decimal("5000"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Credit.objects.filter(pk=entry.pk).delete()
    assert Credit.objects.get(pk=entry.pk).amount == Decimal("500")


# --- the list of entries --------------------------------------------------------------------
def listed(api, user, query=""):
    response = api(user).get(f"/api/v1/credits/{query}")
    assert response.status_code == 200, response.content
    return sorted(e["deal"]["id"] for e in response.json()["results"])


def test_who_sees_which_entries(
    api, rep, teammate, outsider, manager, other_manager, admin_user, team, make_lead
):
    mine = won_deal(make_lead(actor=rep), rep)
    mate = won_deal(make_lead(actor=teammate), teammate)
    south = won_deal(make_lead(actor=outsider), outsider)
    pool = pool_win(make_lead, manager, team)

    assert listed(api, rep) == [mine.pk]
    assert listed(api, teammate) == [mate.pk]
    assert listed(api, outsider) == [south.pk]
    assert listed(api, manager) == sorted([mine.pk, mate.pk, pool.pk])
    assert listed(api, other_manager) == [south.pk]
    assert listed(api, admin_user) == sorted([mine.pk, mate.pk, south.pk, pool.pk])
    # Filters narrow, never widen.
    assert listed(api, manager, f"?rep={teammate.pk}") == [mate.pk]
    assert listed(api, rep, f"?rep={teammate.pk}") == []
    assert listed(api, admin_user, f"?team={team.pk}") == sorted([mine.pk, mate.pk, pool.pk])
    assert listed(api, manager, f"?team={outsider.team_id}") == []


def test_dates_are_inclusive_days_of_the_win_in_local_time(api, rep, admin_user, make_lead):
    # 23:30 on 31 March and 00:30 on 1 April in Shanghai: both 31 March in UTC.
    late = won_at(datetime(2025, 3, 31, 23, 30, tzinfo=SHANGHAI), make_lead, rep)
    early = won_at(datetime(2025, 4, 1, 0, 30, tzinfo=SHANGHAI), make_lead, rep)

    assert listed(api, rep, "?from=2025-03-31&to=2025-03-31") == [late.pk]
    assert listed(api, rep, "?from=2025-04-01&to=2025-04-01") == [early.pk]
    assert listed(api, rep, "?to=2025-03-31") == [late.pk]
    assert listed(api, rep, "?from=2025-04-01") == [early.pk]
    assert listed(api, rep, "?from=2025-03-31&to=2025-04-01") == sorted([late.pk, early.pk])
    assert listed(api, rep, "?from=2025-04-02") == []
    assert api(rep).get("/api/v1/credits/?from=yesterday").status_code == 400
    # A correction made today still counts on the day of the win.
    correct(api, admin_user, late, [(rep, "100")], reason="Re-issued")
    assert listed(api, rep, "?from=2025-03-31&to=2025-03-31") == [late.pk] * 3
    assert listed(api, rep, f"?from={datetime.now(SHANGHAI).date()}") == []


# --- My results -----------------------------------------------------------------------------
def _cells(row_html):
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)
    ]


def month_rows(html):
    return [_cells(row) for row in re.findall(r'<tr data-testid="month">(.*?)</tr>', html, re.S)]


def deal_rows(html):
    rows = re.findall(r'<tr data-testid="credited-deal">(.*?)</tr>', html, re.S)
    return [_cells(row) for row in rows]


def results_page(client, user):
    client.force_login(user)
    response = client.get("/results/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_my_results_by_month_and_currency(client, rep, teammate, make_lead):
    # 20:00 UTC on 31 January is 04:00 on 1 February in Shanghai: a February win.
    january = won_at(
        datetime(2025, 1, 10, 10, tzinfo=SHANGHAI), make_lead, rep, amount="1000", title="Pilot"
    )
    february_cny = won_at(
        datetime(2025, 1, 31, 20, tzinfo=ZoneInfo("UTC")),
        make_lead,
        rep,
        amount="2500.50",
        title="Roll-out",
    )
    february_usd = won_at(
        datetime(2025, 2, 20, 9, tzinfo=SHANGHAI),
        make_lead,
        rep,
        amount="700",
        currency="USD",
        title="Support",
    )
    won_at(
        datetime(2025, 2, 21, 9, tzinfo=SHANGHAI), make_lead, teammate, amount="99999", title="Big"
    )

    html = results_page(client, rep)

    rows = month_rows(html)
    assert [(r[0], r[2]) for r in rows] == [
        ("February 2025", "1"),
        ("February 2025", "1"),
        ("January 2025", "1"),
    ]
    february = {r[1]: r[3] for r in rows[:2]}
    assert "2,500.50" in february["Chinese Yuan"]
    assert "700.00" in february["US Dollar"]
    assert "1,000.00" in rows[2][3]
    assert "99,999" not in html  # a teammate's win is not mine
    titles = {r[1] for r in deal_rows(html)}
    assert len(deal_rows(html)) == 3
    assert titles == {january.title, february_cny.title, february_usd.title}
    assert {Decimal(r[3].rstrip("%")) for r in deal_rows(html)} == {Decimal("100")}


def test_my_results_follow_corrections(api, client, rep, teammate, admin_user, make_lead):
    moment = datetime(2025, 5, 6, 11, tzinfo=SHANGHAI)
    kept = won_at(moment, make_lead, rep, amount="1000", title="Kept")
    moved = won_at(moment + timedelta(days=1), make_lead, rep, amount="4000", title="Moved")
    correct(api, admin_user, moved, [(teammate, "100")], reason="Bob's customer in truth")

    mine = results_page(client, rep)
    theirs = results_page(client, teammate)

    assert [r[1] for r in deal_rows(mine)] == [kept.title]
    assert [r[1] for r in deal_rows(theirs)] == [moved.title]
    my_months = month_rows(mine)
    assert len(my_months) == 1 and "1,000.00" in my_months[0][3]
    their_months = month_rows(theirs)
    assert [(r[0], r[2]) for r in their_months] == [("May 2025", "1")]
    assert "4,000.00" in their_months[0][3]


def test_a_deal_corrected_away_is_not_counted_among_my_won_deals(
    api, client, rep, teammate, admin_user, make_lead
):
    moment = datetime(2025, 5, 6, 11, tzinfo=SHANGHAI)
    won_at(moment, make_lead, rep, amount="1000", title="Kept")
    moved = won_at(moment + timedelta(days=1), make_lead, rep, amount="4000", title="Moved")
    correct(api, admin_user, moved, [(teammate, "100")], reason="Bob's customer in truth")

    my_months = month_rows(results_page(client, rep))

    # One deal credited in May (the moved one's +4000 and -4000 net to nothing).
    assert [(r[0], r[2]) for r in my_months] == [("May 2025", "1")]


def test_a_manager_sees_the_way_to_settle_and_a_rep_does_not(client, rep, manager):
    assert "/results/unsettled/" in results_page(client, manager)
    assert "/results/unsettled/" not in results_page(client, rep)


def test_the_results_pages_need_a_login(client):
    for url in ("/results/", "/results/unsettled/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
