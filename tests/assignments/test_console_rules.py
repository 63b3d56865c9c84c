"""The territory rules console (系统设置 · 分配规则): admins list, add, edit, move, switch off
and delete rules on pages, each change through the rule services (recorded); the editor
previews the edited set live; readable errors change nothing; nobody else gets in."""

import pytest

from assignments import services
from assignments.models import TerritoryRule, TerritoryRuleChange
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def editor_post(team, *, name="浙江", values="浙江、江苏", kind="round_robin", **extra):
    data = {
        "name": name,
        "active": "on",
        "position": "",
        "cond-field": ["province", ""],
        "cond-op": ["in", "equals"],
        "cond-value": [values, ""],
        "cond-min": ["", ""],
        "cond-max": ["", ""],
        "target_kind": kind,
        "target_team": str(team.pk),
        "target_rep": "",
    }
    data.update(extra)
    return data


def make_rule(admin, team, name, province):
    return services.create_rule(
        actor=admin,
        name=name,
        conditions=[{"field": "province", "op": "equals", "value": province}],
        target={"kind": "round_robin", "team": team.pk},
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_list_and_the_editor_render_in_both_languages(
    admin_client, admin_user, team, rep, language
):
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    rule = make_rule(admin_user, team, "华东", "浙江")
    listing = admin_client.get("/settings/rules/").content.decode()
    assert 'data-testid="rule-row"' in listing and "华东" in listing
    assert ("浙江" in listing) and (
        "轮流" in listing if language == "zh-hans" else "round robin" in listing
    )
    for page in ("/settings/rules/new/", f"/settings/rules/{rule.pk}/"):
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert 'data-testid="preview-targets"' in response.content.decode()


def test_an_admin_adds_a_rule_from_the_editor(admin_client, admin_user, team, rep):
    response = admin_client.post("/settings/rules/new/", editor_post(team))
    assert response.status_code == 302
    rule = TerritoryRule.objects.get()
    assert rule.conditions == [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}]
    assert (rule.target_kind, rule.target_team_id, rule.active) == ("round_robin", team.pk, True)
    change = TerritoryRuleChange.objects.get()
    assert (change.action, change.actor_id) == ("create", admin_user.pk)


def test_sizes_and_kinds_are_taken_by_their_names_and_a_range_by_its_bounds(
    admin_client, team, rep
):
    data = editor_post(team)
    data.update(
        {
            "cond-field": ["size", "kind", "size"],
            "cond-op": ["in", "equals", "range"],
            "cond-value": ["50–249 employees, 1000+", "Company", ""],
            "cond-min": ["", "", "10-49"],
            "cond-max": ["", "", "250-999"],
        }
    )
    assert admin_client.post("/settings/rules/new/", data).status_code == 302
    assert TerritoryRule.objects.get().conditions == [
        {"field": "size", "op": "in", "value": ["50-249", "1000+"]},
        {"field": "kind", "op": "equals", "value": "company"},
        {"field": "size", "op": "range", "value": {"min": "10-49", "max": "250-999"}},
    ]


def test_an_invalid_rule_is_refused_in_words_and_nothing_is_saved(admin_client, team, rep):
    data = editor_post(team, kind="round_robin", target_team="")
    response = admin_client.post("/settings/rules/new/", data)
    assert response.status_code == 400
    assert "Choose the team the rule sends customers to." in response.content.decode()
    data = editor_post(team)
    data["cond-op"] = ["range", "equals"]
    response = admin_client.post("/settings/rules/new/", data)
    assert response.status_code == 400
    assert "only a size can be a range" in response.content.decode()
    assert not TerritoryRule.objects.exists()
    assert not TerritoryRuleChange.objects.exists()


def test_editing_from_a_stale_version_is_refused(admin_client, admin_user, team, rep):
    rule = make_rule(admin_user, team, "华东", "浙江")
    services.update_rule(actor=admin_user, rule_id=rule.pk, name="华东一组")
    data = editor_post(team, name="我的改动", version=str(rule.version))
    response = admin_client.post(f"/settings/rules/{rule.pk}/", data)
    assert response.status_code == 400
    assert "Someone else changed this rule" in response.content.decode()
    rule.refresh_from_db()
    assert rule.name == "华东一组"


def test_editing_saves_a_new_version(admin_client, admin_user, team, rep):
    rule = make_rule(admin_user, team, "华东", "浙江")
    data = editor_post(team, name="华东", values="上海", version=str(rule.version))
    assert admin_client.post(f"/settings/rules/{rule.pk}/", data).status_code == 302
    rule.refresh_from_db()
    assert rule.version == 2
    assert rule.conditions == [{"field": "province", "op": "in", "value": ["上海"]}]


def test_moving_switching_and_deleting(admin_client, admin_user, team, rep):
    first = make_rule(admin_user, team, "一", "浙江")
    second = make_rule(admin_user, team, "二", "江苏")
    admin_client.post(f"/settings/rules/{second.pk}/move/", {"direction": "up"})
    assert list(TerritoryRule.objects.order_by("position").values_list("name", flat=True)) == [
        "二",
        "一",
    ]
    admin_client.post(f"/settings/rules/{first.pk}/active/", {"active": "0"})
    first.refresh_from_db()
    assert not first.active
    admin_client.post(f"/settings/rules/{second.pk}/delete/")
    assert list(TerritoryRule.objects.values_list("name", "position")) == [("一", 1)]
    actions = list(TerritoryRuleChange.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "create", "update", "update", "delete"]
    listing = admin_client.get("/settings/rules/").content.decode()
    assert listing.count('data-testid="rule-change"') == 5


def test_the_live_preview_shows_the_edited_set(admin_client, admin_user, team, rep, make_lead):
    manager = make_user("mgr2", role="manager", team=team)
    for name in ("杭州甲", "杭州乙"):
        services.create_lead(actor=manager, company_name=name, province="浙江")
    assert not TerritoryRule.objects.exists()
    response = admin_client.post("/settings/rules/preview/", editor_post(team))
    page = response.content.decode()
    assert response.status_code == 200
    # Both went to the public pool; under the edited rule both would go to the team's rep.
    assert page.count('data-testid="preview-difference"') == 2
    assert rep.display_name in page
    broken = admin_client.post("/settings/rules/preview/", editor_post(team, target_team=""))
    assert 'data-testid="preview-error"' in broken.content.decode()
    assert not TerritoryRule.objects.exists()


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_others_are_refused(client, request, admin_user, team, rep, who):
    rule = make_rule(admin_user, team, "华东", "浙江")
    client.force_login(request.getfixturevalue(who))
    for page in ("/settings/rules/", "/settings/rules/new/", f"/settings/rules/{rule.pk}/"):
        assert client.get(page).status_code == 403, page
    for page in (
        "/settings/rules/new/",
        f"/settings/rules/{rule.pk}/",
        f"/settings/rules/{rule.pk}/move/",
        f"/settings/rules/{rule.pk}/active/",
        f"/settings/rules/{rule.pk}/delete/",
        "/settings/rules/preview/",
    ):
        assert client.post(page, editor_post(team, name="x")).status_code == 403, page
    assert list(TerritoryRule.objects.values_list("name", "active")) == [("华东", True)]
    assert TerritoryRuleChange.objects.count() == 1


def test_an_unknown_rule_is_404(admin_client):
    assert admin_client.get("/settings/rules/999/").status_code == 404
    assert admin_client.post("/settings/rules/999/delete/").status_code == 404
