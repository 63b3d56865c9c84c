"""A rep's bulk claim and bulk release (issue 13, item 3): each lead decided by the single
action's service, under its own locks; one answer per lead; the same permissions and refusal
codes as the single endpoints, per lead."""

from datetime import timedelta

import pytest

from accounts.models import User
from assignments import services
from assignments.models import Collision, Ownership, OwnershipEvent
from crm.errors import DomainError
from leads.models import Lead
from tests.assignments.permissions_world import MATRIX, kind_of, live_owner_id, placeholder
from tests.assignments.permissions_world import snapshot as world_snapshot
from tests.conftest import make_user, mark_won

pytestmark = pytest.mark.django_db

CLAIM = "/api/v1/leads/bulk-claim/"
RELEASE = "/api/v1/leads/bulk-release/"


def owners(leads) -> list[int | None]:
    return [live_owner_id(lead.pk) for lead in leads]


def by_lead(body) -> dict[int, dict]:
    return {row["lead"]: row for row in body["results"]}


# --- claim ---------------------------------------------------------------------------------
def test_bulk_claim_claims_each_lead_with_its_own_history_record(api, rep, make_lead):
    leads = [make_lead() for _ in range(3)]
    response = api(rep).post(CLAIM, {"lead_ids": [lead.pk for lead in leads]}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["claimed"], body["refused"]) == (3, 0)
    assert [row["lead"] for row in body["results"]] == [lead.pk for lead in leads]
    for row in body["results"]:
        assert row["status"] == "claimed"
        assert row["owner"] == {"id": rep.pk, "display_name": "Alice Rep"}
        assert row["claimed_at"] and row["protected_until"]
        assert "code" not in row
    assert owners(leads) == [rep.pk] * 3
    for lead in leads:
        assert list(OwnershipEvent.objects.filter(lead=lead).values_list("kind", "actor")) == [
            ("claim", rep.pk)
        ]


def test_each_refusal_has_the_single_claims_code_and_facts(
    api, rep, teammate, outsider, other_team, make_lead, set_policy
):
    set_policy(cooldown=timedelta(days=3))
    free = make_lead()
    taken = make_lead()
    services.claim_lead(lead_id=taken.pk, actor=teammate)
    released = make_lead()
    services.claim_lead(lead_id=released.pk, actor=rep)
    services.release_lead(lead_id=released.pk, actor=rep, reason="not now")
    foreign_pool = make_lead(pool_team_id=other_team.pk)
    merged_away = make_lead()
    Lead.objects.filter(pk=merged_away.pk).update(merged_into=free)
    ids = [free.pk, taken.pk, released.pk, foreign_pool.pk, 999_999_999, merged_away.pk]

    body = api(rep).post(CLAIM, {"lead_ids": ids}, format="json").json()

    rows = by_lead(body)
    assert (body["claimed"], body["refused"]) == (1, 5)
    assert rows[free.pk]["status"] == "claimed"
    owned = rows[taken.pk]
    assert (owned["status"], owned["code"]) == ("refused", "already_owned")
    # Who has it, as the single claim says it.
    assert owned["owner"] == {"id": teammate.pk, "display_name": "Bob Rep"}
    assert "Already claimed by Bob Rep" in owned["detail"] and owned["protected_until"]
    assert (rows[released.pk]["code"], bool(rows[released.pk]["until"])) == ("in_cooldown", True)
    for lead_id in (foreign_pool.pk, 999_999_999, merged_away.pk):
        # Nothing but the refusal: no owner, no name, no date.
        assert rows[lead_id] == {
            "lead": lead_id,
            "status": "refused",
            "code": "not_found",
            "detail": "Not found.",
        }
    # The refused claim is in the collision log, as a single refused claim is.
    assert Collision.objects.filter(user=rep, lead=taken, code="already_owned").count() == 1
    assert owners([taken, released, foreign_pool]) == [teammate.pk, None, None]


def test_the_limit_in_the_middle_of_a_bulk_claim(api, rep, make_lead, set_policy):
    set_policy(claim_limit=3)
    held = make_lead(actor=rep)
    leads = [make_lead() for _ in range(4)]

    body = api(rep).post(CLAIM, {"lead_ids": [lead.pk for lead in leads]}, format="json").json()

    statuses = [(row["status"], row.get("code")) for row in body["results"]]
    assert statuses == [
        ("claimed", None),
        ("claimed", None),
        ("refused", "claim_limit_reached"),
        ("refused", "claim_limit_reached"),
    ]
    assert body["results"][2]["limit"] == 3 and body["results"][2]["active"] == 3
    assert (body["claimed"], body["refused"]) == (2, 2)
    assert owners(leads) == [rep.pk, rep.pk, None, None]
    assert live_owner_id(held.pk) == rep.pk
    assert Ownership.objects.filter(owner=rep, ended_at__isnull=True).count() == 3


def test_a_lead_ticked_twice_is_claimed_once_and_an_own_lead_is_a_no_op(api, rep, make_lead):
    lead = make_lead()
    mine = make_lead(actor=rep)
    body = api(rep).post(CLAIM, {"lead_ids": [lead.pk, lead.pk, mine.pk]}, format="json").json()
    assert [row["lead"] for row in body["results"]] == [lead.pk, mine.pk]
    assert body["claimed"] == 2
    assert OwnershipEvent.objects.filter(lead=lead, kind="claim").count() == 1
    assert OwnershipEvent.objects.filter(lead=mine).count() == 1  # its creation only


def test_someone_who_may_not_own_customers_is_refused_once(api, admin_user, make_lead):
    lead = make_lead()
    response = api(admin_user).post(CLAIM, {"lead_ids": [lead.pk]}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "cannot_claim"
    assert live_owner_id(lead.pk) is None


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"lead_ids": []},
        {"lead_ids": "12"},
        {"lead_ids": 12},
        {"lead_ids": ["abc"]},
        {"lead_ids": [0]},
        {"lead_ids": [-4]},
        {"lead_ids": [None]},
        {"lead_ids": [1.5]},
        {"lead_ids": list(range(1, 102))},
    ],
)
def test_bad_input_is_400_and_changes_nothing(api, rep, make_lead, payload):
    lead = make_lead()
    for path in (CLAIM, RELEASE):
        response = api(rep).post(path, {**payload, "reason": "x"}, format="json")
        assert response.status_code == 400, (path, payload, response.content)
        assert response.json()["code"] == "invalid"
    assert live_owner_id(lead.pk) is None
    assert OwnershipEvent.objects.filter(kind="claim").count() == 0


def test_anonymous_callers_are_refused(api, make_lead):
    lead = make_lead()
    for path in (CLAIM, RELEASE):
        assert api().post(
            path, {"lead_ids": [lead.pk], "reason": "x"}, format="json"
        ).status_code in (
            401,
            403,
        )
    assert live_owner_id(lead.pk) is None


def test_the_service_refuses_an_empty_or_oversized_selection(rep, make_lead):
    lead = make_lead()
    for ids, code in (
        ([], "nothing_selected"),
        ([lead.pk] * 2 + list(range(10**6, 10**6 + 100)), "too_many_selected"),
    ):
        with pytest.raises(DomainError) as refused:
            services.claim_leads(lead_ids=ids, actor=rep)
        assert refused.value.code == code
    assert live_owner_id(lead.pk) is None


# --- release -------------------------------------------------------------------------------
def test_bulk_release_releases_each_with_the_one_reason(api, rep, make_lead):
    leads = [make_lead(actor=rep) for _ in range(3)]
    response = api(rep).post(
        RELEASE, {"lead_ids": [lead.pk for lead in leads], "reason": "Wrong region"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["released"], body["refused"]) == (3, 0)
    assert body["results"] == [{"lead": lead.pk, "status": "released"} for lead in leads]
    assert owners(leads) == [None] * 3
    for lead in leads:
        event = OwnershipEvent.objects.filter(lead=lead).latest("id")
        assert (event.kind, event.actor_id, event.from_owner_id, event.reason) == (
            "release",
            rep.pk,
            rep.pk,
            "Wrong region",
        )


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}])
def test_bulk_release_needs_a_reason(api, rep, make_lead, payload):
    lead = make_lead(actor=rep)
    response = api(rep).post(RELEASE, {"lead_ids": [lead.pk], **payload}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    assert live_owner_id(lead.pk) == rep.pk


def test_a_rep_bulk_releasing_someone_elses_lead_gets_not_found_and_nothing_changes(
    api, rep, teammate, outsider, make_lead
):
    mine = make_lead(actor=rep)
    mates = make_lead(actor=teammate)
    foreign = make_lead(actor=outsider)
    before = OwnershipEvent.objects.count()

    body = (
        api(rep)
        .post(RELEASE, {"lead_ids": [mates.pk, foreign.pk], "reason": "Not mine"}, format="json")
        .json()
    )

    assert (body["released"], body["refused"]) == (0, 2)
    for lead in (mates, foreign):
        assert by_lead(body)[lead.pk] == {
            "lead": lead.pk,
            "status": "refused",
            "code": "not_found",
            "detail": "Not found.",
        }
    assert owners([mine, mates, foreign]) == [rep.pk, teammate.pk, outsider.pk]
    assert OwnershipEvent.objects.count() == before


def test_release_refusals_per_lead(api, rep, teammate, manager, make_lead):
    pool = make_lead()
    won = make_lead(actor=rep)
    mark_won(won)
    helped = make_lead(actor=teammate)
    services.invite_collaborator(lead_id=helped.pk, actor=teammate, user_id=rep.pk)
    mine = make_lead(actor=rep)

    body = (
        api(rep)
        .post(
            RELEASE,
            {"lead_ids": [pool.pk, won.pk, helped.pk, mine.pk], "reason": "Cleaning up"},
            format="json",
        )
        .json()
    )

    codes = {lead_id: row.get("code", row["status"]) for lead_id, row in by_lead(body).items()}
    assert codes == {
        pool.pk: "not_owned",
        won.pk: "customer_won",
        helped.pk: "permission_denied",
        mine.pk: "released",
    }
    assert owners([pool, won, helped, mine]) == [None, rep.pk, teammate.pk, None]
    # A manager may release the won customer (rule 8: a manager's decision, in the history).
    body = api(manager).post(RELEASE, {"lead_ids": [won.pk], "reason": "Ruling"}, format="json")
    assert body.json()["released"] == 1


# --- the same permissions as the single endpoints, per lead ---------------------------------
def _single_rows(role: str, kind: str) -> dict[str, tuple[int, str | None]]:
    return {
        placeholder(path): (status, code)
        for who, method, path, status, code in MATRIX
        if who == role and method == "POST" and kind_of(path) == kind
    }


@pytest.mark.parametrize("role", ["rep", "teammate", "outsider", "manager", "other_manager"])
def test_bulk_claim_answers_each_lead_as_the_single_claim(world, api, role):
    expected = _single_rows(role, "claim")
    ids = [world.ids[name] for name in expected]
    body = api(world.users[role]).post(CLAIM, {"lead_ids": ids}, format="json").json()
    rows = by_lead(body)
    for name, (status, code) in expected.items():
        row = rows[world.ids[name]]
        if status == 200:
            assert row["status"] == "claimed", (role, name, row)
            assert live_owner_id(world.ids[name]) == world.users[role].pk
        else:
            assert (row["status"], row["code"]) == ("refused", code), (role, name, row)


def test_bulk_claim_by_an_admin_is_refused_as_the_single_claim(world, api):
    expected = _single_rows("admin", "claim")
    before = world_snapshot()
    ids = [world.ids[name] for name in expected]
    response = api(world.users["admin"]).post(CLAIM, {"lead_ids": ids}, format="json")
    assert {code for _, code in expected.values()} == {response.json()["code"]} == {"cannot_claim"}
    assert response.status_code == 403
    assert world_snapshot() == before


@pytest.mark.parametrize(
    "role", ["rep", "teammate", "outsider", "manager", "other_manager", "admin"]
)
def test_bulk_release_answers_each_lead_as_the_single_release(world, api, role):
    expected = _single_rows(role, "release")
    ids = [world.ids[name] for name in expected]
    refused_before = {
        name: live_owner_id(world.ids[name])
        for name, (status, _) in expected.items()
        if status != 200
    }
    body = (
        api(world.users[role])
        .post(RELEASE, {"lead_ids": ids, "reason": "Not a fit"}, format="json")
        .json()
    )
    rows = by_lead(body)
    for name, (status, code) in expected.items():
        row = rows[world.ids[name]]
        if status == 200:
            assert row["status"] == "released", (role, name, row)
            assert live_owner_id(world.ids[name]) is None
        else:
            assert (row["status"], row["code"]) == ("refused", code), (role, name, row)
            assert live_owner_id(world.ids[name]) == refused_before[name]


def test_a_rep_may_not_bulk_claim_for_someone_else(api, rep, teammate, make_lead):
    """There is no "for" in the request: the claims are always the caller's."""
    lead = make_lead()
    body = (
        api(rep)
        .post(
            CLAIM, {"lead_ids": [lead.pk], "owner": teammate.pk, "to": teammate.pk}, format="json"
        )
        .json()
    )
    assert body["results"][0]["owner"]["id"] == rep.pk
    assert live_owner_id(lead.pk) == rep.pk


def test_an_inactive_reps_token_does_nothing(api, make_lead, team):
    leaving = make_user("leaving", team=team)
    client = api(leaving)
    User.objects.filter(pk=leaving.pk).update(is_active=False)
    lead = make_lead()
    assert client.post(CLAIM, {"lead_ids": [lead.pk]}, format="json").status_code in (401, 403)
    assert live_owner_id(lead.pk) is None
