"""A bulk move (批量转移) of many customers while reps work those same customers at the same
instant, each on their own database connection (threads released by a barrier): the leaving
rep releases some and logs follow-ups on others, two colleagues claim whatever comes back to
the pool, and a new owner logs follow-ups on what they received.

Afterwards every lead is owned by exactly one rep or sits in a pool, as its history says;
each lead the job moved has one history record of the move and no other; a lead released
before the job reached it is skipped (`changed_meanwhile`), never moved from its new owner;
and the report adds up. 10,000 leads on PostgreSQL (the issue's figure; the whole test takes
about 15 s on a 2-core machine, the job about 5 s of it); 2,000 on the embedded SQLite file,
where the job pauses between chunks so that the reps' writes get their turns."""

import random
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections

from assignments import services
from assignments.models import BulkReassignmentItem, OwnershipEvent
from assignments.services.bulk_reassign import BulkTarget, submit_bulk_reassignment
from assignments.services.bulk_reassign_run import run_bulk_reassignment
from crm.errors import DomainError
from tests.assignments.bulk_world import check_job, check_one_owner_each, give_customers
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

LEADS = 10_000 if connection.vendor == "postgresql" else 2_000
CHUNK = 500 if connection.vendor == "postgresql" else 100


def test_bulk_move_while_reps_claim_release_and_follow_up_the_same_leads(team, manager, set_policy):
    # No claim limit and no cooldown in the way: the race is about ownership, not limits.
    set_policy(claim_limit=100_000, cooldown=timedelta(0))
    alice = make_user("alice", team=team, display_name="Alice (leaving)")
    heirs = [make_user(name, team=team) for name in ("bob", "carol", "dave")]
    grabbers = [make_user(name, team=team) for name in ("erin", "frank")]
    lead_ids = give_customers(LEADS, owner=alice, team=team)
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.round_robin([rep.pk for rep in heirs]),
        reason="Alice leaves",
        lead_ids=lead_ids,
        override_limit=True,
    )
    done = threading.Event()
    barrier = threading.Barrier(6)
    outcomes: dict[str, Counter] = {}
    crashes: list[str] = []
    # The job takes the leads in order: work on those it has not reached yet, and on those
    # it has just moved, so that both sides of the race happen.
    released_by_alice: list[int] = []

    def worker(name, action):
        seen: Counter = Counter()
        rng = random.Random(name)
        try:
            barrier.wait(timeout=30)
            while not done.is_set():
                lead_id = rng.choice(lead_ids)
                try:
                    action(lead_id, rng)
                    seen["ok"] += 1
                except DomainError as exc:
                    seen[exc.code] += 1
                time.sleep(0.001)
        except Exception as exc:  # noqa: BLE001 - a crash must fail the test
            crashes.append(f"{name}: {exc!r}")
        finally:
            outcomes[name] = seen
            connections.close_all()

    def release(lead_id, rng):
        services.release_lead(lead_id=lead_id, actor=alice, reason="Not worth it")
        released_by_alice.append(lead_id)

    def follow_up(user):
        def action(lead_id, rng):
            services.log_followup(lead_id=lead_id, actor=user, kind="call", note="Called")

        return action

    def claim(user):
        def action(lead_id, rng):
            # Mostly what Alice released (back in the pool), sometimes any lead.
            if released_by_alice and rng.random() < 0.8:
                lead_id = rng.choice(released_by_alice)
            services.claim_lead(lead_id=lead_id, actor=user)

        return action

    def run_job():
        try:
            barrier.wait(timeout=30)
            started = time.monotonic()
            assert run_bulk_reassignment(job_id=job.pk, chunk_size=CHUNK)
            outcomes["job"] = Counter(seconds=round(time.monotonic() - started))
        except Exception as exc:  # noqa: BLE001
            crashes.append(f"job: {exc!r}")
        finally:
            done.set()
            connections.close_all()

    threads = [
        threading.Thread(target=run_job),
        threading.Thread(target=worker, args=("alice-release", release)),
        threading.Thread(target=worker, args=("alice-follow-up", follow_up(alice))),
        threading.Thread(target=worker, args=("erin-claim", claim(grabbers[0]))),
        threading.Thread(target=worker, args=("frank-claim", claim(grabbers[1]))),
        threading.Thread(target=worker, args=("bob-follow-up", follow_up(heirs[0]))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    assert not crashes, crashes
    print(dict(outcomes))

    report = check_job(job)
    check_one_owner_each(lead_ids)
    # Both sides of the race happened.
    assert report["moved"] > 0 and report["skipped"] > 0, report
    assert outcomes["alice-release"]["ok"] > 0
    assert outcomes["erin-claim"]["ok"] + outcomes["frank-claim"]["ok"] > 0
    assert set(report) <= {"moved", "skipped"}, report
    items = BulkReassignmentItem.objects.filter(job=job)
    assert set(items.filter(outcome="skipped").values_list("code", flat=True)) == {
        "changed_meanwhile"
    }
    # A skipped lead had left Alice before the job reached it; a moved one never did: she
    # could not release what the job had taken from her.
    releases = dict(
        OwnershipEvent.objects.filter(kind="release", from_owner=alice).values_list("lead_id", "at")
    )
    for lead_id, processed_at in items.filter(outcome="skipped").values_list(
        "lead_id", "processed_at"
    ):
        assert releases[lead_id] <= processed_at
    moved = set(items.filter(outcome="moved").values_list("lead_id", flat=True))
    assert not moved & set(releases)
    assert len(moved) + len(releases) == LEADS
    # Round robin: the heirs received as many customers each, within one.
    received = Counter(items.filter(outcome="moved").values_list("owner_after_id", flat=True))
    assert set(received) == {rep.pk for rep in heirs}
    assert max(received.values()) - min(received.values()) <= 1, received
    # Nobody else took a customer from a rep: only the job's moves and the grabbers' claims
    # of released leads changed owners after the assignment.
    kinds = Counter(OwnershipEvent.objects.values_list("kind", flat=True))
    assert set(kinds) <= {"assign", "reassign", "release", "claim", "expire"}, kinds
    assert kinds["reassign"] == report["moved"]
