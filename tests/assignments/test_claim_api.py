from datetime import timedelta

import pytest
from django.utils import timezone

from assignments.models import Ownership, OwnershipEvent
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db


def kinds(lead_id):
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


def test_rep_claims_a_pool_lead_and_owns_it(api, rep, make_lead):
    lead = make_lead()
    before = timezone.now()
    response = api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["owner"] == {"id": rep.pk, "display_name": "Alice Rep"}
    protected = Ownership.objects.get(lead=lead, ended_at__isnull=True).protected_until
    assert before + timedelta(days=7) <= protected <= timezone.now() + timedelta(days=7)
    detail = api(rep).get(f"/api/v1/leads/{lead.pk}/").json()
    assert detail["owner"]["id"] == rep.pk
    assert detail["contacts"][0]["phone"] == "13812348000"  # unmasked once claimed
    assert kinds(lead.pk) == ["claim"]


def test_claiming_your_own_lead_again_is_a_no_op(api, rep, make_lead):
    lead = make_lead()
    assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
    assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
    assert kinds(lead.pk) == ["claim"]


def test_claim_of_owned_lead_says_who_and_until_when_and_nothing_else(
    api, rep, teammate, make_lead
):
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    response = api(teammate).post(f"/api/v1/leads/{lead.pk}/claim/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_owned"
    assert body["owner"] == {"id": rep.pk, "display_name": "Alice Rep"}
    assert body["protected_until"]
    assert set(body) == {"code", "detail", "owner", "protected_until"}
    assert kinds(lead.pk) == ["claim"]


def test_claim_limit(api, rep, make_lead, set_policy):
    set_policy(claim_limit=2)
    leads = [make_lead() for _ in range(3)]
    for lead in leads[:2]:
        assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
    response = api(rep).post(f"/api/v1/leads/{leads[2].pk}/claim/")
    assert response.status_code == 409
    assert response.json()["code"] == "claim_limit_reached"
    assert response.json()["limit"] == 2
    assert response.json()["active"] == 2
    assert not Ownership.objects.filter(lead=leads[2]).exists()


def test_team_policy_overrides_the_global_limit(api, rep, outsider, team, make_lead, set_policy):
    set_policy(team=team, claim_limit=1)
    a, b = make_lead(), make_lead()
    assert api(rep).post(f"/api/v1/leads/{a.pk}/claim/").status_code == 200
    assert api(rep).post(f"/api/v1/leads/{b.pk}/claim/").json()["code"] == "claim_limit_reached"
    assert api(outsider).post(f"/api/v1/leads/{b.pk}/claim/").status_code == 200


def test_release_then_cooldown_then_claim_again(api, rep, teammate, make_lead, set_policy):
    set_policy(cooldown=timedelta(days=2))
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    response = api(rep).post(
        f"/api/v1/leads/{lead.pk}/release/", {"reason": "Not a fit"}, format="json"
    )
    assert response.status_code == 200
    refused = api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "in_cooldown"
    assert refused.json()["until"]
    # Another rep is not in cooldown.
    assert api(teammate).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
    assert kinds(lead.pk) == ["claim", "release", "claim"]
    history = api(teammate).get(f"/api/v1/leads/{lead.pk}/history/").json()["results"]
    assert history[1]["reason"] == "Not a fit"
    assert history[1]["from_owner"]["id"] == rep.pk
    assert history[1]["actor"]["id"] == rep.pk


def test_cooldown_passes(api, rep, make_lead, set_policy):
    set_policy(cooldown=timedelta(0))
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    api(rep).post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "later"}, format="json")
    assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200


def test_release_needs_a_reason(api, rep, make_lead):
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    for payload in ({}, {"reason": ""}, {"reason": "   "}):
        response = api(rep).post(f"/api/v1/leads/{lead.pk}/release/", payload, format="json")
        assert response.status_code == 400
        assert response.json()["code"] in {"invalid", "reason_required"}
    assert kinds(lead.pk) == ["claim"]


def test_release_of_a_pool_lead_is_409_not_owned(api, rep, make_lead):
    lead = make_lead()
    response = api(rep).post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not_owned"


def test_expired_claim_is_claimable_at_once_and_the_expiry_is_recorded_once(
    api, rep, teammate, make_lead
):
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    expire_claim(lead.pk)
    # Expired everywhere at once: pool list, detail, rep's own list.
    assert lead.pk in [
        x["id"] for x in api(teammate).get("/api/v1/leads/?scope=pool").json()["results"]
    ]
    assert api(teammate).get(f"/api/v1/leads/{lead.pk}/").json()["owner"] is None
    assert lead.pk not in [
        x["id"] for x in api(rep).get("/api/v1/leads/?scope=mine").json()["results"]
    ]

    assert api(teammate).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200
    assert kinds(lead.pk) == ["claim", "expire", "claim"]
    expire = OwnershipEvent.objects.get(lead=lead, kind="expire")
    assert expire.from_owner == rep
    assert expire.actor is None
    # The old owner's cooldown started at the expiry.
    assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 409


def test_followup_extends_protection_up_to_the_cap(api, rep, make_lead, set_policy):
    set_policy(
        protection_period=timedelta(days=7),
        followup_extension=timedelta(days=3),
        max_protection=timedelta(days=12),
    )
    lead = make_lead()
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    period = Ownership.objects.get(lead=lead)
    start, first = period.started_at, period.protected_until
    payload = {"kind": "call", "note": "Talked to the CEO", "next_step": "Send quote"}
    assert (
        api(rep).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json").status_code
        == 201
    )
    period.refresh_from_db()
    assert period.protected_until == first + timedelta(days=3)
    api(rep).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json")
    period.refresh_from_db()
    assert period.protected_until == start + timedelta(days=12)
    listed = api(rep).get(f"/api/v1/leads/{lead.pk}/followups/").json()["results"]
    assert [f["note"] for f in listed] == ["Talked to the CEO"] * 2


def test_followup_on_pool_lead_is_refused(api, rep, make_lead):
    lead = make_lead()
    response = api(rep).post(
        f"/api/v1/leads/{lead.pk}/followups/", {"kind": "call", "note": "x"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_owned"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "telepathy", "note": "x"}, "kind"),
        ({"kind": "call"}, "note"),
        ({"kind": "call", "note": "x", "occurred_at": "yesterday"}, "occurred_at"),
        ({"kind": "call", "note": "x", "next_step_at": "2026-13-40"}, "next_step_at"),
    ],
)
def test_bad_followup_input_is_400(api, rep, make_lead, payload, field):
    lead = make_lead(actor=rep)
    response = api(rep).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_followup_in_the_future_is_refused(api, rep, make_lead):
    lead = make_lead(actor=rep)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = api(rep).post(
        f"/api/v1/leads/{lead.pk}/followups/",
        {"kind": "call", "note": "x", "occurred_at": future},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "followup_in_future"


def test_manager_reassigns_within_team_with_reason(api, rep, teammate, manager, make_lead):
    lead = make_lead(actor=rep)
    response = api(manager).post(
        f"/api/v1/leads/{lead.pk}/reassign/",
        {"to": teammate.pk, "reason": "Rep on leave"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["owner"]["id"] == teammate.pk
    event = OwnershipEvent.objects.filter(lead=lead).latest("id")
    assert (event.kind, event.from_owner, event.to_owner, event.actor) == (
        "reassign",
        rep,
        teammate,
        manager,
    )
    assert event.reason == "Rep on leave"


def test_reassign_respects_limit_unless_overridden_and_records_it(
    api, rep, teammate, manager, make_lead, set_policy
):
    set_policy(claim_limit=1)
    make_lead(actor=teammate)
    lead = make_lead(actor=rep)
    url = f"/api/v1/leads/{lead.pk}/reassign/"
    refused = api(manager).post(url, {"to": teammate.pk, "reason": "x"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "claim_limit_reached"
    ok = api(manager).post(
        url, {"to": teammate.pk, "reason": "x", "override_limit": True}, format="json"
    )
    assert ok.status_code == 200
    assert OwnershipEvent.objects.filter(lead=lead).latest("id").details == {"override_limit": True}


def test_manager_cannot_reassign_outside_their_teams(
    api, rep, outsider, manager, other_manager, make_lead
):
    lead = make_lead(actor=rep)
    to_outsider = api(manager).post(
        f"/api/v1/leads/{lead.pk}/reassign/", {"to": outsider.pk, "reason": "x"}, format="json"
    )
    assert to_outsider.status_code == 403
    assert to_outsider.json()["code"] == "out_of_scope"
    foreign = make_lead(actor=outsider)
    response = api(manager).post(
        f"/api/v1/leads/{foreign.pk}/reassign/", {"to": rep.pk, "reason": "x"}, format="json"
    )
    assert response.status_code == 404
    assert Ownership.objects.get(lead=foreign, ended_at__isnull=True).owner == outsider


def test_rep_creating_a_lead_owns_it_and_counts_toward_the_limit(api, rep, set_policy):
    set_policy(claim_limit=1)
    payload = {
        "company_name": "杭州云帆科技有限公司",
        "province": "浙江",
        "city": "杭州",
        "contacts": [{"name": "李雷", "phone": "13900001111", "email": "li@yunfan.cn"}],
    }
    response = api(rep).post("/api/v1/leads/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == {"id": rep.pk, "display_name": "Alice Rep"}
    assert body["protected_until"]
    assert body["contacts"][0]["phone"] == "13900001111"
    other = {"company_name": "Other", "contacts": [{"name": "韩梅梅", "phone": "13900002222"}]}
    second = api(rep).post("/api/v1/leads/", other, format="json")
    assert second.status_code == 409
    assert second.json()["code"] == "claim_limit_reached"
    assert not api(rep).get("/api/v1/leads/?q=Other").json()["results"]


def test_manager_creates_into_the_pool_or_for_a_rep_in_scope(api, manager, rep, outsider):
    pool = api(manager).post("/api/v1/leads/", {"company_name": "Pool Co"}, format="json")
    assert pool.status_code == 201
    assert pool.json()["owner"] is None
    owned = api(manager).post(
        "/api/v1/leads/", {"company_name": "For Alice", "owner": rep.pk}, format="json"
    )
    assert owned.json()["owner"]["id"] == rep.pk
    refused = api(manager).post(
        "/api/v1/leads/", {"company_name": "X", "owner": outsider.pk}, format="json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "out_of_scope"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "company_name"),
        ({"company_name": "   "}, "company_name"),
        ({"company_name": "X", "size": "huge"}, "size"),
        ({"company_name": "X", "contacts": [{"phone": "1"}]}, "contacts"),
        ({"company_name": "X", "contacts": [{"name": "a", "email": "nope"}]}, "contacts"),
        ({"company_name": "X", "tags": "vip"}, "tags"),
        ({"company_name": "X" * 201}, "company_name"),
    ],
)
def test_bad_lead_input_is_400_and_creates_nothing(api, rep, payload, field):
    response = api(rep).post("/api/v1/leads/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Ownership.objects.exists()


def test_pool_contacts_are_masked_for_reps(api, rep, manager, make_lead):
    lead = make_lead()
    contact = api(rep).get(f"/api/v1/leads/{lead.pk}/").json()["contacts"][0]
    assert contact["phone"] == "138****8000"
    assert contact["email"] == "w***@example.cn"
    assert (
        api(manager).get(f"/api/v1/leads/{lead.pk}/").json()["contacts"][0]["phone"]
        == "13812348000"
    )


def test_list_scopes_filters_and_pagination(api, rep, teammate, make_lead):
    for i in range(30):
        make_lead(company_name=f"Pool {i}", province="浙江" if i % 2 else "江苏", industry="SaaS")
    mine = make_lead(actor=rep, company_name="Mine Ltd")
    theirs = make_lead(actor=teammate, company_name="Theirs Ltd")
    client = api(rep)
    first = client.get("/api/v1/leads/?scope=pool").json()
    assert len(first["results"]) == 25 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert client.get("/api/v1/leads/?scope=mine").json()["results"][0]["id"] == mine.pk
    all_ids = {x["id"] for x in client.get("/api/v1/leads/?page_size=100").json()["results"]}
    assert mine.pk in all_ids and theirs.pk not in all_ids
    zj = client.get("/api/v1/leads/?scope=pool&province=浙江").json()["results"]
    assert len(zj) == 15 and all(x["province"] == "浙江" for x in zj)
    assert [x["company_name"] for x in client.get("/api/v1/leads/?q=pool 7").json()["results"]] == [
        "Pool 7"
    ]
    bad = client.get("/api/v1/leads/?scope=everything")
    assert bad.status_code == 400
    assert client.get("/api/v1/leads/?status=bogus").status_code == 400


def test_history_is_append_only_in_the_database(rep, make_lead, on_postgres):
    from django.db import DatabaseError, transaction

    lead = make_lead(actor=rep)
    event = OwnershipEvent.objects.get(lead=lead)
    if not on_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's")
    with pytest.raises(DatabaseError), transaction.atomic():
        OwnershipEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        OwnershipEvent.objects.filter(pk=event.pk).delete()
    assert OwnershipEvent.objects.get(pk=event.pk).reason == ""


def test_overlapping_ownership_periods_are_refused_by_postgres(
    rep, teammate, make_lead, on_postgres
):
    from django.db import IntegrityError, transaction

    if not on_postgres:
        pytest.skip("exclusion constraint is PostgreSQL's")
    lead = make_lead(actor=rep)
    period = Ownership.objects.get(lead=lead)
    period.ended_at = period.started_at + timedelta(hours=1)
    period.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ownership.objects.create(
            lead=lead,
            owner=teammate,
            started_at=period.started_at + timedelta(minutes=30),
            protected_until=period.started_at + timedelta(days=1),
            ended_at=period.started_at + timedelta(hours=2),
        )


def test_unknown_pool_team_is_400_not_a_crash(api, admin_user):
    response = api(admin_user).post(
        "/api/v1/leads/", {"company_name": "X", "pool_team": 999999}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_pool"
    assert not api(admin_user).get("/api/v1/leads/?q=X").json()["results"]


@pytest.mark.parametrize("lead_id", ["99999999999999999999999", "9223372036854775808"])
def test_claim_of_a_lead_id_beyond_64_bits_is_404(api, rep, lead_id):
    response = api(rep).post(f"/api/v1/leads/{lead_id}/claim/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
