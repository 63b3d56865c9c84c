"""A customer's lifecycle through the API (`/api/v1/leads/{id}/status/`): new, contacted and
qualified move freely; lost needs a reason from the list and a note; won comes only from a
deal, and only a manager or an admin reopens a won customer (whose owner's protection then
starts again, within their claim limit). Every change is one record of an append-only
history."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assignments import services
from assignments.models import Ownership
from leads.models import Lead, StatusChange
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db


def status_url(lead):
    return f"/api/v1/leads/{lead.pk}/status/"


def status_of(lead):
    return Lead.objects.get(pk=lead.pk).status


def changes(lead):
    return list(
        StatusChange.objects.filter(lead=lead)
        .order_by("at", "id")
        .values_list("from_status", "to_status")
    )


def a_lost_reason(api, user):
    reasons = api(user).get("/api/v1/lost-reasons/").json()["results"]
    assert reasons, "the list of lost reasons starts with its defaults"
    return reasons[0]


def win_a_deal(lead, actor, amount=1000):
    deal = services.create_deal(lead_id=lead.pk, actor=actor, title="Licence", amount=amount)
    return services.win_deal(deal_id=deal.pk, actor=actor)


def test_the_owner_moves_an_open_customer_freely_and_each_move_is_recorded(api, rep, make_lead):
    lead = make_lead(actor=rep)
    client = api(rep)

    for status in ("contacted", "qualified", "contacted", "new"):
        response = client.post(status_url(lead), {"status": status}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
        assert response.json()["id"] == lead.pk

    assert status_of(lead) == "new"
    assert changes(lead) == [
        ("new", "contacted"),
        ("contacted", "qualified"),
        ("qualified", "contacted"),
        ("contacted", "new"),
    ]
    history = client.get(status_url(lead)).json()["results"]
    assert [(c["from_status"], c["to_status"]) for c in history] == changes(lead)
    assert all(c["actor"]["id"] == rep.pk for c in history)


def test_the_reply_is_the_lead_as_its_owner_sees_it(api, rep, make_lead):
    lead = make_lead(actor=rep)

    body = api(rep).post(status_url(lead), {"status": "qualified"}, format="json").json()

    assert body["owner"] == {"id": rep.pk, "display_name": "Alice Rep"}
    assert body["company_name"] == lead.company_name
    assert body["contacts"][0]["phone"] == "13812348000"  # the owner sees it unmasked
    assert body["protected_until"]


def test_setting_the_same_status_is_a_no_op(api, rep, make_lead):
    lead = make_lead(actor=rep)
    api(rep).post(status_url(lead), {"status": "contacted"}, format="json")

    again = api(rep).post(status_url(lead), {"status": "contacted"}, format="json")

    assert again.status_code == 200, again.content
    assert again.json()["status"] == "contacted"
    assert changes(lead) == [("new", "contacted")]


@pytest.mark.parametrize(
    "payload",
    [
        {"status": "lost"},
        {"status": "lost", "reason": "They went with a competitor"},
        {"status": "lost", "lost_reason": "FIRST", "reason": ""},
        {"status": "lost", "lost_reason": "FIRST", "reason": "    "},
        {"status": "lost", "lost_reason": 987654, "reason": "Budget cut"},
    ],
    ids=["nothing", "no-reason-id", "blank-note", "spaces-note", "unknown-reason-id"],
)
def test_lost_needs_a_reason_of_the_list_and_a_note(api, rep, make_lead, payload):
    lead = make_lead(actor=rep)
    api(rep).post(status_url(lead), {"status": "qualified"}, format="json")
    if payload.get("lost_reason") == "FIRST":
        payload = {**payload, "lost_reason": a_lost_reason(api, rep)["id"]}

    response = api(rep).post(status_url(lead), payload, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "lost_reason_required"
    assert status_of(lead) == "qualified"
    assert changes(lead) == [("new", "qualified")]


def test_a_lost_customer_keeps_its_reason_and_note_and_the_owner_reopens_it(api, rep, make_lead):
    lead = make_lead(actor=rep)
    reason = a_lost_reason(api, rep)

    lost = api(rep).post(
        status_url(lead),
        {"status": "lost", "lost_reason": reason["id"], "reason": "  Budget frozen until 2027 "},
        format="json",
    )
    assert lost.status_code == 200, lost.content
    assert lost.json()["status"] == "lost"
    record = StatusChange.objects.get(lead=lead)
    assert (record.lost_reason_id, record.note, record.actor) == (
        reason["id"],
        "Budget frozen until 2027",
        rep,
    )
    listed = api(rep).get(status_url(lead)).json()["results"]
    assert listed[0]["lost_reason"] == {"id": reason["id"], "name": reason["name"]}

    reopened = api(rep).post(status_url(lead), {"status": "contacted"}, format="json")

    assert reopened.status_code == 200, reopened.content
    assert status_of(lead) == "contacted"
    assert changes(lead) == [("new", "lost"), ("lost", "contacted")]
    # Still the rep's customer throughout.
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == rep


@pytest.mark.parametrize("start", ["new", "qualified", "lost"])
def test_won_cannot_be_set_by_hand(api, rep, manager, admin_user, make_lead, start):
    lead = make_lead(actor=rep)
    if start == "lost":
        reason = a_lost_reason(api, rep)["id"]
        api(rep).post(
            status_url(lead),
            {"status": "lost", "lost_reason": reason, "reason": "x"},
            format="json",
        )
    elif start != "new":
        api(rep).post(status_url(lead), {"status": start}, format="json")
    before = changes(lead)

    for user in (rep, manager, admin_user):
        response = api(user).post(status_url(lead), {"status": "won"}, format="json")
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "invalid_transition"

    assert status_of(lead) == start
    assert changes(lead) == before


def test_an_unknown_status_is_400(api, rep, make_lead):
    lead = make_lead(actor=rep)

    response = api(rep).post(status_url(lead), {"status": "signed"}, format="json")

    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert status_of(lead) == "new"
    assert not StatusChange.objects.exists()


def test_a_rep_cannot_reopen_a_won_customer(api, rep, make_lead):
    lead = make_lead(actor=rep)
    win_a_deal(lead, rep)
    before = changes(lead)

    response = api(rep).post(status_url(lead), {"status": "qualified"}, format="json")

    assert response.status_code == 403, response.content
    assert response.json()["code"] == "permission_denied"
    assert status_of(lead) == "won"
    assert changes(lead) == before == [("new", "won")]


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_or_admin_reopens_a_won_customer_and_protection_starts_again(
    api, rep, manager, admin_user, make_lead, who
):
    actor = {"manager": manager, "admin": admin_user}[who]
    lead = make_lead(actor=rep)
    win_a_deal(lead, rep)
    expire_claim(lead.pk, ago=timedelta(days=20))  # a won customer stays its owner's anyway

    before = timezone.now()
    response = api(actor).post(
        status_url(lead), {"status": "qualified", "reason": "Upsell"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "qualified"
    assert response.json()["owner"]["id"] == rep.pk
    period = Ownership.objects.get(lead=lead, ended_at__isnull=True)
    assert period.owner == rep
    assert before + timedelta(days=7) <= period.protected_until
    assert period.protected_until <= timezone.now() + timedelta(days=7)
    assert changes(lead) == [("new", "won"), ("won", "qualified")]
    assert StatusChange.objects.filter(lead=lead).latest("id").actor == actor


def test_reopening_a_won_customer_respects_the_owners_claim_limit(
    api, rep, manager, make_lead, set_policy
):
    set_policy(claim_limit=1)
    won = make_lead(actor=rep)
    win_a_deal(won, rep)
    make_lead(actor=rep)  # the rep's one slot (a won customer takes none)
    period = Ownership.objects.get(lead=won, ended_at__isnull=True)

    response = api(manager).post(status_url(won), {"status": "contacted"}, format="json")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "claim_limit_reached"
    assert status_of(won) == "won"
    assert changes(won) == [("new", "won")]
    assert Ownership.objects.get(pk=period.pk).protected_until == period.protected_until


@pytest.mark.parametrize("who", ["teammate", "outsider", "other_manager"])
def test_people_who_cannot_see_the_customer_get_404(
    api, rep, teammate, outsider, other_manager, make_lead, who
):
    user = {"teammate": teammate, "outsider": outsider, "other_manager": other_manager}[who]
    lead = make_lead(actor=rep)

    changed = api(user).post(status_url(lead), {"status": "contacted"}, format="json")
    listed = api(user).get(status_url(lead))

    assert changed.status_code == 404, changed.content
    assert changed.json()["code"] == "not_found"
    assert listed.status_code == 404
    assert status_of(lead) == "new"
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_owners_manager_and_an_admin_change_the_status(
    api, rep, manager, admin_user, make_lead, who
):
    actor = {"manager": manager, "admin": admin_user}[who]
    lead = make_lead(actor=rep)

    response = api(actor).post(status_url(lead), {"status": "contacted"}, format="json")

    assert response.status_code == 200, response.content
    assert status_of(lead) == "contacted"
    assert StatusChange.objects.get(lead=lead).actor == actor


def test_a_rep_on_a_pool_lead_gets_not_owned(api, rep, make_lead):
    lead = make_lead(pool_team_id=rep.team_id)

    response = api(rep).post(status_url(lead), {"status": "contacted"}, format="json")

    assert response.status_code == 409, response.content
    assert response.json()["code"] == "not_owned"
    assert status_of(lead) == "new"
    assert not StatusChange.objects.exists()
    assert not Ownership.objects.filter(lead=lead).exists()


def test_a_manager_changes_a_lead_of_their_pool_but_not_of_another_teams_pool(
    api, manager, other_manager, team, make_lead
):
    lead = make_lead(pool_team_id=team.pk)

    foreign = api(other_manager).post(status_url(lead), {"status": "contacted"}, format="json")
    assert foreign.status_code == 404, foreign.content
    assert not StatusChange.objects.exists()

    mine = api(manager).post(status_url(lead), {"status": "contacted"}, format="json")
    assert mine.status_code == 200, mine.content
    assert mine.json()["owner"] is None
    assert changes(lead) == [("new", "contacted")]
    assert not Ownership.objects.filter(lead=lead).exists()  # changing it claims nothing


def test_the_status_history_is_append_only_in_the_database(api, rep, make_lead, on_postgres):
    from django.db import DatabaseError, IntegrityError, transaction

    lead = make_lead(actor=rep)
    api(rep).post(status_url(lead), {"status": "contacted"}, format="json")
    record = StatusChange.objects.get(lead=lead)
    if not on_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's")

    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.filter(pk=record.pk).update(to_status="qualified")
    with pytest.raises(DatabaseError), transaction.atomic():
        StatusChange.objects.filter(pk=record.pk).delete()
    assert StatusChange.objects.get(pk=record.pk).to_status == "contacted"
