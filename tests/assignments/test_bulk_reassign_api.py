"""Bulk moves (批量转移) over the API: `POST /api/v1/bulk-reassignments/` → 202 with the job,
`GET .../{id}/` (progress and report), the list and the CSV; permissions of each, and bad
input answered 400 with a stable code."""

import csv
import io
import json

import pytest

from assignments.models import BulkReassignment, Ownership, OwnershipEvent
from assignments.services.bulk_reassign_run import run_bulk_reassignment
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/bulk-reassignments/"


def owner_of(lead) -> int | None:
    period = Ownership.objects.filter(lead=lead, ended_at__isnull=True).first()
    return period.owner_id if period else None


@pytest.fixture
def alice_leads(rep, make_lead):
    return [make_lead(actor=rep, company_name=f"Alice Customer {i}") for i in range(5)]


@pytest.fixture
def carol(team, manager):
    return make_user("carol", team=team, display_name="Carol Rep")


def post(api, user, body):
    return api(user).post(URL, body, format="json")


def test_post_answers_202_with_the_job_and_get_shows_progress_and_report(
    api, manager, rep, teammate, alice_leads
):
    ids = [lead.pk for lead in alice_leads]
    response = post(
        api,
        manager,
        {
            "lead_ids": ids,
            "to": {"rep": teammate.pk},
            "reason": "Alice left",
            "override_limit": True,
        },
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    job_id = body["id"]
    assert response["Location"] == f"{URL}{job_id}/"
    assert {key: body[key] for key in ("state", "total", "processed", "moved", "progress")} == {
        "state": "queued",
        "total": 5,
        "processed": 0,
        "moved": 0,
        "progress": 0,
    }
    assert body["to"] == {"rep": teammate.pk}
    assert body["target_reps"] == [{"id": teammate.pk, "display_name": "Bob Rep"}]
    assert body["created_by"]["id"] == manager.pk
    assert body["source"] == {"lead_ids": 5}
    assert body["report_csv"].endswith(f"{URL}{job_id}/report.csv")

    run_bulk_reassignment(job_id=job_id)
    detail = api(manager).get(f"{URL}{job_id}/").json()
    assert (detail["state"], detail["moved"], detail["progress"]) == ("done", 5, 100)
    rows = detail["report"]["results"]
    assert [row["lead"] for row in rows] == ids
    first = rows[0]
    assert (first["outcome"], first["code"], first["detail"]) == ("moved", "", "Moved.")
    assert first["owner_before"]["id"] == rep.pk and first["owner_after"]["id"] == teammate.pk
    assert OwnershipEvent.objects.get(pk=first["event"]).lead_id == ids[0]
    assert detail["report"]["next"] is None


def test_report_pages_and_filters_by_outcome(api, manager, rep, teammate, alice_leads):
    ids = [lead.pk for lead in alice_leads]
    job_id = post(api, manager, {"lead_ids": ids, "to": {"rep": rep.pk}, "reason": "x"}).json()[
        "id"
    ]
    run_bulk_reassignment(job_id=job_id)
    page = api(manager).get(f"{URL}{job_id}/?page_size=2").json()["report"]
    assert [row["position"] for row in page["results"]] == [0, 1]
    nxt = api(manager).get(page["next"]).json()["report"]
    assert [row["position"] for row in nxt["results"]] == [2, 3]
    skipped = api(manager).get(f"{URL}{job_id}/?outcome=skipped").json()["report"]["results"]
    assert {row["code"] for row in skipped} == {"already_owner"}
    assert api(manager).get(f"{URL}{job_id}/?outcome=bogus").status_code == 400


def test_filter_round_robin_and_pool_targets(api, manager, rep, teammate, carol, team, alice_leads):
    response = post(
        api,
        manager,
        {
            "filter": {"owner": str(rep.pk)},
            "to": {"reps": [teammate.pk, carol.pk], "mode": "round_robin"},
            "reason": "Spread",
        },
    )
    assert response.status_code == 202, response.json()
    assert response.json()["to"] == {"reps": [teammate.pk, carol.pk], "mode": "round_robin"}
    run_bulk_reassignment(job_id=response.json()["id"])
    owners = [owner_of(lead) for lead in alice_leads]
    assert owners.count(teammate.pk) == 3 and owners.count(carol.pk) == 2

    response = post(
        api,
        manager,
        {"lead_ids": [alice_leads[0].pk], "to": {"pool": team.pk}, "reason": "Pool"},
    )
    assert response.status_code == 202
    assert response.json()["to"] == {"pool": team.pk}
    response = post(
        api, manager, {"lead_ids": [alice_leads[1].pk], "to": {"pool": None}, "reason": "Public"}
    )
    assert response.status_code == 202
    assert response.json()["to"] == {"pool": None}


def test_list_shows_ones_own_jobs_newest_first_and_all_to_an_admin(
    api, manager, other_manager, admin_user, teammate, outsider, alice_leads, make_lead
):
    first = post(
        api, manager, {"lead_ids": [alice_leads[0].pk], "to": {"rep": teammate.pk}, "reason": "a"}
    )
    second = post(
        api, manager, {"lead_ids": [alice_leads[1].pk], "to": {"rep": teammate.pk}, "reason": "b"}
    )
    foreign = make_lead(actor=outsider)
    theirs = post(
        api, other_manager, {"lead_ids": [foreign.pk], "to": {"pool": None}, "reason": "c"}
    )
    mine = [job["id"] for job in api(manager).get(URL).json()["results"]]
    assert mine == [second.json()["id"], first.json()["id"]]
    assert [job["id"] for job in api(other_manager).get(URL).json()["results"]] == [
        theirs.json()["id"]
    ]
    assert len(api(admin_user).get(URL).json()["results"]) == 3


def test_csv_report(api, manager, rep, teammate, alice_leads):
    job_id = post(
        api,
        manager,
        {"lead_ids": [alice_leads[0].pk, 999_999], "to": {"rep": teammate.pk}, "reason": "x"},
    ).json()["id"]
    run_bulk_reassignment(job_id=job_id)
    response = api(manager).get(f"{URL}{job_id}/report.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(r["lead_id"], r["outcome"], r["code"]) for r in rows] == [
        (str(alice_leads[0].pk), "moved", ""),
        ("999999", "failed", "not_found"),
    ]
    assert rows[0]["owner_before"] == "Alice Rep" and rows[0]["owner_after"] == "Bob Rep"
    assert rows[1]["company_name"] == ""


# --- who may ------------------------------------------------------------------------------
def test_reps_are_refused_everywhere(api, manager, rep, teammate, alice_leads):
    job_id = post(
        api, manager, {"lead_ids": [alice_leads[0].pk], "to": {"rep": teammate.pk}, "reason": "x"}
    ).json()["id"]
    for user in (rep, teammate):
        client = api(user)
        refused = [
            client.post(
                URL,
                {"lead_ids": [alice_leads[1].pk], "to": {"rep": user.pk}, "reason": "x"},
                format="json",
            ),
            client.post(URL, {}, format="json"),
            client.get(URL),
            client.get(f"{URL}{job_id}/"),
            client.get(f"{URL}{job_id}/report.csv"),
        ]
        assert [(r.status_code, r.json()["code"]) for r in refused] == [
            (403, "permission_denied")
        ] * 5
    assert BulkReassignment.objects.count() == 1


def test_anonymous_is_refused(api, manager, teammate, alice_leads):
    job_id = post(
        api, manager, {"lead_ids": [alice_leads[0].pk], "to": {"rep": teammate.pk}, "reason": "x"}
    ).json()["id"]
    client = api()
    for response in (
        client.post(
            URL,
            {"lead_ids": [alice_leads[0].pk], "to": {"pool": None}, "reason": "x"},
            format="json",
        ),
        client.get(URL),
        client.get(f"{URL}{job_id}/"),
        client.get(f"{URL}{job_id}/report.csv"),
    ):
        assert response.status_code in (401, 403)
        assert response.json()["code"] == "not_authenticated"


def test_another_managers_job_is_not_found(api, manager, other_manager, teammate, alice_leads):
    job_id = post(
        api, manager, {"lead_ids": [alice_leads[0].pk], "to": {"rep": teammate.pk}, "reason": "x"}
    ).json()["id"]
    client = api(other_manager)
    for path in (f"{URL}{job_id}/", f"{URL}{job_id}/report.csv", f"{URL}987654/"):
        response = client.get(path)
        assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_manager_cannot_move_another_teams_customers(
    api, manager, teammate, outsider, alice_leads, make_lead
):
    foreign = make_lead(actor=outsider)
    response = post(
        api, manager, {"lead_ids": [foreign.pk], "to": {"rep": teammate.pk}, "reason": "grab"}
    )
    assert response.status_code == 202  # accepted, and reported: not found, nothing moved
    job = BulkReassignment.objects.get(pk=response.json()["id"])
    assert (job.state, job.failed, job.moved) == ("done", 1, 0)
    assert owner_of(foreign) == outsider.pk
    row = api(manager).get(f"{URL}{job.pk}/").json()["report"]["results"][0]
    assert (row["outcome"], row["code"], row["company_name"]) == ("failed", "not_found", None)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"to": {"rep": "{teammate}"}, "reason": "x"}, 400, "invalid"),
        ({"lead_ids": [], "to": {"rep": "{teammate}"}, "reason": "x"}, 400, "invalid"),
        (
            {"lead_ids": ["{lead}"], "filter": {}, "to": {"rep": "{teammate}"}, "reason": "x"},
            400,
            "invalid",
        ),
        ({"lead_ids": ["abc"], "to": {"rep": "{teammate}"}, "reason": "x"}, 400, "invalid"),
        ({"lead_ids": ["{lead}"], "to": {"rep": "{teammate}"}}, 400, "invalid"),
        ({"lead_ids": ["{lead}"], "to": {"rep": "{teammate}"}, "reason": "  "}, 400, "invalid"),
        ({"lead_ids": ["{lead}"], "to": {}, "reason": "x"}, 400, "invalid"),
        (
            {"lead_ids": ["{lead}"], "to": {"rep": "{teammate}", "pool": None}, "reason": "x"},
            400,
            "invalid",
        ),
        ({"lead_ids": ["{lead}"], "to": {"reps": ["{teammate}"]}, "reason": "x"}, 400, "invalid"),
        (
            {
                "lead_ids": ["{lead}"],
                "to": {"reps": ["{teammate}"], "mode": "random"},
                "reason": "x",
            },
            400,
            "invalid",
        ),
        ({"lead_ids": ["{lead}"], "to": "{teammate}", "reason": "x"}, 400, "invalid"),
        ({"filter": {"colour": "red"}, "to": {"rep": "{teammate}"}, "reason": "x"}, 400, "invalid"),
        (
            {"filter": {"status": "bogus"}, "to": {"rep": "{teammate}"}, "reason": "x"},
            400,
            "invalid_filter",
        ),
        (
            {"filter": {"city": "Nowhere"}, "to": {"rep": "{teammate}"}, "reason": "x"},
            400,
            "nothing_selected",
        ),
        ({"lead_ids": ["{lead}"], "to": {"rep": 999999}, "reason": "x"}, 400, "invalid_target"),
        ({"lead_ids": ["{lead}"], "to": {"rep": "{admin}"}, "reason": "x"}, 400, "invalid_target"),
        ({"lead_ids": ["{lead}"], "to": {"pool": 999999}, "reason": "x"}, 400, "invalid_target"),
        ({"lead_ids": ["{lead}"], "to": {"rep": "{outsider}"}, "reason": "x"}, 403, "out_of_scope"),
        (
            {
                "lead_ids": ["{lead}"],
                "to": {"reps": ["{teammate}", "{outsider}"], "mode": "round_robin"},
                "reason": "x",
            },
            403,
            "out_of_scope",
        ),
        (
            {"lead_ids": ["{lead}"], "to": {"pool": "{other_team}"}, "reason": "x"},
            403,
            "out_of_scope",
        ),
    ],
)
def test_bad_input(
    api, manager, teammate, outsider, admin_user, other_team, alice_leads, body, status, code
):
    ids = {
        "lead": alice_leads[0].pk,
        "teammate": teammate.pk,
        "outsider": outsider.pk,
        "admin": admin_user.pk,
        "other_team": other_team.pk,
    }

    def fill(value):
        if isinstance(value, dict):
            return {key: fill(item) for key, item in value.items()}
        if isinstance(value, list):
            return [fill(item) for item in value]
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return ids[value[1:-1]]
        return value

    response = post(api, manager, fill(body))
    assert (response.status_code, response.json()["code"]) == (status, code), response.json()
    assert not BulkReassignment.objects.exists()


def test_field_codes_name_the_problem(api, manager, teammate, alice_leads):
    both = post(
        api,
        manager,
        {"lead_ids": [alice_leads[0].pk], "filter": {}, "to": {"rep": teammate.pk}, "reason": "x"},
    ).json()
    assert both["errors"]["non_field_errors"][0]["code"] == "leads_or_filter"
    target = post(api, manager, {"lead_ids": [alice_leads[0].pk], "to": {}, "reason": "x"}).json()
    assert target["errors"]["to"]["non_field_errors"][0]["code"] == "invalid_target"
    unknown = post(
        api, manager, {"filter": {"colour": "red"}, "to": {"rep": teammate.pk}, "reason": "x"}
    ).json()
    assert unknown["errors"]["filter"][0]["code"] == "invalid_filter"


def test_too_many_leads(api, manager, teammate, alice_leads, settings):
    settings.BULK_REASSIGN_MAX_LEADS = 3
    response = post(
        api,
        manager,
        {"lead_ids": [lead.pk for lead in alice_leads], "to": {"rep": teammate.pk}, "reason": "x"},
    )
    assert (response.status_code, response.json()["code"]) == (400, "too_many_selected")
    response = post(api, manager, {"filter": {}, "to": {"rep": teammate.pk}, "reason": "x"})
    assert (response.status_code, response.json()["code"]) == (400, "too_many_selected")
    assert not BulkReassignment.objects.exists()


def test_a_body_too_large_is_refused(api, manager, teammate, settings):
    body = json.dumps(
        {"lead_ids": list(range(1_000_000, 1_310_000)), "to": {"rep": teammate.pk}, "reason": "x"},
        separators=(",", ":"),
    )
    assert 2 * 1024 * 1024 < len(body) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = api(manager).post(URL, body, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "too_large")
