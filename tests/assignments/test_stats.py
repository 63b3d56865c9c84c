"""The dashboard's numbers (经理看板) against figures counted by hand from the fixed history of
stats_world.py (read its comments: each record says which week it falls in). The expected
values are written out here, not recomputed."""

import pytest

from tests.assignments.stats_world import CREDIT_RANGE, RANGE, build, open_claims

pytestmark = pytest.mark.django_db

W1, W2, W3 = "2026-03-02", "2026-03-09", "2026-03-16"


@pytest.fixture
def sw(team, other_team, manager, other_manager, rep, teammate, outsider, admin_user):
    return build(
        team=team,
        other_team=other_team,
        manager=manager,
        other_manager=other_manager,
        rep=rep,
        teammate=teammate,
        outsider=outsider,
        admin_user=admin_user,
    )


def stat(api, user, name, **params):
    response = api(user).get(f"/api/v1/stats/{name}/", {**RANGE, **params})
    assert response.status_code == 200, response.content
    return response.json()


def series(body) -> dict:
    return {s["key"]: s["data"] for s in body["series"]}


# --- collisions blocked per week, by kind -----------------------------------------------------
def test_collisions_for_an_admin_count_every_refusal_in_the_range(api, sw):
    body = stat(api, sw.admin, "collisions")
    assert body["labels"] == [W1, W2, W3]
    assert series(body) == {
        "already_owned": [1, 1, 0],
        "duplicate_owned": [1, 0, 0],
        "duplicate_in_pool": [0, 0, 1],
        "duplicate_own": [0, 0, 0],
        "possible_duplicate": [0, 0, 0],  # the one possible duplicate was confirmed
    }
    assert [(r["week"], r["total"]) for r in body["rows"]] == [(W1, 2), (W2, 1), (W3, 1)]
    assert body["summary"] == {"blocked": 4}


def test_collisions_of_a_managers_team_are_those_its_people_took_part_in(api, sw):
    east = stat(api, sw.manny, "collisions")
    assert series(east)["already_owned"] == [1, 0, 0]
    assert series(east)["duplicate_owned"] == [1, 0, 0]
    assert series(east)["duplicate_in_pool"] == [0, 0, 1]
    assert east["summary"] == {"blocked": 3}
    south = stat(api, sw.admin, "collisions", team=sw.south.pk)
    assert series(south)["already_owned"] == [1, 1, 0]
    assert south["summary"] == {"blocked": 2}
    assert south["team"] == sw.south.pk


# --- transfer requests and disputes -----------------------------------------------------------
def test_requests_counts_medians_and_the_oldest_waiting(api, sw):
    body = stat(api, sw.admin, "requests")
    assert series(body) == {"transfers": [2, 2, 1], "disputes": [1, 0, 1]}
    assert body["summary"] == {
        "transfers_filed": 5,
        "transfers_decided": 3,  # approved or rejected: 12 h, 48 h, 6 h
        "transfers_median_hours": 12.0,
        "transfers_open": 2,
        "disputes_filed": 2,
        "disputes_decided": 1,
        "disputes_median_hours": 48.0,
        "disputes_open": 1,
    }
    assert [(r["type"], r["customer"]) for r in body["rows"]] == [
        ("transfer", "T5"),
        ("transfer", "T4"),
        ("dispute", "D2"),
    ]
    assert body["rows"][0]["asked_by"] == "Charlie Rep" and body["rows"][0]["owner"] == "Olga"


def test_requests_of_a_team_and_an_even_median(api, sw):
    east = stat(api, sw.manny, "requests")
    assert series(east)["transfers"] == [2, 2, 1]
    assert east["summary"]["transfers_open"] == 1  # T5 is South's alone
    assert [r["customer"] for r in east["rows"]] == ["T4", "D2"]
    # Only the first week: T1 (12 h) and T2 (48 h) decided: the median of two is their mean.
    first_week = stat(api, sw.admin, "requests", to="2026-03-08")
    assert first_week["summary"]["transfers_decided"] == 2
    assert first_week["summary"]["transfers_median_hours"] == 30.0
    assert first_week["summary"]["disputes_median_hours"] == 48.0
    nothing = stat(api, sw.admin, "requests", **{"from": "2025-01-06", "to": "2025-01-12"})
    assert nothing["summary"]["transfers_median_hours"] is None


# --- activity per rep per week ----------------------------------------------------------------
def test_activity_per_rep_per_week(api, sw):
    body = stat(api, sw.admin, "activity")
    assert series(body) == {
        "claims": [2, 1, 1],
        "releases": [1, 0, 0],
        "expiries": [0, 1, 1],
        "followups": [2, 1, 1],
    }
    per_rep = {
        r["rep"]: (r["claims"], r["releases"], r["expiries"], r["followups"]) for r in body["rows"]
    }
    assert per_rep == {
        "Alice Rep": (2, 1, 0, 2),
        "Bob Rep": (1, 0, 1, 1),
        "Charlie Rep": (1, 0, 1, 1),
    }
    bob = next(r for r in body["rows"] if r["rep"] == "Bob Rep")
    assert bob["weeks"] == [{"week": W2, "claims": 1, "releases": 0, "expiries": 1, "followups": 1}]
    assert body["summary"] == {"claims": 4, "releases": 1, "expiries": 2, "followups": 4}


def test_activity_of_a_team(api, sw):
    east = stat(api, sw.manny, "activity")
    assert series(east) == {
        "claims": [2, 1, 0],
        "releases": [1, 0, 0],
        "expiries": [0, 1, 0],
        "followups": [2, 1, 0],
    }
    assert [r["rep"] for r in east["rows"]] == ["Alice Rep", "Bob Rep"]


# --- claims expiring in the next 48 hours -----------------------------------------------------
def test_expiring_claims_skip_won_customers_and_past_protection(api, sw):
    open_claims(sw)
    body = stat(api, sw.admin, "expiring")
    assert [r["customer"] for r in body["rows"]] == ["P1", "P6", "P2"]
    assert body["summary"] == {"expiring": 3}
    assert sorted(zip(body["labels"], series(body)["claims"], strict=True)) == [
        ("Alice Rep", 1),
        ("Bob Rep", 1),
        ("Charlie Rep", 1),
    ]
    assert 1.9 <= body["rows"][0]["hours_left"] <= 2.0
    east = stat(api, sw.manny, "expiring")
    assert [r["customer"] for r in east["rows"]] == ["P1", "P2"]


# --- pool inflow and outflow ------------------------------------------------------------------
def test_pool_flow_per_week(api, sw):
    body = stat(api, sw.admin, "pool-flow")
    rows = [
        [r[k] for k in ("released", "expired", "moved_in", "inflow")]
        + [r[k] for k in ("claimed", "moved_out", "outflow", "net")]
        for r in body["rows"]
    ]
    assert rows == [
        [1, 0, 0, 1, 2, 0, 2, -1],
        [0, 1, 0, 1, 1, 1, 2, -1],
        [0, 1, 1, 2, 1, 0, 1, 1],
    ]
    assert series(body) == {"inflow": [1, 1, 2], "outflow": [2, 2, 1], "net": [-1, -1, 1]}
    assert body["summary"] == {"inflow": 4, "outflow": 5, "net": -1}


def test_pool_flow_of_a_team(api, sw):
    east = stat(api, sw.manny, "pool-flow")
    assert series(east) == {"inflow": [1, 1, 1], "outflow": [2, 1, 0], "net": [-1, 0, 1]}
    assert east["summary"] == {"inflow": 3, "outflow": 3, "net": 0}


# --- the funnel -------------------------------------------------------------------------------
def test_funnel_counts_the_furthest_stage_each_customer_reached(api, sw):
    body = stat(api, sw.admin, "funnel")
    assert [(r["stage"], r["leads"], r["of_previous"], r["of_new"]) for r in body["rows"]] == [
        ("new", 4, None, None),
        ("contacted", 4, 100.0, 100.0),
        ("qualified", 3, 75.0, 75.0),
        ("won", 1, 33.3, 25.0),
    ]
    assert series(body) == {"leads": [4, 4, 3, 1]}
    assert body["summary"] == {"won_of_new": 25.0}


def test_funnel_of_a_team(api, sw):
    east = stat(api, sw.manny, "funnel")
    assert [(r["leads"], r["of_previous"]) for r in east["rows"]] == [
        (2, None),
        (3, 150.0),
        (2, 66.7),
        (0, 0.0),
    ]


# --- won amount per rep per month -------------------------------------------------------------
def test_won_amounts_per_rep_per_month_net_of_corrections(api, sw):
    body = stat(api, sw.admin, "won", **CREDIT_RANGE)
    assert body["labels"] == ["2026-02", "2026-03", "2026-04"]
    rows = [
        (r["rep"], r["currency"], r["m2026-02"], r["m2026-03"], r["m2026-04"], r["total"])
        for r in body["rows"]
    ]
    assert rows == [
        ("Alice Rep", "CNY", "1000.00", "1500.00", "0.00", "2500.00"),
        ("Bob Rep", "CNY", "0.00", "1000.00", "0.00", "1000.00"),
        ("Nobody (to settle)", "CNY", "0.00", "0.00", "800.00", "800.00"),
        ("Charlie Rep", "USD", "0.00", "0.00", "300.00", "300.00"),
    ]
    assert body["summary"] == {"total_CNY": "4300.00", "total_USD": "300.00"}
    # The chart: the currency with the largest total (CNY), rep by rep.
    assert series(body)[f"rep-{sw.alice.pk}"] == [1000.0, 1500.0, 0.0]
    assert "rep-0" in series(body) and len(body["series"]) == 3


def test_won_of_a_team_reads_the_team_of_the_win(api, sw):
    east = stat(api, sw.manny, "won", **CREDIT_RANGE)
    assert [(r["rep"], r["total"]) for r in east["rows"]] == [
        ("Alice Rep", "2500.00"),
        ("Bob Rep", "1000.00"),
    ]
    assert east["summary"] == {"total_CNY": "3500.00"}


def test_every_statistic_answers_for_an_empty_range(api, sw):
    for name in ("collisions", "requests", "activity", "expiring", "pool-flow", "funnel", "won"):
        body = stat(api, sw.admin, name, **{"from": "2025-01-06", "to": "2025-01-12"})
        assert body["name"] == name and body["from"] == "2025-01-06"
