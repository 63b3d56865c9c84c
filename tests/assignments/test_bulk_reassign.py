"""Bulk moves (批量转移), the service: what a manager's job moves, skips and reports, run
in-process (the worker's task calls the same `run_bulk_reassignment`; see
test_bulk_reassign_worker.py for a real worker)."""

from collections import Counter
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Notification, User
from assignments import services
from assignments.exceptions import (
    InvalidFilter,
    InvalidTarget,
    NothingSelected,
    OutOfScope,
    ReasonRequired,
    TooManySelected,
)
from assignments.models import (
    BulkReassignment,
    BulkReassignmentItem,
    Ownership,
    OwnershipEvent,
    TransferRequest,
)
from assignments.services import bulk_reassign_run, moves
from assignments.services.bulk_reassign import BulkTarget, submit_bulk_reassignment
from assignments.services.bulk_reassign_run import (
    run_bulk_reassignment,
    stalled_bulk_reassignments,
)
from assignments.tasks import run_bulk_reassignment_task
from crm.errors import PermissionDenied
from leads.models import Lead
from tests.conftest import expire_claim, make_user, mark_won

pytestmark = pytest.mark.django_db


def owner_of(lead) -> int | None:
    period = Ownership.objects.filter(lead=lead, ended_at__isnull=True).first()
    return period.owner_id if period else None


def items_of(job) -> list[BulkReassignmentItem]:
    return list(BulkReassignmentItem.objects.filter(job=job).order_by("position"))


def assert_report_adds_up(job) -> None:
    job.refresh_from_db()
    counts = Counter(BulkReassignmentItem.objects.filter(job=job).values_list("outcome", flat=True))
    assert job.total == sum(counts.values())
    assert (job.moved, job.skipped, job.failed) == (
        counts["moved"],
        counts["skipped"],
        counts["failed"],
    )
    assert job.processed == job.total
    assert counts["pending"] == 0
    # One history record per moved lead, named by its item; none for the others.
    moved = BulkReassignmentItem.objects.filter(job=job, outcome="moved")
    events = OwnershipEvent.objects.filter(details__bulk=job.pk)
    assert events.count() == job.moved
    assert set(moved.values_list("event_id", flat=True)) == set(events.values_list("pk", flat=True))


@pytest.fixture
def carol(team, manager):
    return make_user("carol", team=team, display_name="Carol Rep")


@pytest.fixture
def alice_leads(rep, make_lead):
    return [make_lead(actor=rep, company_name=f"Alice Customer {i}") for i in range(6)]


def test_manager_moves_a_reps_customers_to_one_rep(manager, rep, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="Alice is on leave",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    assert (job.state, job.total, job.moved) == ("queued", 6, 0)
    assert all(item.owner_before_id == rep.pk for item in items_of(job))

    assert run_bulk_reassignment(job_id=job.pk) is True

    job.refresh_from_db()
    assert (job.state, job.moved, job.skipped, job.failed) == ("done", 6, 0, 0)
    assert job.started_at and job.finished_at
    for lead, item in zip(alice_leads, items_of(job), strict=True):
        assert owner_of(lead) == teammate.pk
        assert (item.outcome, item.owner_before_id, item.owner_after_id) == (
            "moved",
            rep.pk,
            teammate.pk,
        )
        event = OwnershipEvent.objects.get(pk=item.event_id)
        assert (event.kind, event.lead_id, event.from_owner_id, event.to_owner_id) == (
            "reassign",
            lead.pk,
            rep.pk,
            teammate.pk,
        )
        assert (event.actor_id, event.reason) == (manager.pk, "Alice is on leave")
        assert event.details == {"bulk": job.pk, "override_limit": True}
        ended = Ownership.objects.get(lead=lead, owner=rep)
        assert ended.end_kind == "reassign"
    assert_report_adds_up(job)
    # One notice per rep and job, not one per customer.
    notes = Notification.objects.filter(kind="reassigned")
    assert sorted(notes.values_list("user__username", "payload__direction", "payload__count")) == [
        ("alice", "out", 6),
        ("bob", "in", 6),
    ]


def test_running_a_finished_job_again_moves_nothing(manager, rep, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    run_bulk_reassignment(job_id=job.pk)
    before = OwnershipEvent.objects.count()
    assert run_bulk_reassignment(job_id=job.pk) is True
    assert OwnershipEvent.objects.count() == before
    assert Notification.objects.filter(kind="reassigned").count() == 2


def test_round_robin_spreads_evenly_and_goes_on_across_chunks(
    manager, rep, teammate, carol, make_lead
):
    dave = make_user("dave", team=rep.team)
    leads = [make_lead(actor=dave, company_name=f"Dave Customer {i}") for i in range(10)]
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.round_robin([rep.pk, teammate.pk, carol.pk]),
        reason="Dave left",
        lead_ids=[lead.pk for lead in leads],
    )
    # Chunks of 4: the rotation carries on where the previous chunk stopped.
    assert run_bulk_reassignment(job_id=job.pk, chunk_size=4) is True
    owners = [owner_of(lead) for lead in leads]
    assert owners == [rep.pk, teammate.pk, carol.pk] * 3 + [rep.pk]
    assert Counter(owners) == {rep.pk: 4, teammate.pk: 3, carol.pk: 3}
    assert_report_adds_up(job)


def test_round_robin_passes_over_a_rep_at_their_claim_limit(
    manager, rep, teammate, carol, make_lead, set_policy
):
    set_policy(claim_limit=3)
    make_lead(actor=teammate)
    make_lead(actor=teammate)  # teammate holds 2 of 3
    dave = make_user("dave", team=rep.team)
    set_policy(claim_limit=10)
    leads = [make_lead(actor=dave, company_name=f"Dave Customer {i}") for i in range(6)]
    set_policy(claim_limit=3)
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.round_robin([teammate.pk, carol.pk]),
        reason="Dave left",
        lead_ids=[lead.pk for lead in leads],
    )
    run_bulk_reassignment(job_id=job.pk)
    # teammate has room for one, carol for three: the rest fail at the limit, none passes it.
    owners = Counter(owner_of(lead) for lead in leads)
    assert owners == {teammate.pk: 1, carol.pk: 3, dave.pk: 2}
    failed = BulkReassignmentItem.objects.filter(job=job, outcome="failed")
    assert set(failed.values_list("code", flat=True)) == {"claim_limit_reached"}
    assert_report_adds_up(job)


def test_one_rep_at_the_limit_fails_unless_overridden(
    manager, rep, teammate, alice_leads, set_policy
):
    set_policy(claim_limit=2)
    ids = [lead.pk for lead in alice_leads]
    job = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=ids
    )
    run_bulk_reassignment(job_id=job.pk)
    job.refresh_from_db()
    assert (job.moved, job.failed) == (2, 4)
    assert [i.code for i in items_of(job)] == [""] * 2 + ["claim_limit_reached"] * 4

    again = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=ids[2:],
        override_limit=True,
    )
    run_bulk_reassignment(job_id=again.pk)
    assert all(owner_of(lead) == teammate.pk for lead in alice_leads)
    event = OwnershipEvent.objects.get(pk=items_of(again)[0].event_id)
    assert event.details["override_limit"] is True


def test_a_won_customer_moves_and_takes_no_claim_slot(
    manager, rep, teammate, alice_leads, set_policy
):
    set_policy(claim_limit=1)
    mark_won(alice_leads[0])
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk, alice_leads[1].pk, alice_leads[2].pk],
    )
    run_bulk_reassignment(job_id=job.pk)
    assert [owner_of(lead) for lead in alice_leads[:3]] == [teammate.pk, teammate.pk, rep.pk]


def test_to_the_team_pool_and_to_the_public_pool(manager, rep, team, alice_leads):
    to_team = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.pool(team.pk),
        reason="Back to the team",
        lead_ids=[lead.pk for lead in alice_leads[:3]],
    )
    to_public = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.pool(None),
        reason="Nobody works these",
        lead_ids=[lead.pk for lead in alice_leads[3:]],
    )
    run_bulk_reassignment(job_id=to_team.pk)
    run_bulk_reassignment(job_id=to_public.pk)
    for lead in alice_leads:
        lead.refresh_from_db()
        assert owner_of(lead) is None
        assert Ownership.objects.get(lead=lead).end_kind == "release"
    assert [lead.pool_team_id for lead in alice_leads] == [team.pk] * 3 + [None] * 3
    event = OwnershipEvent.objects.get(pk=items_of(to_public)[0].event_id)
    assert (event.kind, event.from_owner_id, event.to_owner_id) == ("release", rep.pk, None)
    assert event.details == {"bulk": to_public.pk, "pool_team": None}
    assert_report_adds_up(to_team)
    assert_report_adds_up(to_public)


def test_a_lead_changed_meanwhile_is_skipped_and_the_others_move(
    manager, rep, teammate, carol, alice_leads
):
    ids = [lead.pk for lead in alice_leads]
    job = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=ids
    )
    # After the submission: Alice releases one, Carol claims it; another one expires.
    services.release_lead(lead_id=ids[1], actor=rep, reason="not for me")
    services.claim_lead(lead_id=ids[1], actor=carol)
    expire_claim(ids[3])
    # and one was the target's already: nothing to do for that one either.
    services.reassign_lead(lead_id=ids[5], actor=manager, to_user_id=teammate.pk, reason="y")

    run_bulk_reassignment(job_id=job.pk)

    report = [(i.outcome, i.code) for i in items_of(job)]
    assert report == [
        ("moved", ""),
        ("skipped", "changed_meanwhile"),
        ("moved", ""),
        ("skipped", "changed_meanwhile"),
        ("moved", ""),
        ("skipped", "changed_meanwhile"),
    ]
    assert owner_of(alice_leads[1]) == carol.pk
    assert owner_of(alice_leads[3]) is None  # its expiry was recorded, nothing more
    assert list(OwnershipEvent.objects.filter(lead_id=ids[3]).values_list("kind", flat=True)) == [
        "assign",
        "expire",
    ]
    assert_report_adds_up(job)


def test_leads_already_with_the_target_are_skipped(manager, rep, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(rep.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads[:2]],
    )
    run_bulk_reassignment(job_id=job.pk)
    assert [(i.outcome, i.code) for i in items_of(job)] == [("skipped", "already_owner")] * 2
    assert not OwnershipEvent.objects.filter(kind="reassign").exists()


def test_one_failure_neither_stops_nor_undoes_the_others(manager, rep, teammate, alice_leads):
    ids = [lead.pk for lead in alice_leads]
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=ids,
        override_limit=True,
    )
    real_write = moves.write_moves

    def flaky_write(batch, **kwargs):
        # The database refuses any write that includes the third lead.
        if any(move.lead.pk == ids[2] for move in batch):
            raise IntegrityError("simulated: a constraint the checks did not foresee")
        return real_write(batch, **kwargs)

    with mock.patch.object(bulk_reassign_run, "write_moves", flaky_write):
        assert run_bulk_reassignment(job_id=job.pk, chunk_size=4) is True

    report = [(i.outcome, i.code) for i in items_of(job)]
    assert report[2] == ("failed", "ownership_conflict")
    assert report[:2] + report[3:] == [("moved", "")] * 5
    assert owner_of(alice_leads[2]) == rep.pk
    assert [owner_of(lead) for i, lead in enumerate(alice_leads) if i != 2] == [teammate.pk] * 5
    assert_report_adds_up(job)


def test_a_crash_inside_a_chunk_leaves_it_pending_and_the_rerun_moves_each_lead_once(
    manager, rep, teammate, alice_leads
):
    """A worker dying after its writes but before its commit: nothing of that chunk stays
    (moves, history, item outcomes are one transaction); the next run does it once."""
    ids = [lead.pk for lead in alice_leads]
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=ids,
        override_limit=True,
    )
    assert run_bulk_reassignment(job_id=job.pk, chunk_size=2, seconds=0) is False
    job.refresh_from_db()
    assert (job.moved, job.state) == (2, "running")

    class WorkerKilled(BaseException):
        pass

    def die(*args, **kwargs):
        raise WorkerKilled()

    with mock.patch.object(bulk_reassign_run, "_write_items", die), pytest.raises(WorkerKilled):
        run_bulk_reassignment(job_id=job.pk, chunk_size=2)
    job.refresh_from_db()
    assert job.moved == 2
    assert [owner_of(lead) for lead in alice_leads[2:4]] == [rep.pk, rep.pk]

    assert run_bulk_reassignment(job_id=job.pk, chunk_size=2) is True
    assert [owner_of(lead) for lead in alice_leads] == [teammate.pk] * 6
    per_lead = OwnershipEvent.objects.filter(kind="reassign").values("lead_id")
    assert not per_lead.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert_report_adds_up(job)


def test_pending_transfer_requests_close_with_the_move(manager, rep, teammate, carol, alice_leads):
    lead = alice_leads[0]
    request = services.request_transfer(lead_id=lead.pk, actor=carol, reason="mine")
    job = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=[lead.pk]
    )
    run_bulk_reassignment(job_id=job.pk)
    request.refresh_from_db()
    assert request.status == TransferRequest.Status.STALE


# --- what the manager may select ----------------------------------------------------------
def test_leads_the_manager_may_not_move_are_failed_not_found(
    manager, rep, teammate, outsider, make_lead
):
    own = make_lead(actor=rep)
    foreign = make_lead(actor=outsider)
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[foreign.pk, own.pk, 987_654_321, own.pk],
        override_limit=True,
    )
    assert (job.total, job.failed) == (3, 2)
    run_bulk_reassignment(job_id=job.pk)
    assert [(i.lead_id, i.outcome, i.code) for i in items_of(job)] == [
        (foreign.pk, "failed", "not_found"),
        (own.pk, "moved", ""),
        (987_654_321, "failed", "not_found"),
    ]
    assert owner_of(foreign) == outsider.pk
    assert_report_adds_up(job)


def test_a_job_of_nothing_movable_is_done_at_once(manager, teammate, outsider, make_lead):
    foreign = make_lead(actor=outsider)
    with mock.patch("assignments.services.bulk_reassign.queue_bulk_reassignment_run") as queue:
        job = submit_bulk_reassignment(
            actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=[foreign.pk]
        )
    assert (job.state, job.total, job.failed) == ("done", 1, 1)
    queue.assert_not_called()


def test_pool_leads_go_to_a_rep_but_not_to_another_pool(manager, teammate, team, make_lead):
    public, team_pool = make_lead(), make_lead(pool_team_id=team.pk)
    to_rep = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="Assign from the pool",
        lead_ids=[public.pk, team_pool.pk],
    )
    run_bulk_reassignment(job_id=to_rep.pk)
    assert [owner_of(public), owner_of(team_pool)] == [teammate.pk, teammate.pk]
    event = OwnershipEvent.objects.get(pk=items_of(to_rep)[0].event_id)
    assert (event.kind, event.from_owner_id) == ("reassign", None)

    other = make_lead()
    to_pool = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.pool(team.pk), reason="x", lead_ids=[other.pk]
    )
    run_bulk_reassignment(job_id=to_pool.pk)
    assert [(i.outcome, i.code) for i in items_of(to_pool)] == [("skipped", "in_pool")]


def test_filter_selects_what_the_team_list_shows_newest_first(
    manager, rep, teammate, outsider, make_lead
):
    hz = [make_lead(actor=rep, company_name=f"Hangzhou {i}", city="杭州") for i in range(3)]
    make_lead(actor=rep, company_name="Ningbo", city="宁波")
    bobs = make_lead(actor=teammate, company_name="Bob Hangzhou", city="杭州")
    make_lead(actor=outsider, company_name="Foreign Hangzhou", city="杭州")
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        filters={"city": "杭州", "owner": str(rep.pk)},
        override_limit=True,
    )
    assert job.source == {"filter": {"city": "杭州", "owner": str(rep.pk)}}
    assert [i.lead_id for i in items_of(job)] == [lead.pk for lead in reversed(hz)]
    assert {i.owner_before_id for i in items_of(job)} == {rep.pk}
    assert bobs.pk not in [i.lead_id for i in items_of(job)]
    run_bulk_reassignment(job_id=job.pk)
    assert all(owner_of(lead) == teammate.pk for lead in hz)


def test_filter_errors(manager, teammate, rep, make_lead):
    make_lead(actor=rep, city="杭州")
    target = BulkTarget.rep(teammate.pk)
    with pytest.raises(NothingSelected):
        submit_bulk_reassignment(
            actor=manager, target=target, reason="x", filters={"city": "Nowhere"}
        )
    with pytest.raises(InvalidFilter):
        submit_bulk_reassignment(
            actor=manager, target=target, reason="x", filters={"status": "bogus"}
        )
    with pytest.raises(NothingSelected):
        submit_bulk_reassignment(actor=manager, target=target, reason="x")
    assert not BulkReassignment.objects.exists()


def test_too_many_leads(manager, teammate, rep, make_lead, settings):
    settings.BULK_REASSIGN_MAX_LEADS = 2
    leads = [make_lead(actor=rep) for _ in range(3)]
    target = BulkTarget.rep(teammate.pk)
    with pytest.raises(TooManySelected):
        submit_bulk_reassignment(
            actor=manager, target=target, reason="x", lead_ids=[lead.pk for lead in leads]
        )
    with pytest.raises(TooManySelected):
        submit_bulk_reassignment(actor=manager, target=target, reason="x", filters={})
    assert not BulkReassignment.objects.exists()


# --- who may ------------------------------------------------------------------------------
def test_refusals_at_submission(
    manager, rep, teammate, outsider, other_team, admin_user, alice_leads
):
    ids = [alice_leads[0].pk]
    with pytest.raises(PermissionDenied):
        submit_bulk_reassignment(
            actor=rep, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=ids
        )
    with pytest.raises(ReasonRequired):
        submit_bulk_reassignment(
            actor=manager, target=BulkTarget.rep(teammate.pk), reason="  ", lead_ids=ids
        )
    with pytest.raises(OutOfScope):
        submit_bulk_reassignment(
            actor=manager, target=BulkTarget.rep(outsider.pk), reason="x", lead_ids=ids
        )
    with pytest.raises(OutOfScope):
        submit_bulk_reassignment(
            actor=manager,
            target=BulkTarget.round_robin([teammate.pk, outsider.pk]),
            reason="x",
            lead_ids=ids,
        )
    with pytest.raises(OutOfScope):
        submit_bulk_reassignment(
            actor=manager, target=BulkTarget.pool(other_team.pk), reason="x", lead_ids=ids
        )
    for target in (
        BulkTarget.rep(admin_user.pk),  # admins own no customers
        BulkTarget.rep(999_999),
        BulkTarget.pool(999_999),
    ):
        with pytest.raises(InvalidTarget):
            submit_bulk_reassignment(actor=manager, target=target, reason="x", lead_ids=ids)
    assert not BulkReassignment.objects.exists()


def test_an_admin_moves_across_teams(admin_user, rep, outsider, alice_leads):
    job = submit_bulk_reassignment(
        actor=admin_user,
        target=BulkTarget.rep(outsider.pk),
        reason="Reorganisation",
        lead_ids=[lead.pk for lead in alice_leads[:2]],
        override_limit=True,
    )
    run_bulk_reassignment(job_id=job.pk)
    assert [owner_of(lead) for lead in alice_leads[:2]] == [outsider.pk] * 2


def test_a_manager_demoted_meanwhile_moves_nothing_more(manager, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    User.objects.filter(pk=manager.pk).update(role=User.Role.REP)
    run_bulk_reassignment(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.failed, job.moved) == ("failed", 6, 0)
    assert {i.code for i in items_of(job)} == {"permission_denied"}
    assert_report_adds_up(job)


def test_a_target_rep_who_left_meanwhile_drops_out_of_the_rotation(
    manager, rep, teammate, carol, alice_leads
):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.round_robin([teammate.pk, carol.pk]),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    User.objects.filter(pk=carol.pk).update(is_active=False)
    run_bulk_reassignment(job_id=job.pk)
    assert [owner_of(lead) for lead in alice_leads] == [teammate.pk] * 6

    alone = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(rep.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk],
        override_limit=True,
    )
    User.objects.filter(pk=rep.pk).update(is_active=False)
    run_bulk_reassignment(job_id=alone.pk)
    assert [(i.outcome, i.code) for i in items_of(alone)] == [("failed", "invalid_target")]


# --- the resume job and the queue -----------------------------------------------------------
def test_stalled_jobs_are_found_once_per_stall(manager, teammate, alice_leads, settings):
    settings.BULK_REASSIGN_STALL_SECONDS = 60
    job = submit_bulk_reassignment(
        actor=manager, target=BulkTarget.rep(teammate.pk), reason="x", lead_ids=[alice_leads[0].pk]
    )
    now = timezone.now()
    assert stalled_bulk_reassignments(now=now) == []
    later = now + timezone.timedelta(seconds=61)
    assert stalled_bulk_reassignments(now=later) == [job.pk]
    # Queued again just now: not again before another stall has passed.
    assert stalled_bulk_reassignments(now=later + timezone.timedelta(seconds=1)) == []
    run_bulk_reassignment(job_id=job.pk)
    assert stalled_bulk_reassignments(now=later + timezone.timedelta(seconds=600)) == []


def test_the_job_is_queued_once_the_submission_commits(
    manager, teammate, alice_leads, django_capture_on_commit_callbacks
):
    with mock.patch("assignments.tasks.run_bulk_reassignment_task.apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            job = submit_bulk_reassignment(
                actor=manager,
                target=BulkTarget.rep(teammate.pk),
                reason="x",
                lead_ids=[alice_leads[0].pk],
            )
            send.assert_not_called()
    send.assert_called_once_with(args=[job.pk], retry=False)


def test_a_broker_that_is_down_does_not_fail_the_submission(
    manager, teammate, alice_leads, django_capture_on_commit_callbacks
):
    with mock.patch(
        "assignments.tasks.run_bulk_reassignment_task.apply_async",
        side_effect=ConnectionError("broker down"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            job = submit_bulk_reassignment(
                actor=manager,
                target=BulkTarget.rep(teammate.pk),
                reason="x",
                lead_ids=[alice_leads[0].pk],
            )
    assert BulkReassignment.objects.get(pk=job.pk).state == "queued"


def test_the_task_hands_the_rest_to_a_fresh_task(manager, teammate, alice_leads, settings):
    settings.BULK_REASSIGN_TASK_SECONDS = 0
    settings.BULK_REASSIGN_CHUNK_SIZE = 2
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    with mock.patch("assignments.tasks.run_bulk_reassignment_task.apply_async") as send:
        assert run_bulk_reassignment_task.run(job.pk) is False
    send.assert_called_once_with(args=[job.pk], retry=False)
    assert BulkReassignment.objects.get(pk=job.pk).moved == 2


def test_items_are_written_in_one_statement_per_chunk(
    manager, teammate, alice_leads, django_assert_max_num_queries
):
    """The chunk is batched: a handful of statements, not a handful per lead."""
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    with django_assert_max_num_queries(25):
        run_bulk_reassignment(job_id=job.pk)
    assert BulkReassignment.objects.get(pk=job.pk).moved == 6


def test_a_merged_lead_fails_not_found(manager, rep, teammate, alice_leads):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[alice_leads[0].pk],
        override_limit=True,
    )
    Lead.objects.filter(pk=alice_leads[0].pk).update(merged_into=alice_leads[1])
    run_bulk_reassignment(job_id=job.pk)
    assert [(i.outcome, i.code) for i in items_of(job)] == [("failed", "not_found")]


def test_on_postgresql_the_leads_are_locked_in_one_statement(manager, teammate, alice_leads):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    with CaptureQueriesContext(connection) as queries:
        run_bulk_reassignment(job_id=job.pk)
    locks = [q["sql"] for q in queries if "FOR NO KEY UPDATE" in q["sql"]]
    lead_locks = [sql for sql in locks if 'FROM "leads_lead"' in sql]
    assert len(lead_locks) == 1, locks


def test_an_unexpected_error_on_one_lead_is_reported_and_the_others_move(
    manager, rep, teammate, alice_leads
):
    ids = [lead.pk for lead in alice_leads]
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=ids,
        override_limit=True,
    )
    real_write = moves.write_moves

    def buggy_write(batch, **kwargs):
        if any(move.lead.pk == ids[4] for move in batch):
            raise KeyError("a bug")
        return real_write(batch, **kwargs)

    with mock.patch.object(bulk_reassign_run, "write_moves", buggy_write):
        assert run_bulk_reassignment(job_id=job.pk) is True
    report = [(i.outcome, i.code) for i in items_of(job)]
    assert report[4] == ("failed", "error")
    assert report[:4] + report[5:] == [("moved", "")] * 5
    assert_report_adds_up(job)


def test_a_transient_database_error_stops_the_job_for_later_not_the_lead(
    manager, rep, teammate, alice_leads
):
    job = submit_bulk_reassignment(
        actor=manager,
        target=BulkTarget.rep(teammate.pk),
        reason="x",
        lead_ids=[lead.pk for lead in alice_leads],
        override_limit=True,
    )
    with (
        mock.patch.object(
            bulk_reassign_run, "write_moves", side_effect=OperationalError("lock timeout")
        ),
        pytest.raises(OperationalError),
    ):
        run_bulk_reassignment(job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.failed, job.moved) == ("queued", 0, 0)  # all rolled back
    assert {i.outcome for i in items_of(job)} == {"pending"}
    # Resumed later (the resume job queues it again), it finishes.
    assert run_bulk_reassignment(job_id=job.pk) is True
    assert_report_adds_up(job)
    assert BulkReassignment.objects.get(pk=job.pk).moved == 6
