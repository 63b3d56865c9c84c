"""The lead page says, in words and in the reader's language, why the territory rules sent a
new customer where they did: the rule and its version, the conditions that held, the method
and the rep chosen, who was skipped and why, or which pool it went to."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import AwayPeriod, User
from assignments.models import Ownership, TerritoryRule
from tests.conftest import make_user

Target = TerritoryRule.Target
ZHEJIANG = [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}]


def rule(name, target_kind, *, conditions=(), position=0, rep=None, team=None):
    return TerritoryRule.objects.create(
        name=name,
        position=position,
        conditions=list(conditions),
        target_kind=target_kind,
        target_rep=rep,
        target_team=team,
    )


def explained(client, lead) -> str:
    page = client.get(reverse("leads:detail", args=[lead.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    start = text.index('data-testid="route-explained"')
    return " ".join(html.unescape(text[start : text.index("</span>", start)]).split())


@pytest.fixture
def away_until(rep):
    ends = timezone.now() + timedelta(days=5)
    AwayPeriod.objects.create(
        user=rep, starts_at=timezone.now() - timedelta(days=1), ends_at=ends, reason="leave"
    )
    return ends


def test_round_robin_is_explained_with_the_rule_the_chosen_rep_and_the_skipped(
    client, manager, team, rep, teammate, make_lead, away_until
):
    carol = make_user("carol", team=team, display_name="Carol Rep")
    User.objects.filter(pk=teammate.pk).update(capacity=1)
    make_lead(actor=teammate)  # Bob's one slot is taken
    rule("浙江客户", Target.ROUND_ROBIN, team=team, conditions=ZHEJIANG)
    lead = make_lead(actor=manager, province="浙江省")
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == carol

    client.force_login(manager)
    words = explained(client, lead)
    until = date_format(timezone.localtime(away_until), "MONTH_DAY_FORMAT")
    assert (
        "Routed by rule “浙江客户” (version 1): province is one of 浙江, 江苏 (“浙江省”)." in words
    )
    assert "Round robin in the East team: Carol Rep (0/30)." in words
    assert f"Skipped: Alice Rep (away until {until}: leave), Bob Rep (at capacity 1/1)." in words
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "Assigned to Carol Rep by the territory rules." in page


def test_least_loaded_and_named_rep_say_the_load(client, manager, team, rep, teammate, make_lead):
    make_lead(actor=rep)
    rule(
        "by size",
        Target.LEAST_LOADED,
        team=team,
        position=1,
        conditions=[{"field": "size", "op": "range", "value": {"min": "10-49", "max": "250-999"}}],
    )
    rule("named", Target.REP, rep=rep, position=2)
    sized = make_lead(actor=manager, size="50-249")
    named = make_lead(actor=manager)
    client.force_login(manager)
    words = explained(client, sized)
    assert "size between 10–49 employees and 250–999 employees (“50–249 employees”)" in words
    assert "Least loaded in the East team: Bob Rep (0/30)." in words
    words = explained(client, named)
    assert "Routed by rule “named” (version 1), which takes every customer." in words
    assert "Named rep: Alice Rep (1/30)." in words


def test_a_customer_no_rule_takes_goes_to_the_public_pool_and_says_so(
    client, manager, team, make_lead
):
    rule("浙江客户", Target.ROUND_ROBIN, team=team, conditions=ZHEJIANG)
    lead = make_lead(actor=manager, province="广东")
    client.force_login(manager)
    assert explained(client, lead) == (
        'data-testid="route-explained"> No rule matched. The customer went to the public pool.'
    )


def test_when_nobody_in_the_team_can_take_it_it_goes_to_the_team_pool(
    client, manager, team, rep, make_lead, away_until
):
    rule("浙江客户", Target.ROUND_ROBIN, team=team, conditions=ZHEJIANG)
    lead = make_lead(actor=manager, province="Zhejiang")
    assert not Ownership.objects.filter(lead=lead).exists()
    client.force_login(manager)
    words = explained(client, lead)
    assert "Nobody could take it; it went to the East team's pool." in words
    assert "Skipped: Alice Rep (away until" in words


def test_a_team_pool_rule_and_the_chinese_page(client, manager, team, rep, make_lead, away_until):
    rule("浙江客户", Target.TEAM_POOL, team=team, conditions=ZHEJIANG)
    pooled = make_lead(actor=manager, province="江苏")
    rule("all", Target.ROUND_ROBIN, team=team, position=5)
    skipped = make_lead(actor=manager, province="广东")
    client.force_login(manager)
    assert "The customer went to the East team's pool." in explained(client, pooled)

    client.post("/language/", {"language": "zh-hans"})
    with translation.override("zh-hans"):
        until = date_format(timezone.localtime(away_until), "MONTH_DAY_FORMAT")
    words = explained(client, pooled)
    assert "“浙江客户”" in words and "省份" in words and "province" not in words
    words = explained(client, skipped)
    assert "“all”" in words and "Alice Rep" in words and until in words
