"""The rules in the open (透明): every signed-in user reads the pool policies of their teams
and the territory rules that can send customers to them, in words, in their language — and
nothing about the rules that route only to other teams or other reps."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from assignments.models import TerritoryRule
from assignments.selectors.rules_open import get_rules_in_open, list_visible_rules

Target = TerritoryRule.Target


def rule(name, target_kind, *, position, rep=None, team=None, conditions=(), active=True):
    return TerritoryRule.objects.create(
        name=name,
        position=position,
        active=active,
        conditions=list(conditions),
        target_kind=target_kind,
        target_rep=rep,
        target_team=team,
    )


@pytest.fixture
def rules(team, other_team, rep, teammate, outsider):
    zhejiang = [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}]
    return {
        "east_rr": rule("East RR", Target.ROUND_ROBIN, position=1, team=team, conditions=zhejiang),
        "south_ll": rule("South LL", Target.LEAST_LOADED, position=2, team=other_team),
        "alice": rule("To Alice", Target.REP, position=3, rep=rep),
        "charlie": rule("To Charlie", Target.REP, position=4, rep=outsider),
        "bob": rule("To Bob", Target.REP, position=5, rep=teammate),
        "south_pool": rule("South pool", Target.TEAM_POOL, position=6, team=other_team),
        "rest": rule("The rest", Target.PUBLIC_POOL, position=7),
        "off": rule("Off", Target.ROUND_ROBIN, position=0, team=team, active=False),
        "east_pool": rule("East pool", Target.TEAM_POOL, position=8, team=team),
    }


def names(user):
    return [r.name for r in list_visible_rules(user=user)]


def test_each_role_reads_exactly_the_rules_that_can_route_to_them(
    rules, rep, teammate, outsider, manager, other_manager, admin_user
):
    assert names(rep) == ["East RR", "To Alice", "The rest", "East pool"]
    assert names(teammate) == ["East RR", "To Bob", "The rest", "East pool"]
    assert names(outsider) == ["South LL", "To Charlie", "South pool", "The rest"]
    assert names(manager) == ["East RR", "To Alice", "To Bob", "The rest", "East pool"]
    assert names(other_manager) == ["South LL", "To Charlie", "South pool", "The rest"]
    # Admins read every rule in force, in the order they are tried; never an inactive one.
    assert names(admin_user) == [
        "East RR",
        "South LL",
        "To Alice",
        "To Charlie",
        "To Bob",
        "South pool",
        "The rest",
        "East pool",
    ]


def page(client, user, language=None):
    client.force_login(user)
    if language:
        client.post("/language/", {"language": language})
    response = client.get(reverse("rules"))
    assert response.status_code == 200
    return response.content.decode()


def shown_rules(html):
    return [int(pk) for pk in re.findall(r'data-testid="territory-rule" data-rule="(\d+)"', html)]


def test_a_rep_of_another_team_does_not_see_the_rules_of_a_team_not_theirs(client, rules, outsider):
    html = page(client, outsider)
    assert shown_rules(html) == [
        rules[name].pk for name in ("south_ll", "charlie", "south_pool", "rest")
    ]
    for hidden in ("East RR", "To Alice", "To Bob", "East pool", "浙江", "Off"):
        assert hidden not in html


def test_the_rep_page_says_the_rules_policy_capacity_and_away_in_words(
    client, rules, rep, teammate, team, other_team, set_policy
):
    set_policy(team=team, claim_limit=20, followup_extension=timedelta(days=2, hours=12))
    set_policy(team=other_team, claim_limit=5)
    account_services.update_user(actor=None, user_id=rep.pk, capacity=12)
    ends = timezone.now() + timedelta(days=4)
    account_services.add_away_period(
        actor=None,
        user_id=rep.pk,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=ends,
        reason="annual leave",
    )
    html = page(client, rep)
    text = " ".join(html.split())
    assert shown_rules(html) == [rules[n].pk for n in ("east_rr", "alice", "rest", "east_pool")]
    assert "East RR</strong>: if province is one of 浙江, 江苏, to East team, round robin." in text
    assert "To Alice</strong>: every new customer, to Alice Rep (named rep)." in text
    assert "every new customer, to the public pool." in text
    assert "every new customer, to the East team&#x27;s pool." in text
    # Their own team's policy only (the team's overrides over the global policy).
    assert re.findall(r'data-testid="policy" data-team="(\w+)"', html) == [str(team.pk)]
    assert "A claimed customer is protected for 7 days." in text
    assert "Each follow-up extends the protection by 2 days 12 hours, up to 30 days in all." in text
    assert "A rep holds at most 20 claimed customers at a time." in text
    assert "a rep waits 3 days before claiming it again." in text
    # Their own capacity and time away, nobody else's.
    assert re.findall(r'data-testid="rep-availability" data-rep="(\d+)"', html) == [str(rep.pk)]
    assert "capacity 12 customers" in text and "annual leave" in text
    assert "away until" in text
    assert "Rules</a>" in html  # the navigation leads here


def test_a_manager_reads_their_teams_and_reps_an_admin_everything(
    client, rules, manager, admin_user, rep, teammate, outsider, team, other_team
):
    html = page(client, manager)
    assert shown_rules(html) == [
        rules[n].pk for n in ("east_rr", "alice", "bob", "rest", "east_pool")
    ]
    assert re.findall(r'data-testid="policy" data-team="(\w+)"', html) == [str(team.pk)]
    reps = re.findall(r'data-testid="rep-availability" data-rep="(\d+)"', html)
    assert reps == [str(rep.pk), str(teammate.pk)]
    assert "capacity 30 customers (the claim limit)" in " ".join(html.split())

    html = page(client, admin_user)
    assert len(shown_rules(html)) == 8 and str(rules["off"].pk) not in shown_rules(html)
    policies = re.findall(r'data-testid="policy" data-team="(\w+)"', html)
    assert policies == ["global", str(team.pk), str(other_team.pk)]
    reps = re.findall(r'data-testid="rep-availability" data-rep="(\d+)"', html)
    assert set(reps) == {str(rep.pk), str(teammate.pk), str(outsider.pk)}


def test_a_user_without_a_team_reads_the_global_policy_and_the_public_pool_rules(rules, db):
    loner = account_services.create_user(
        actor=None, username="loner", password="correct-horse-battery-9", role=User.Role.REP
    )
    view = get_rules_in_open(user=loner)
    assert [p.team for p in view.policies] == [None]
    assert [r.name for r in view.rules] == ["The rest"]
    assert [a.rep for a in view.reps] == [loner]


def test_the_page_renders_in_chinese(client, rules, rep):
    html = page(client, rep, language="zh-hans")
    assert '<html lang="zh-hans"' in html
    assert "省份" in html and "浙江" in html
    assert shown_rules(html) == [rules[n].pk for n in ("east_rr", "alice", "rest", "east_pool")]
    assert "province" not in html


def test_no_rule_for_you_says_so_and_anonymous_users_log_in_first(client, rep):
    html = page(client, rep)
    assert 'data-testid="no-rules"' in html
    client.logout()
    response = client.get(reverse("rules"))
    assert response.status_code == 302 and "login" in response["Location"]
