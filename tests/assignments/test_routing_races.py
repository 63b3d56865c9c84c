"""Routing under real concurrency: creations released together by a barrier, each thread on
its own database connection (PostgreSQL in CI's first pass, the embedded SQLite file in the
second), and rules changed while several server processes route."""

import json
import threading
import urllib.request
from collections import Counter

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from assignments import services
from assignments.exceptions import ClaimLimitReached
from assignments.models import (
    Ownership,
    OwnershipEvent,
    RoutingState,
    TerritoryRule,
    TerritoryRuleChange,
)
from assignments.selectors.claims import count_claim_slots
from leads.models import Lead
from tests.conftest import PASSWORD, make_user
from tests.workers import Process, executable, free_port, process_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
Target = TerritoryRule.Target


def run_threads(jobs: list) -> list:
    """Run each job (a zero-argument callable returning a list) in its own thread, all
    released at once; returns what they returned and the crashes."""
    barrier = threading.Barrier(len(jobs))
    results, crashes = [], []

    def worker(job):
        try:
            barrier.wait(timeout=60)
            results.extend(job())
        except Exception as exc:  # noqa: BLE001 - a crash must fail the test
            crashes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    assert not crashes, crashes[:3]
    return results


def create_many(actor: User, start: int, count: int) -> list:
    def job():
        return [
            services.create_lead(
                actor=actor,
                company_name=f"Routed customer {n:05d} {chr(0x4E00 + n)}{chr(0x4F00 + n)}",
                province="浙江",
                contacts=[{"name": "Zhou", "phone": f"1370000{n:04d}"}],
                confirm_duplicate=True,
            ).pk
            for n in range(start, start + count)
        ]

    return job


def test_concurrent_creations_round_robin_evenly_over_a_team_of_seven(
    team, manager, admin_user, set_policy
):
    set_policy(team=team, claim_limit=500)
    reps = [make_user(f"rr{i}", team=team) for i in range(7)]
    TerritoryRule.objects.create(
        name="浙江 → East",
        target_kind=Target.ROUND_ROBIN,
        target_team=team,
        conditions=[{"field": "province", "op": "equals", "value": "浙江"}],
    )
    total, threads = (1000, 10) if connection.vendor == "postgresql" else (70, 5)
    per = total // threads
    creators = [manager, admin_user]
    lead_ids = run_threads([create_many(creators[i % 2], i * per, per) for i in range(threads)])
    assert len(lead_ids) == total
    owners = Counter(
        Ownership.objects.filter(lead_id__in=lead_ids, ended_at__isnull=True).values_list(
            "owner_id", flat=True
        )
    )
    assert sum(owners.values()) == total  # every customer has exactly one owner
    assert set(owners) == {r.pk for r in reps}
    assert max(owners.values()) - min(owners.values()) <= 1, owners
    # One explaining history record per customer, naming the rep it went to.
    assigns = OwnershipEvent.objects.filter(lead_id__in=lead_ids)
    assert assigns.count() == total
    assert set(assigns.values_list("kind", flat=True)) == {OwnershipEvent.Kind.ASSIGN}
    assert all(
        e.details["chosen"]["id"] == e.to_owner_id and e.details["via"] == "routing"
        for e in assigns
    )
    last = assigns.order_by("-at", "-id").first()
    assert RoutingState.objects.get(team=team).last_rep_id == last.to_owner_id


def test_least_loaded_never_exceeds_a_capacity_while_reps_claim(team, manager, set_policy):
    set_policy(team=team, claim_limit=5)
    reps = [make_user(f"ll{i}", team=team) for i in range(3)]
    User.objects.filter(pk=reps[0].pk).update(capacity=3)
    pool = [
        services.create_lead(
            actor=manager,
            company_name=f"Pool customer {n} {chr(0x5000 + n)}{chr(0x5100 + n)}",
            contacts=[{"name": "Qian", "phone": f"1360000{n:04d}"}],
            pool_team_id=team.pk,
            confirm_duplicate=True,
        ).pk
        for n in range(18)
    ]
    TerritoryRule.objects.create(name="all", target_kind=Target.LEAST_LOADED, target_team=team)

    def claims(rep, ids):
        def job():
            done = []
            for lead_id in ids:
                try:
                    done.append(services.claim_lead(lead_id=lead_id, actor=rep).pk)
                except ClaimLimitReached:
                    pass
            return done

        return job

    jobs = [claims(rep, pool[i * 6 : (i + 1) * 6]) for i, rep in enumerate(reps)]
    jobs += [create_many(manager, 100 + i * 3, 3) for i in range(6)]
    run_threads(jobs)
    now = timezone.now()
    loads = {rep.pk: count_claim_slots(owner_id=rep.pk, now=now) for rep in reps}
    assert loads[reps[1].pk] <= 5 and loads[reps[2].pk] <= 5
    routed = OwnershipEvent.objects.filter(kind=OwnershipEvent.Kind.ASSIGN)
    # Routing never gave reps[0] a customer at or above their capacity of 3.
    for event in routed.filter(to_owner=reps[0]):
        assert event.details["chosen"]["load"] < 3
    assert all(e.details["chosen"]["load"] < e.details["chosen"]["capacity"] for e in routed)
    routed_to_first = routed.filter(to_owner=reps[0]).count()
    claimed_by_first = loads[reps[0].pk] - routed_to_first
    assert routed_to_first == 0 or claimed_by_first + routed_to_first <= 5


def test_a_rule_change_binds_every_server_process_at_once(team, other_team, manager, tmp_path):
    """Three gunicorn workers each keep their compiled rules; a change made elsewhere (here,
    by this process) must be honoured by whichever worker takes the next creation."""
    rule = TerritoryRule.objects.create(
        name="to East's pool", target_kind=Target.TEAM_POOL, target_team=team
    )
    token = account_services.issue_token(username=manager.username, password=PASSWORD).key
    port = free_port()
    server = Process(
        "gunicorn",
        [
            executable("gunicorn"),
            "crm.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
        ],
        env=process_env(var_dir=tmp_path, redis_url=None),
        log=tmp_path / "gunicorn.log",
    ).start()
    counter = {"n": 0}

    def create() -> int:
        counter["n"] += 1
        n = counter["n"]
        body = json.dumps(
            {
                "company_name": f"Process test {n} {chr(0x6000 + n)}{chr(0x6100 + n)}",
                "contacts": [{"name": "Sun", "phone": f"1350000{n:04d}"}],
                "confirm_duplicate": True,
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/leads/",
            data=body,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - localhost
            return json.loads(response.read())["id"]

    try:

        def healthy():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    return True
            except OSError:
                return False

        wait_for(healthy, timeout=30, message=server.tail)
        before = [create() for _ in range(9)]  # every worker has compiled the rules by now
        rule.target_team = other_team
        rule.version += 1
        rule.updated_at = timezone.now()
        rule.save()
        TerritoryRuleChange.objects.create(
            action=TerritoryRuleChange.Action.UPDATE, rule_id=rule.pk, actor=None
        )
        after = [create() for _ in range(9)]
    finally:
        server.stop()
    pools = dict(Lead.objects.filter(pk__in=before + after).values_list("id", "pool_team_id"))
    assert {pools[i] for i in before} == {team.pk}
    assert {pools[i] for i in after} == {other_team.pk}
