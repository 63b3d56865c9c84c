"""The territory rules API (分配规则): admins create, change, reorder and delete rules; each
change is recorded once and bumps what routing reads; an invalid rule is 400 invalid_rule
and changes nothing; managers read; reps and strangers are refused."""

import pytest

from accounts.models import User
from assignments import services
from assignments.models import TerritoryRule, TerritoryRuleChange
from assignments.selectors.territory import list_rules_in_force
from tests.assignments.test_concurrency import codes, run_together
from tests.conftest import make_user

URL = "/api/v1/territory-rules/"
ZHEJIANG = [{"field": "province", "op": "equals", "value": "浙江"}]


def rr(team) -> dict:
    return {"kind": "round_robin", "team": team.pk}


@pytest.fixture
def admin_api(api, admin_user):
    return api(admin_user)


def make_rule(admin, team, name="浙江", **extra):
    return services.create_rule(
        actor=admin,
        name=name,
        conditions=extra.pop("conditions", ZHEJIANG),
        target=extra.pop("target", rr(team)),
        **extra,
    )


def order():
    return list(TerritoryRule.objects.order_by("position", "id").values_list("name", "position"))


def changes():
    return list(TerritoryRuleChange.objects.order_by("id"))


# --- create, read ----------------------------------------------------------------------------
def test_admin_creates_a_rule_and_reads_it_back(admin_api, admin_user, team, rep):
    body = {"name": "浙江 → East", "conditions": ZHEJIANG, "target": rr(team)}
    response = admin_api.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    rule = response.json()
    assert {k: rule[k] for k in ("name", "position", "active", "conditions", "target")} == {
        "name": "浙江 → East",
        "position": 1,
        "active": True,
        "conditions": ZHEJIANG,
        "target": {"kind": "round_robin", "rep": None, "team": team.pk},
    }
    assert (rule["version"], rule["team_name"], rule["rep_name"]) == (1, "East", None)
    assert admin_api.get(f"{URL}{rule['id']}/").json() == rule
    assert admin_api.get(URL).json() == {"results": [rule], "next": None}

    [change] = changes()
    assert (change.action, change.rule_id, change.actor, change.before) == (
        "create",
        rule["id"],
        admin_user,
        None,
    )
    assert change.after["name"] == "浙江 → East"
    assert change.after["target_team_id"] == team.pk


def test_named_rep_rule_and_list_values_are_kept_as_cleaned(admin_api, rep):
    body = {
        "name": "Key accounts",
        "conditions": [
            {"field": "tags", "op": "in", "value": "VIP，key"},
            {"field": "size", "op": "range", "value": {"min": "50-249"}},
        ],
        "target": {"kind": "rep", "rep": rep.pk},
    }
    rule = admin_api.post(URL, body, format="json").json()
    assert rule["conditions"] == [
        {"field": "tags", "op": "in", "value": ["VIP", "key"]},
        {"field": "size", "op": "range", "value": {"min": "50-249"}},
    ]
    assert rule["target"] == {"kind": "rep", "rep": rep.pk, "team": None}
    assert rule["rep_name"] == "Alice Rep"


def test_create_at_a_position_moves_the_others_down(admin_api, admin_user, team):
    make_rule(admin_user, team, "first")
    make_rule(admin_user, team, "second")
    response = admin_api.post(
        URL,
        {"name": "new first", "target": {"kind": "public_pool"}, "position": 1},
        format="json",
    )
    assert response.status_code == 201
    assert order() == [("new first", 1), ("first", 2), ("second", 3)]
    assert [r["name"] for r in admin_api.get(URL).json()["results"]] == [
        "new first",
        "first",
        "second",
    ]


# --- change ----------------------------------------------------------------------------------
def test_patch_changes_one_thing_bumps_the_version_and_records_it(
    admin_api, admin_user, team, other_team
):
    rule = make_rule(admin_user, team)
    response = admin_api.patch(
        f"{URL}{rule.pk}/", {"target": {"kind": "team_pool", "team": other_team.pk}}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["target"] == {"kind": "team_pool", "rep": None, "team": other_team.pk}
    assert (body["version"], body["name"], body["conditions"]) == (2, "浙江", ZHEJIANG)
    update = changes()[-1]
    assert (update.action, update.rule_id, update.actor) == ("update", rule.pk, admin_user)
    assert (update.before["target_team_id"], update.after["target_team_id"]) == (
        team.pk,
        other_team.pk,
    )
    assert (update.before["version"], update.after["version"]) == (1, 2)


def test_a_change_that_changes_nothing_is_not_recorded(admin_api, admin_user, team):
    rule = make_rule(admin_user, team)
    response = admin_api.patch(f"{URL}{rule.pk}/", {"name": "浙江", "active": True}, format="json")
    assert response.json()["version"] == 1
    assert [c.action for c in changes()] == ["create"]


def test_put_replaces_the_rule(admin_api, admin_user, team):
    rule = make_rule(admin_user, team)
    body = {"name": "Everyone", "target": {"kind": "public_pool"}}
    response = admin_api.put(f"{URL}{rule.pk}/", body, format="json")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("name", "conditions", "target", "version")} == {
        "name": "Everyone",
        "conditions": [],
        "target": {"kind": "public_pool", "rep": None, "team": None},
        "version": 2,
    }


def test_a_change_from_a_stale_version_is_refused(admin_api, admin_user, team):
    rule = make_rule(admin_user, team)
    services.update_rule(actor=admin_user, rule_id=rule.pk, name="renamed")  # version 2
    response = admin_api.patch(f"{URL}{rule.pk}/", {"name": "mine", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "rule_changed"
    assert TerritoryRule.objects.get(pk=rule.pk).name == "renamed"
    ok = admin_api.patch(f"{URL}{rule.pk}/", {"name": "mine", "version": 2}, format="json")
    assert (ok.status_code, ok.json()["version"]) == (200, 3)


def test_patch_position_moves_the_rule(admin_api, admin_user, team):
    rules = [make_rule(admin_user, team, name) for name in ("a", "b", "c")]
    response = admin_api.patch(f"{URL}{rules[2].pk}/", {"position": 1}, format="json")
    assert response.status_code == 200
    assert order() == [("c", 1), ("a", 2), ("b", 3)]
    assert response.json()["version"] == 2


def test_deactivating_a_rule_whose_rep_left_is_allowed(admin_api, admin_user, rep):
    rule = services.create_rule(
        actor=admin_user, name="Alice's", conditions=[], target={"kind": "rep", "rep": rep.pk}
    )
    User.objects.filter(pk=rep.pk).update(is_active=False)
    response = admin_api.patch(f"{URL}{rule.pk}/", {"active": False}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["active"] is False


# --- delete, reorder -------------------------------------------------------------------------
def test_delete_renumbers_and_records_the_rule_as_it_was(admin_api, admin_user, team):
    rules = [make_rule(admin_user, team, name) for name in ("a", "b", "c")]
    response = admin_api.delete(f"{URL}{rules[0].pk}/")
    assert response.status_code == 204
    assert order() == [("b", 1), ("c", 2)]
    deleted = changes()[-1]
    assert (deleted.action, deleted.rule_id, deleted.after) == ("delete", rules[0].pk, None)
    assert deleted.before["name"] == "a"
    assert admin_api.get(f"{URL}{rules[0].pk}/").status_code == 404
    assert admin_api.delete(f"{URL}{rules[0].pk}/").status_code == 404


def test_reorder_records_the_order_before_and_after(admin_api, admin_user, team):
    a, b, c = (make_rule(admin_user, team, name) for name in ("a", "b", "c"))
    response = admin_api.post(f"{URL}reorder/", {"ids": [c.pk, a.pk, b.pk]}, format="json")
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["c", "a", "b"]
    assert order() == [("c", 1), ("a", 2), ("b", 3)]
    reorder = changes()[-1]
    assert (reorder.action, reorder.before, reorder.after) == (
        "reorder",
        [a.pk, b.pk, c.pk],
        [c.pk, a.pk, b.pk],
    )
    # The same order again changes and records nothing.
    admin_api.post(f"{URL}reorder/", {"ids": [c.pk, a.pk, b.pk]}, format="json")
    assert len(changes()) == 4


@pytest.mark.parametrize(
    "ids", ["missing", "duplicate", "unknown", "not a list"], ids=lambda x: x.replace(" ", "_")
)
def test_a_wrong_reorder_is_refused(admin_api, admin_user, team, ids):
    a, b = make_rule(admin_user, team, "a"), make_rule(admin_user, team, "b")
    body = {
        "missing": [b.pk],
        "duplicate": [b.pk, a.pk, a.pk],
        "unknown": [b.pk, a.pk, 999_999],
        "not a list": "b,a",
    }[ids]
    response = admin_api.post(f"{URL}reorder/", {"ids": body}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rule"
    assert order() == [("a", 1), ("b", 2)]
    assert len(changes()) == 2


# --- validation ------------------------------------------------------------------------------
def _bad_bodies(team, rep, manager):
    ok = {"name": "x", "conditions": ZHEJIANG, "target": rr(team)}
    return {
        "no name": {**ok, "name": "  "},
        "long name": {**ok, "name": "x" * 101},
        "no target": {"name": "x", "conditions": ZHEJIANG},
        "unknown kind": {**ok, "target": {"kind": "somewhere"}},
        "extra target key": {**ok, "target": {**rr(team), "owner": rep.pk}},
        "team kind without team": {**ok, "target": {"kind": "least_loaded"}},
        "team kind with rep": {**ok, "target": {**rr(team), "rep": rep.pk}},
        "unknown team": {**ok, "target": {"kind": "team_pool", "team": 999_999}},
        "rep kind with team": {**ok, "target": {"kind": "rep", "rep": rep.pk, "team": team.pk}},
        "a manager is no rep": {**ok, "target": {"kind": "rep", "rep": manager.pk}},
        "unknown rep": {**ok, "target": {"kind": "rep", "rep": 999_999}},
        "public pool with team": {**ok, "target": {"kind": "public_pool", "team": team.pk}},
        "target not an object": {**ok, "target": "public_pool"},
        "conditions not a list": {**ok, "conditions": {"field": "city"}},
        "unknown field": {**ok, "conditions": [{"field": "mood", "op": "equals", "value": "x"}]},
        "unknown op": {**ok, "conditions": [{"field": "city", "op": "like", "value": "x"}]},
        "range of provinces": {
            **ok,
            "conditions": [{"field": "province", "op": "range", "value": {"min": "a"}}],
        },
        "empty value": {**ok, "conditions": [{"field": "city", "op": "equals", "value": ""}]},
        "unknown size": {**ok, "conditions": [{"field": "size", "op": "equals", "value": "xxl"}]},
        "active not a boolean": {**ok, "active": "perhaps"},
        "position zero": {**ok, "position": 0},
    }


BAD = [
    "no name",
    "long name",
    "no target",
    "unknown kind",
    "extra target key",
    "team kind without team",
    "team kind with rep",
    "unknown team",
    "rep kind with team",
    "a manager is no rep",
    "unknown rep",
    "public pool with team",
    "target not an object",
    "conditions not a list",
    "unknown field",
    "unknown op",
    "range of provinces",
    "empty value",
    "unknown size",
    "active not a boolean",
    "position zero",
]


@pytest.mark.parametrize("case", BAD)
def test_an_invalid_rule_is_refused_and_nothing_is_saved(admin_api, team, rep, manager, case):
    response = admin_api.post(URL, _bad_bodies(team, rep, manager)[case], format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid_rule"
    assert body["detail"] and body["detail"] != "invalid_rule"
    assert not TerritoryRule.objects.exists()
    assert not TerritoryRuleChange.objects.exists()


@pytest.mark.parametrize("case", ["extra target key", "unknown field", "no name", "unknown rep"])
def test_an_invalid_change_changes_nothing(admin_api, admin_user, team, rep, manager, case):
    rule = make_rule(admin_user, team)
    bad = _bad_bodies(team, rep, manager)[case]
    key = {"unknown field": "conditions", "no name": "name"}.get(case, "target")
    response = admin_api.patch(f"{URL}{rule.pk}/", {key: bad[key]}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid_rule"
    rule.refresh_from_db()
    assert (rule.name, rule.version, rule.target_team_id, rule.conditions) == (
        "浙江",
        1,
        team.pk,
        ZHEJIANG,
    )
    assert len(changes()) == 1


def test_the_message_says_what_is_wrong(admin_api, team):
    body = {"name": "x", "target": {"kind": "round_robin"}}
    assert admin_api.post(URL, body, format="json").json()["detail"] == (
        "Choose the team the rule sends customers to."
    )
    body = {
        "name": "x",
        "target": rr(team),
        "conditions": [ZHEJIANG[0], {"field": "mood", "op": "equals", "value": "x"}],
    }
    assert admin_api.post(URL, body, format="json").json()["detail"].startswith("Condition 2:")


# --- routing reads every change at once ------------------------------------------------------
def test_routing_sees_every_change_at_once(admin_user, team, other_team):
    rule = make_rule(admin_user, team)
    assert [r.name for r in list_rules_in_force()] == ["浙江"]
    services.update_rule(actor=admin_user, rule_id=rule.pk, name="Zhejiang")
    assert [(r.name, r.version) for r in list_rules_in_force()] == [("Zhejiang", 2)]
    other = make_rule(admin_user, other_team, "other")
    services.reorder_rules(actor=admin_user, ids=[other.pk, rule.pk])
    assert [r.name for r in list_rules_in_force()] == ["other", "Zhejiang"]
    services.update_rule(actor=admin_user, rule_id=other.pk, active=False)
    assert [r.name for r in list_rules_in_force()] == ["Zhejiang"]
    services.delete_rule(actor=admin_user, rule_id=rule.pk)
    assert list_rules_in_force() == ()


def test_touched_rules_get_a_new_updated_at(admin_user, team):
    a, b = make_rule(admin_user, team, "a"), make_rule(admin_user, team, "b")
    stamps = dict(TerritoryRule.objects.values_list("id", "updated_at"))
    services.reorder_rules(actor=admin_user, ids=[b.pk, a.pk])
    after = dict(TerritoryRule.objects.values_list("id", "updated_at"))
    assert after[a.pk] > stamps[a.pk] and after[b.pk] > stamps[b.pk]


# --- the change log --------------------------------------------------------------------------
def test_the_change_log_lists_who_changed_what_newest_first(admin_api, admin_user, team):
    rule = make_rule(admin_user, team)
    services.update_rule(actor=admin_user, rule_id=rule.pk, name="renamed")
    response = admin_api.get(f"{URL}changes/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(c["action"], c["rule"], c["actor"]["id"]) for c in results] == [
        ("update", rule.pk, admin_user.pk),
        ("create", rule.pk, admin_user.pk),
    ]
    assert results[0]["before"]["name"] == "浙江"
    assert results[0]["after"]["name"] == "renamed"


# --- who may ---------------------------------------------------------------------------------
def test_managers_read_but_do_not_change(api, admin_user, manager, team):
    rule = make_rule(admin_user, team)
    client = api(manager)
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}{rule.pk}/").status_code == 200
    refused = [
        client.post(URL, {"name": "x", "target": {"kind": "public_pool"}}, format="json"),
        client.patch(f"{URL}{rule.pk}/", {"name": "mine"}, format="json"),
        client.put(
            f"{URL}{rule.pk}/", {"name": "mine", "target": {"kind": "public_pool"}}, format="json"
        ),
        client.delete(f"{URL}{rule.pk}/"),
        client.post(f"{URL}reorder/", {"ids": [rule.pk]}, format="json"),
        client.post(f"{URL}preview/", {}, format="json"),
        client.get(f"{URL}changes/"),
    ]
    assert [r.status_code for r in refused] == [403] * 7
    assert {r.json()["code"] for r in refused} == {"permission_denied"}
    rule.refresh_from_db()
    assert (rule.name, rule.version) == ("浙江", 1)
    assert TerritoryRule.objects.count() == 1


def test_reps_are_refused(api, admin_user, rep, team):
    rule = make_rule(admin_user, team)
    client = api(rep)
    answers = [
        client.get(URL),
        client.get(f"{URL}{rule.pk}/"),
        client.post(URL, {"name": "x", "target": {"kind": "public_pool"}}, format="json"),
        client.patch(f"{URL}{rule.pk}/", {"active": False}, format="json"),
        client.delete(f"{URL}{rule.pk}/"),
        client.post(f"{URL}reorder/", {"ids": [rule.pk]}, format="json"),
        client.post(f"{URL}preview/", {}, format="json"),
        client.get(f"{URL}changes/"),
    ]
    assert [r.status_code for r in answers] == [403] * 8
    assert TerritoryRule.objects.get().active is True


def test_strangers_are_refused(api, admin_user, team):
    rule = make_rule(admin_user, team)
    client = api()
    answers = [
        client.get(URL),
        client.get(f"{URL}{rule.pk}/"),
        client.post(URL, {"name": "x", "target": {"kind": "public_pool"}}, format="json"),
        client.delete(f"{URL}{rule.pk}/"),
        client.post(f"{URL}preview/", {}, format="json"),
    ]
    assert {r.status_code for r in answers} <= {401, 403}
    assert TerritoryRule.objects.count() == 1


def test_services_refuse_non_admins(manager, team):
    with pytest.raises(Exception) as refused:
        services.create_rule(actor=manager, name="x", conditions=[], target=rr(team))
    assert getattr(refused.value, "code", None) == "permission_denied"


# --- two admins at once ----------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_two_admins_changing_one_rule_at_once_both_changes_stand(team, other_team, round_):
    admins = [make_user(f"admin{i}", role=User.Role.ADMIN) for i in range(2)]
    rule = make_rule(admins[0], team)
    outcomes = run_together(
        [
            lambda: services.update_rule(actor=admins[0], rule_id=rule.pk, name="renamed"),
            lambda: services.update_rule(
                actor=admins[1],
                rule_id=rule.pk,
                target={"kind": "team_pool", "team": other_team.pk},
            ),
        ]
    )
    assert codes(outcomes) == {"ok": 2}, outcomes
    rule.refresh_from_db()
    assert (rule.name, rule.target_kind, rule.target_team_id, rule.version) == (
        "renamed",
        "team_pool",
        other_team.pk,
        3,
    )
    updates = TerritoryRuleChange.objects.filter(action="update").order_by("id")
    assert [(c.before["version"], c.after["version"]) for c in updates] == [(1, 2), (2, 3)]


@pytest.mark.django_db(transaction=True)
def test_two_admins_editing_from_one_version_one_is_told(team, other_team):
    admins = [make_user(f"admin{i}", role=User.Role.ADMIN) for i in range(2)]
    rule = make_rule(admins[0], team)
    outcomes = run_together(
        [
            lambda a=a, n=n: services.update_rule(actor=a, rule_id=rule.pk, name=n, version=1)
            for a, n in zip(admins, ["one", "two"], strict=True)
        ]
    )
    assert codes(outcomes) == {"ok": 1, "rule_changed": 1}, outcomes
    assert TerritoryRule.objects.get(pk=rule.pk).version == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(4))
def test_reorders_and_moves_at_once_keep_one_position_per_rule(team, round_):
    """Without the list's lock, a rule created while another edit renumbers the list was
    left out of the renumbering (positions 1, 2, 3, 5)."""
    admin = make_user("admin0", role=User.Role.ADMIN)
    rules = [make_rule(admin, team, name) for name in "abcd"]
    ids = [r.pk for r in rules]
    outcomes = run_together(
        [
            lambda: services.reorder_rules(actor=admin, ids=list(reversed(ids))),
            lambda: services.update_rule(actor=admin, rule_id=ids[0], position=2),
            lambda: services.delete_rule(actor=admin, rule_id=ids[3]),
            lambda: services.create_rule(
                actor=admin, name="e", conditions=[], target={"kind": "public_pool"}
            ),
        ]
    )
    # A reorder that no longer names every rule is refused; everything else goes through.
    assert set(codes(outcomes)) <= {"ok", "invalid_rule"}, outcomes
    positions = sorted(TerritoryRule.objects.values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
