"""Routing a new customer by the territory rules, through the create service: who gets it,
the one history record that explains it, and what routing leaves alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AwayPeriod, Notification, User
from assignments import services
from assignments.exceptions import DuplicateInPool
from assignments.models import Ownership, OwnershipEvent, RoutingState, TerritoryRule
from leads.models import Lead
from tests.conftest import make_user

Target = TerritoryRule.Target


def rule(name, target_kind, *, conditions=(), position=0, rep=None, team=None, active=True):
    return TerritoryRule.objects.create(
        name=name,
        position=position,
        active=active,
        conditions=list(conditions),
        target_kind=target_kind,
        target_rep=rep,
        target_team=team,
    )


def owner_of(lead):
    period = Ownership.objects.filter(lead=lead, ended_at__isnull=True).first()
    return period.owner if period else None


def events(lead, kind=None):
    qs = OwnershipEvent.objects.filter(lead=lead).order_by("id")
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def reps(team, manager):
    return [make_user(f"east{i}", team=team) for i in range(3)]


ZHEJIANG = [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}]


def test_without_rules_a_managers_customer_goes_to_the_public_pool_unexplained(manager, make_lead):
    lead = make_lead(actor=manager, province="浙江")
    assert owner_of(lead) is None
    assert lead.pool_team_id is None
    assert events(lead) == []


def test_round_robin_gives_each_rep_in_turn_and_explains(manager, team, reps, make_lead):
    zj = rule("浙江客户", Target.ROUND_ROBIN, conditions=ZHEJIANG, team=team)
    leads = [make_lead(actor=manager, province=p) for p in ("浙江省", "Zhejiang", "江苏", "浙江")]
    assert [owner_of(lead) for lead in leads] == [*reps, reps[0]]
    assert all(lead_.pool_team_id == team.pk for lead_ in leads)
    (event,) = events(leads[0])
    assert event.kind == OwnershipEvent.Kind.ASSIGN and event.to_owner == reps[0]
    assert event.actor == manager
    details = event.details
    assert details["via"] == "routing"
    assert details["rule"] == {"id": zj.pk, "name": "浙江客户", "version": 1}
    assert details["matched"] == [
        {"field": "province", "op": "in", "value": ["浙江", "江苏"], "actual": "浙江省"}
    ]
    assert details["method"] == "round_robin"
    assert details["team"] == {"id": team.pk, "name": team.name}
    assert details["chosen"] == {
        "id": reps[0].pk,
        "name": reps[0].display_name,
        "load": 0,
        "capacity": 30,
    }
    assert RoutingState.objects.get(team=team).last_rep == reps[0]
    # The rep hears of it.
    assert Notification.objects.filter(
        user=reps[1], kind=Notification.Kind.ROUTED, lead=leads[1]
    ).exists()


def test_first_matching_rule_wins_and_a_non_match_goes_to_the_public_pool(
    manager, team, other_team, reps, outsider, make_lead
):
    rule(
        "Hangzhou to a named rep",
        Target.REP,
        rep=outsider,
        position=1,
        conditions=[{"field": "city", "op": "equals", "value": "Hangzhou"}],
    )
    rule("Zhejiang to East", Target.ROUND_ROBIN, team=team, position=2, conditions=ZHEJIANG)
    hangzhou = make_lead(actor=manager, province="浙江", city="杭州市")
    ningbo = make_lead(actor=manager, province="浙江", city="宁波")
    beijing = make_lead(actor=manager, province="北京", city="北京")
    assert owner_of(hangzhou) == outsider and hangzhou.pool_team_id == other_team.pk
    assert owner_of(ningbo) == reps[0]
    assert owner_of(beijing) is None and beijing.pool_team_id is None
    (event,) = events(beijing)
    assert event.kind == OwnershipEvent.Kind.ROUTE
    assert event.details["rule"] is None and event.details["method"] == "no_rule"


def test_inactive_rules_are_skipped_and_order_is_by_position(manager, team, reps, make_lead):
    rule("off", Target.REP, rep=reps[2], position=0, active=False)
    rule("second", Target.TEAM_POOL, team=team, position=5)
    rule("first", Target.REP, rep=reps[1], position=3)
    lead = make_lead(actor=manager)
    assert owner_of(lead) == reps[1]
    assert events(lead)[0].details["rule"]["name"] == "first"


def test_team_pool_and_public_pool_targets(manager, team, make_lead):
    rule("pool", Target.TEAM_POOL, team=team, conditions=ZHEJIANG)
    rule("rest", Target.PUBLIC_POOL, position=9)
    zj = make_lead(actor=manager, province="浙江")
    other = make_lead(actor=manager, province="广东")
    assert owner_of(zj) is None and zj.pool_team_id == team.pk
    assert events(zj)[0].kind == OwnershipEvent.Kind.ROUTE
    assert events(zj)[0].details["team"]["id"] == team.pk
    assert owner_of(other) is None and other.pool_team_id is None
    assert events(other)[0].details["rule"]["name"] == "rest"


def test_away_inactive_and_full_reps_are_skipped_with_reasons(
    manager, team, reps, make_lead, set_policy
):
    now = timezone.now()
    AwayPeriod.objects.create(
        user=reps[0],
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=2),
        reason="leave",
    )
    User.objects.filter(pk=reps[1].pk).update(is_active=False)
    User.objects.filter(pk=reps[2].pk).update(capacity=1)
    rule("all", Target.ROUND_ROBIN, team=team)
    first = make_lead(actor=manager)
    assert owner_of(first) == reps[2]
    skipped = {s["id"]: s for s in events(first)[0].details["skipped"]}
    assert skipped[reps[0].pk]["reason"] == "away" and skipped[reps[0].pk]["note"] == "leave"
    assert skipped[reps[0].pk]["until"]
    assert skipped[reps[1].pk]["reason"] == "inactive"
    # reps[2] is now at their capacity of 1: nobody is eligible, the team pool takes it.
    second = make_lead(actor=manager)
    assert owner_of(second) is None and second.pool_team_id == team.pk
    (event,) = events(second)
    assert event.kind == OwnershipEvent.Kind.ROUTE and event.details["fallback"] == "team_pool"
    reasons = {s["id"]: s["reason"] for s in event.details["skipped"]}
    assert reasons == {reps[0].pk: "away", reps[1].pk: "inactive", reps[2].pk: "at_capacity"}


def test_an_away_period_that_ended_does_not_skip(manager, team, reps, make_lead):
    now = timezone.now()
    AwayPeriod.objects.create(
        user=reps[0], starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1)
    )
    rule("all", Target.ROUND_ROBIN, team=team)
    assert owner_of(make_lead(actor=manager)) == reps[0]


def test_least_loaded_goes_by_load_relative_to_capacity(manager, team, reps, make_lead):
    User.objects.filter(pk=reps[0].pk).update(capacity=10)
    for _ in range(2):
        make_lead(actor=reps[0])  # 2/10
    for _ in range(3):
        make_lead(actor=reps[1])  # 3/30
    make_lead(actor=reps[2])  # 1/30
    rule("least", Target.LEAST_LOADED, team=team)
    lead = make_lead(actor=manager)
    assert owner_of(lead) == reps[2]
    chosen = events(lead)[0].details["chosen"]
    assert (chosen["load"], chosen["capacity"]) == (1, 30)
    # 2/30 for reps[2] still beats 2/10 and 3/30.
    assert owner_of(make_lead(actor=manager)) == reps[2]


def test_the_claim_limit_binds_above_a_larger_capacity(manager, team, reps, make_lead, set_policy):
    set_policy(team=team, claim_limit=1)
    User.objects.filter(pk__in=[r.pk for r in reps]).update(capacity=50)
    rule("all", Target.ROUND_ROBIN, team=team)
    owners = [owner_of(make_lead(actor=manager)) for _ in range(4)]
    assert owners[:3] == reps and owners[3] is None
    reasons = {
        s["reason"] for s in events(OwnershipEvent.objects.last().lead)[0].details["skipped"]
    }
    assert reasons == {"at_limit"}


def test_a_named_rep_who_is_away_sends_the_customer_to_their_team_pool(
    manager, team, reps, make_lead
):
    now = timezone.now()
    AwayPeriod.objects.create(
        user=reps[1], starts_at=now, ends_at=now + timedelta(days=1), reason="training"
    )
    rule("named", Target.REP, rep=reps[1])
    lead = make_lead(actor=manager)
    assert owner_of(lead) is None and lead.pool_team_id == team.pk
    (event,) = events(lead)
    assert event.details["skipped"][0]["reason"] == "away"
    assert event.details["skipped"][0]["note"] == "training"


def test_a_reps_own_customer_and_an_explicit_owner_or_pool_are_not_routed(
    manager, team, other_team, reps, rep, make_lead, admin_user
):
    rule("everything to reps[0]", Target.REP, rep=reps[0])
    own = make_lead(actor=rep)
    assert owner_of(own) == rep
    named = make_lead(actor=manager, owner_id=reps[1].pk)
    assert owner_of(named) == reps[1]
    pooled = make_lead(actor=admin_user, pool_team_id=other_team.pk)
    assert owner_of(pooled) is None and pooled.pool_team_id == other_team.pk
    assert all(e.details.get("via") != "routing" for e in OwnershipEvent.objects.all())


def test_a_refused_duplicate_routes_nothing_and_leaves_the_cursor(manager, team, reps, make_lead):
    rule("all", Target.ROUND_ROBIN, team=team)
    first = make_lead(
        actor=manager,
        company_name="杭州西湖茶叶有限公司",
        contacts=[{"name": "Li", "phone": "13900001111"}],
    )
    assert owner_of(first) == reps[0]
    services.release_lead(lead_id=first.pk, actor=reps[0], reason="not for me")
    with pytest.raises(DuplicateInPool):
        services.create_lead(
            actor=manager,
            company_name="杭州西湖茶叶有限公司",
            contacts=[{"name": "Li", "phone": "13900001111"}],
        )
    assert RoutingState.objects.get(team=team).last_rep == reps[0]
    assert owner_of(make_lead(actor=manager)) == reps[1]


def test_an_edited_rule_binds_at_the_next_creation(manager, team, other_team, reps, make_lead):
    zj = rule("zj", Target.TEAM_POOL, team=team)
    assert make_lead(actor=manager).pool_team_id == team.pk
    zj.target_team = other_team
    zj.version = 2
    zj.updated_at = timezone.now()
    zj.save()
    lead = make_lead(actor=manager)
    assert lead.pool_team_id == other_team.pk
    assert events(lead)[0].details["rule"]["version"] == 2


def test_imported_rows_without_a_pool_are_routed_and_rows_into_a_pool_are_not(manager, team, reps):
    rule("浙江客户", Target.ROUND_ROBIN, conditions=ZHEJIANG, team=team)
    rows = [
        {"company_name": "杭州甲科技有限公司", "city": "杭州", "contact_phone": "13800000001"},
        {"company_name": "南京乙贸易有限公司", "province": "江苏", "contact_phone": "13800000002"},
        {"company_name": "广州丙食品有限公司", "province": "广东", "contact_phone": "13800000003"},
    ]
    report = services.import_leads(actor=manager, rows=rows)
    leads = [Lead.objects.get(pk=result.lead) for result in report.results]
    # 杭州 has no province typed: the city's province (浙江) meets the rule.
    assert [owner_of(lead) for lead in leads] == [reps[0], reps[1], None]
    assert [len(events(lead, OwnershipEvent.Kind.ASSIGN)) for lead in leads] == [1, 1, 0]
    into_pool = services.import_leads(
        actor=manager,
        rows=[{"company_name": "宁波丁物流有限公司", "province": "浙江"}],
        pool_team_id=team.pk,
    )
    lead = Lead.objects.get(pk=into_pool.results[0].lead)
    assert owner_of(lead) is None and lead.pool_team_id == team.pk
    assert events(lead) == []
