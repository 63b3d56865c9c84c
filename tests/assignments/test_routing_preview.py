"""The preview of an edited rule set (分配规则预览): how the last customers created would be
routed, next to what happened to each — counts per target and the differences, worked out
by hand below — without writing anything."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AwayPeriod
from assignments import services
from assignments.exceptions import InvalidRule
from assignments.models import Ownership, OwnershipEvent, RoutingState, TerritoryRule
from assignments.selectors.routing_preview import preview_routing
from leads.models import Lead

URL = "/api/v1/territory-rules/preview/"


def zhejiang_east(team) -> dict:
    return {
        "name": "江浙",
        "conditions": [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}],
        "target": {"kind": "round_robin", "team": team.pk},
    }


def shanghai_south(other_team) -> dict:
    return {
        "name": "上海",
        "conditions": [{"field": "city", "op": "equals", "value": "上海"}],
        "target": {"kind": "team_pool", "team": other_team.pk},
    }


@pytest.fixture
def history(admin_user, manager, rep, teammate, outsider, team, other_team, make_lead):
    """Six customers, oldest first:
    L1 浙江, by the admin before any rule: public pool.
    L2 江苏, by Alice herself: Alice.
    L3 浙江, by the admin into South's pool: South's pool.
    L4 上海, by the admin for Charlie: Charlie.
    -- the rule "浙江 → East, round robin" is saved --
    L5 浙江, by the manager: routed to Alice (East's first rep; East's cursor now on her).
    L6 广东, by the admin: no rule matches, routed to the public pool.
    """
    leads = [
        make_lead(actor=admin_user, province="浙江省"),
        make_lead(actor=rep, province="江苏"),
        make_lead(actor=admin_user, province="浙江", pool_team_id=other_team.pk),
        make_lead(actor=admin_user, city="上海", owner_id=outsider.pk),
    ]
    services.create_rule(
        actor=admin_user,
        name="浙江",
        conditions=[{"field": "province", "op": "equals", "value": "浙江"}],
        target={"kind": "round_robin", "team": team.pk},
    )
    leads.append(make_lead(actor=manager, province="Zhejiang"))
    leads.append(make_lead(actor=admin_user, province="广东"))
    assert Ownership.objects.get(lead=leads[4]).owner == rep
    return leads


def target(kind, *, rep=None, team=None):
    return {
        "kind": kind,
        "rep": rep.pk if rep else None,
        "rep_name": rep.display_name if rep else "",
        "team": team.pk if team else (rep.team_id if rep else None),
        "team_name": team.name if team else (rep.team.name if rep else ""),
    }


def counts(preview):
    return [(row["target"], row["proposed"], row["actual"]) for row in preview["targets"]]


def proposed_counts(preview):
    return {
        (t["kind"], t["team_name"], t["rep_name"]): row["proposed"]
        for row in preview["targets"]
        if row["proposed"]
        for t in [row["target"]]
    }


def differences(preview):
    return [(d["lead"], d["actual"]["kind"], d["proposed"]["kind"]) for d in preview["differences"]]


def test_an_edited_rule_set_against_what_happened(
    history, rep, teammate, outsider, team, other_team
):
    """Edited: 江浙 → East round robin, then 上海 → South's pool. From East's cursor (Alice)
    and oldest first: L1 Bob, L2 Alice, L3 Bob, L4 South's pool, L5 Alice, L6 no rule."""
    l1, l2, l3, l4, l5, l6 = history
    preview = preview_routing(rules=[zhejiang_east(team), shanghai_south(other_team)])
    assert (preview["count"], preview["rules"]) == (6, 2)
    assert counts(preview) == [
        (target("rep", rep=rep), 2, 2),  # L2, L5 / L2, L5
        (target("rep", rep=teammate), 2, 0),  # L1, L3
        (target("rep", rep=outsider), 0, 1),  # L4
        (target("team_pool", team=other_team), 1, 1),  # L4 / L3
        (target("public_pool"), 1, 2),  # L6 / L1, L6
    ]
    # Newest first; L2 and L5 stay with Alice, L6 in the public pool.
    assert differences(preview) == [
        (l4.pk, "rep", "team_pool"),
        (l3.pk, "team_pool", "rep"),
        (l1.pk, "public_pool", "rep"),
    ]
    l4_row, l3_row, l1_row = preview["differences"]
    assert (l1_row["proposed"]["rep_name"], l1_row["rule"]["name"]) == ("Bob Rep", "江浙")
    assert l1_row["company_name"] == l1.company_name
    assert (l3_row["actual"]["team_name"], l3_row["proposed"]["rep_name"]) == ("South", "Bob Rep")
    assert (l4_row["actual"]["rep_name"], l4_row["proposed"]["team_name"]) == (
        "Charlie Rep",
        "South",
    )
    assert l4_row["actual"]["via"] == "created"
    assert l4_row["rule"]["name"] == "上海"


def test_the_saved_rules_and_another_rep_of_the_same_team_is_no_difference(
    history, rep, teammate, team, other_team
):
    """Saved: 浙江 → East round robin. L1 Bob, L3 Alice, L5 Bob: L5 went to Alice by the
    same rule — another rep of the same team is the same answer, not a difference."""
    l1, l2, l3, l4, l5, l6 = history
    preview = preview_routing()
    assert preview["rules"] == 1
    assert differences(preview) == [
        (l4.pk, "rep", "public_pool"),
        (l3.pk, "team_pool", "rep"),
        (l2.pk, "rep", "public_pool"),
        (l1.pk, "public_pool", "rep"),
    ]
    assert [d["proposed"]["rep_name"] for d in preview["differences"] if d["lead"] == l3.pk] == [
        "Alice Rep"
    ]
    proposed = {row["target"]["rep_name"]: row["proposed"] for row in preview["targets"]}
    assert (proposed["Alice Rep"], proposed["Bob Rep"]) == (1, 2)
    actual_l5 = next(r for r in preview["targets"] if r["target"]["rep"] == rep.pk)
    assert actual_l5["actual"] == 2


def test_the_last_n_only_and_merged_customers_left_out(history, admin_user, team):
    l1, l2, l3, l4, l5, l6 = history
    preview = preview_routing(rules=[zhejiang_east(team)], limit=2)
    assert preview["count"] == 2
    assert differences(preview) == []  # L5 stays in East, L6 in the public pool
    services.merge_leads(survivor_id=l5.pk, merged_id=l6.pk, actor=admin_user)
    preview = preview_routing(rules=[zhejiang_east(team)], limit=2)
    assert differences(preview) == [(l4.pk, "rep", "public_pool")]


def test_away_and_full_reps_are_skipped_as_routing_would(
    history, rep, teammate, team, other_team, set_policy
):
    now = timezone.now()
    AwayPeriod.objects.create(
        user=teammate, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1)
    )
    preview = preview_routing(rules=[zhejiang_east(team)])
    assert {d["proposed"]["rep_name"] for d in preview["differences"]} == {"Alice Rep", ""}
    assert proposed_counts(preview) == {("rep", "East", "Alice Rep"): 4, ("public_pool", "", ""): 2}
    # Alice holds 2 claims; with a limit of 3 she takes one more (L1), then East's pool.
    set_policy(team=team, claim_limit=3)
    preview = preview_routing(rules=[zhejiang_east(team)])
    assert proposed_counts(preview) == {
        ("rep", "East", "Alice Rep"): 1,
        ("team_pool", "East", ""): 3,
        ("public_pool", "", ""): 2,
    }
    assert all(
        d["proposed"]["fallback"]
        for d in preview["differences"]
        if d["proposed"]["kind"] == "team_pool"
    )


def test_a_named_rep_at_capacity_sends_to_their_team_pool(history, rep, team, other_team):
    rep.capacity = 2
    rep.save(update_fields=["capacity"])
    rule = {"name": "Alice", "conditions": [], "target": {"kind": "rep", "rep": rep.pk}}
    preview = preview_routing(rules=[rule])
    assert counts(preview)[-2:] == [
        (target("team_pool", team=other_team), 0, 1),
        (target("public_pool"), 0, 2),
    ]
    assert proposed_counts(preview) == {("team_pool", "East", ""): 6}


def test_inactive_rules_are_left_out_and_no_rule_means_the_public_pool(history, team):
    rule = {**zhejiang_east(team), "active": False}
    preview = preview_routing(rules=[rule])
    assert preview["rules"] == 0
    assert {row["target"]["kind"]: row["proposed"] for row in preview["targets"]}[
        "public_pool"
    ] == 6


def test_the_preview_writes_nothing(history, team, other_team):
    def state():
        return (
            Lead.objects.count(),
            OwnershipEvent.objects.count(),
            Ownership.objects.count(),
            list(RoutingState.objects.values_list("team_id", "last_rep_id", "updated_at")),
            list(TerritoryRule.objects.values_list("id", "version", "updated_at")),
        )

    before = state()
    with CaptureQueriesContext(connection) as queries:
        preview_routing(rules=[zhejiang_east(team), shanghai_south(other_team)])
    assert state() == before
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_queries_do_not_grow_with_the_customers(history, admin_user, team, other_team, make_lead):
    rules = [zhejiang_east(team), shanghai_south(other_team)]
    preview_routing(rules=rules)  # the global policy row exists from now on
    with CaptureQueriesContext(connection) as six:
        preview_routing(rules=rules)
    for province in ["浙江", "江苏", "上海", "广东"] * 5:
        make_lead(actor=admin_user, province=province)
    with CaptureQueriesContext(connection) as twenty_six:
        preview = preview_routing(rules=rules)
    assert preview["count"] == 26
    assert len(twenty_six) == len(six), [q["sql"] for q in twenty_six.captured_queries]


def test_an_invalid_edited_rule_is_named(history, team):
    bad = {"name": "x", "conditions": [], "target": {"kind": "round_robin"}}
    with pytest.raises(InvalidRule) as refused:
        preview_routing(rules=[zhejiang_east(team), bad])
    assert refused.value.message.startswith("Rule 2: ")


# --- over the API ----------------------------------------------------------------------------
def test_preview_over_the_api(api, admin_user, history, team, other_team):
    l1, l2, l3, l4, l5, l6 = history
    client = api(admin_user)
    body = {"rules": [zhejiang_east(team), shanghai_south(other_team)], "limit": 10}
    response = client.post(URL, body, format="json")
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["count"] == 6
    assert [d["lead"] for d in answer["differences"]] == [l4.pk, l3.pk, l1.pk]
    assert answer["differences"][0]["created_at"]
    assert answer["targets"][0] == {
        "target": {
            "kind": "rep",
            "rep": l2.created_by_id,
            "rep_name": "Alice Rep",
            "team": team.pk,
            "team_name": "East",
        },
        "proposed": 2,
        "actual": 2,
    }
    # Rules omitted: the saved set.
    saved = client.post(URL, {}, format="json").json()
    assert (saved["rules"], len(saved["differences"])) == (1, 4)


@pytest.mark.parametrize(
    "body",
    [
        {"rules": "all"},
        {"rules": [{"name": "x", "target": {"kind": "team_pool", "team": 999_999}}]},
        {"limit": 0},
        {"limit": 5000},
    ],
)
def test_a_bad_preview_is_400_invalid_rule(api, admin_user, body):
    response = api(admin_user).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rule"
