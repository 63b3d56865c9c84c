"""The audit record: changes to users, teams, pool policies and territory rules are recorded
by their services in the same transaction (who, what, before and after); admins read it on
/settings/audit/ and at GET /api/v1/audit-events/; nobody else does."""

from datetime import timedelta

import pytest

from accounts import services
from accounts.models import AuditEvent
from assignments.services import policies, territory_rules
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


def test_user_changes_are_recorded_with_before_and_after(admin_user, rep, other_team):
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=7, team=other_team)
    event = events("user_changed")[-1]
    assert event.actor == admin_user
    assert (event.object_type, event.object_id, event.action) == ("user", str(rep.pk), "update")
    assert event.before == {"team": rep.team_id, "capacity": None}
    assert event.after == {"team": other_team.pk, "capacity": 7}
    # Nothing changed: nothing recorded.
    count = AuditEvent.objects.count()
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=7)
    assert AuditEvent.objects.count() == count


def test_user_creation_and_deactivation_are_recorded(admin_user):
    user = services.create_user(actor=admin_user, username="newbie", password=PASSWORD)
    services.update_user(actor=admin_user, user_id=user.pk, is_active=False)
    created, deactivated = events("user_changed")[-2:]
    assert created.action == "create" and created.after["username"] == "newbie"
    assert deactivated.before == {"is_active": True} and deactivated.after == {"is_active": False}


def test_a_refused_change_leaves_no_record(admin_user):
    with pytest.raises(Exception):  # noqa: B017 - the domain error for a taken name
        services.create_team(actor=admin_user, name="East")
        services.create_team(actor=admin_user, name="east")
    assert [e.after["name"] for e in events("team_changed")] == ["East"]


def test_team_changes_are_recorded(admin_user, team, manager, other_manager):
    services.update_team(actor=admin_user, team_id=team.pk, name="East 1", manager=other_manager)
    event = events("team_changed")[-1]
    assert event.before == {"name": "East", "manager": manager.pk}
    assert event.after == {"name": "East 1", "manager": other_manager.pk}
    assert event.object_repr == "East 1"


def test_policy_changes_are_recorded(admin_user, team):
    policies.update_policy(
        actor=admin_user, team=team, changes={"claim_limit": 9, "cooldown": timedelta(days=1)}
    )
    event = events("policy_changed")[-1]
    assert event.actor == admin_user and event.object_repr == "East"
    assert event.after == {"claim_limit": 9, "cooldown": 86400.0}
    policies.update_policy(actor=admin_user, team=None, changes={"claim_limit": 12})
    assert events("policy_changed")[-1].object_repr == "global"


def test_rule_changes_point_at_the_rules_change_log(admin_user, team):
    rule = territory_rules.create_rule(
        actor=admin_user,
        name="浙江",
        conditions=[{"field": "province", "op": "equals", "value": "浙江"}],
        target={"kind": "team_pool", "team": team.pk},
    )
    territory_rules.update_rule(actor=admin_user, rule_id=rule.pk, active=False)
    territory_rules.delete_rule(actor=admin_user, rule_id=rule.pk)
    recorded = events("rule_changed")
    assert [e.action for e in recorded] == ["create", "update", "delete"]
    assert all(e.object_id == str(rule.pk) and e.details["rule_change"] for e in recorded)


def test_api_lists_events_for_admins_only(api, admin_user, rep, manager, client):
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=3)
    client.post("/login/", {"username": rep.username, "password": "wrong"})
    response = api(admin_user).get("/api/v1/audit-events/")
    assert response.status_code == 200
    body = response.json()
    kinds = [e["kind"] for e in body["results"]]
    assert "user_changed" in kinds and "sign_in_failed" in kinds
    assert set(body) == {"results", "next"}
    only = api(admin_user).get("/api/v1/audit-events/?kind=sign_in_failed").json()["results"]
    assert {e["kind"] for e in only} == {"sign_in_failed"}
    assert only[0]["username"] == rep.username and only[0]["door"] == "page"
    mine = api(admin_user).get(f"/api/v1/audit-events/?user={rep.pk}").json()["results"]
    assert {e["kind"] for e in mine} == {"user_changed", "sign_in_failed"}
    assert api(admin_user).get("/api/v1/audit-events/?kind=nope").status_code == 400
    assert api(admin_user).get("/api/v1/audit-events/?user=x").status_code == 400
    for user in (rep, manager):
        response = api(user).get("/api/v1/audit-events/")
        assert response.status_code == 403
    assert api().get("/api/v1/audit-events/").status_code in (401, 403)


def test_console_page_for_admins_only(client, admin_user, rep, manager):
    services.update_user(actor=admin_user, user_id=rep.pk, capacity=3)
    for user in (rep, manager):
        client.force_login(user)
        assert client.get("/settings/audit/").status_code == 403
    client.logout()
    assert client.get("/settings/audit/").status_code == 302
    client.force_login(admin_user)
    response = client.get("/settings/audit/?kind=user_changed")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="audit-row"') == len(events("user_changed"))
    assert 'data-kind="sign_in"' not in html
    response = client.get(f"/settings/audit/?user={rep.pk}&page=999&kind=bogus")
    assert response.status_code == 200


def test_console_page_pages_by_fifty(client, admin_user, rep):
    for n in range(60):
        services.update_user(actor=admin_user, user_id=rep.pk, capacity=n + 1)
    client.force_login(admin_user)
    first = client.get("/settings/audit/?kind=user_changed").content.decode()
    assert first.count('data-testid="audit-row"') == 50
    second = client.get("/settings/audit/?kind=user_changed&page=2").content.decode()
    assert second.count('data-testid="audit-row"') == len(events("user_changed")) - 50 >= 10


def test_console_page_in_chinese(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/settings/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in response.content.decode()
