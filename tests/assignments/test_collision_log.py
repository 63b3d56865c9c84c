"""The collision log (撞单记录): every refused claim and every refused (or confirmed) duplicate
leaves one record per customer it collided with, written after the refusal rolled back, with
no more contact detail than the refusal showed."""

import threading
from unittest import mock

import pytest
from django.db import DatabaseError, connections

from assignments.models import Collision
from assignments.services import claim_lead
from leads.models import Lead

pytestmark = pytest.mark.django_db

STAR = {
    "company_name": "深圳市星辰信息科技有限公司",
    "city": "深圳",
    "uscc": "",
    "contacts": [{"name": "张伟", "phone": "13800138000", "email": "zw@xingchen-tech.cn"}],
}


def create(api, user, payload, **extra):
    return api(user).post("/api/v1/leads/", {**payload, **extra}, format="json")


def test_a_refused_claim_is_logged(api, rep, teammate, make_lead):
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=teammate)

    response = api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")

    assert response.json()["code"] == "already_owned"
    entry = Collision.objects.get()
    assert (entry.user, entry.lead_id, entry.owner, entry.code) == (
        rep,
        lead.pk,
        teammate,
        "already_owned",
    )
    assert entry.attempted == {} and entry.reasons == [] and not entry.confirmed


def test_claims_that_succeed_or_fail_otherwise_are_not_collisions(api, rep, make_lead, set_policy):
    set_policy(claim_limit=1)
    first, second = make_lead(), make_lead()
    assert api(rep).post(f"/api/v1/leads/{first.pk}/claim/").status_code == 200
    assert api(rep).post(f"/api/v1/leads/{first.pk}/claim/").status_code == 200  # already hers
    refused = api(rep).post(f"/api/v1/leads/{second.pk}/claim/")
    assert refused.json()["code"] == "claim_limit_reached"
    assert not Collision.objects.exists()


def test_a_duplicate_of_another_reps_customer_is_logged_without_contact_details(api, rep, outsider):
    existing = create(api, outsider, STAR).json()["id"]
    attempt = {**STAR, "company_name": "星辰信息科技（深圳）有限公司", "website": "xingchen.cn"}

    response = create(api, rep, attempt)

    assert response.json()["code"] == "duplicate_owned"
    entry = Collision.objects.get()
    assert (entry.user, entry.lead_id, entry.owner, entry.code) == (
        rep,
        existing,
        outsider,
        "duplicate_owned",
    )
    assert entry.attempted == {
        "company_name": "星辰信息科技（深圳）有限公司",
        "city": "深圳",
        "website": "xingchen.cn",
        "kind": "company",
        "country": "CN",
    }
    assert "same_phone" in entry.reasons
    stored = str(entry.attempted) + str(entry.reasons)
    assert "13800138000" not in stored and "zw@" not in stored
    # Nothing of the attempt itself was written.
    assert Lead.objects.count() == 1


def test_pool_and_own_duplicates_are_logged(api, rep, make_lead):
    pool = make_lead(**{k: v for k, v in STAR.items() if k != "uscc"})
    assert create(api, rep, STAR).json()["code"] == "duplicate_in_pool"
    claim_lead(lead_id=pool.pk, actor=rep)
    assert create(api, rep, STAR).json()["code"] == "duplicate_own"
    assert list(Collision.objects.order_by("id").values_list("code", "owner_id")) == [
        ("duplicate_in_pool", None),
        ("duplicate_own", rep.pk),
    ]


def test_a_confirmed_possible_duplicate_is_logged_as_confirmed(api, rep, outsider):
    create(api, outsider, {"company_name": "Granite Works Ltd", "city": "Shanghai"})
    refused = create(api, rep, {"company_name": "Granita Works Ltd", "city": "Shanghai"})
    assert refused.json()["code"] == "possible_duplicate"
    confirmed = create(
        api,
        rep,
        {"company_name": "Granita Works Ltd", "city": "Shanghai"},
        confirm_duplicate=True,
    )
    assert confirmed.status_code == 201
    assert list(Collision.objects.order_by("id").values_list("code", "confirmed")) == [
        ("possible_duplicate", False),
        ("possible_duplicate", True),
    ]


def test_an_edit_refused_as_a_duplicate_names_the_record_edited(api, rep, outsider):
    create(api, outsider, STAR)
    mine = create(api, rep, {"company_name": "Unrelated Trading", "city": "深圳"}).json()["id"]
    response = api(rep).patch(
        f"/api/v1/leads/{mine}/", {"company_name": STAR["company_name"]}, format="json"
    )
    assert response.json()["code"] == "duplicate_owned"
    entry = Collision.objects.get()
    assert entry.attempted["record"] == mine
    assert entry.attempted["company_name"] == STAR["company_name"]


@pytest.mark.django_db(transaction=True)
def test_the_record_is_committed_though_the_refusal_rolled_back(api, rep, teammate, make_lead):
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=teammate)
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    # Read on another connection (another thread's): committed, and the claim is not.
    seen = {}

    def read():
        try:
            seen["log"] = list(Collision.objects.values_list("user_id", "code"))
            seen["periods"] = lead.ownerships.count()
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    assert seen == {"log": [(rep.pk, "already_owned")], "periods": 1}


def test_a_log_that_cannot_be_written_leaves_the_refusal_as_it_was(
    api, rep, teammate, make_lead, caplog
):
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=teammate)
    with mock.patch(
        "assignments.services.collisions._insert", side_effect=DatabaseError("disk full")
    ):
        response = api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")
    assert (response.status_code, response.json()["code"]) == (409, "already_owned")
    assert "collision log: could not record already_owned" in caplog.text
    assert not Collision.objects.exists()


def test_the_log_over_the_api_is_scoped_like_the_teams(
    api, rep, teammate, outsider, manager, other_manager, admin_user, make_lead
):
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=teammate)
    api(rep).post(f"/api/v1/leads/{lead.pk}/claim/")  # East collides with East
    api(outsider).post(f"/api/v1/leads/{lead.pk}/claim/")  # South collides with East

    def seen(user, query=""):
        response = api(user).get(f"/api/v1/collisions/{query}")
        assert response.status_code == 200, response.content
        return sorted(row["user"]["id"] for row in response.json()["results"])

    assert seen(rep) == [rep.pk]
    assert seen(teammate) == []  # the owner is not shown who tried
    assert seen(outsider) == [outsider.pk]
    assert seen(manager) == sorted([rep.pk, outsider.pk])  # on East's customer
    assert seen(other_manager) == [outsider.pk]  # South's rep
    assert seen(admin_user) == sorted([rep.pk, outsider.pk])
    assert seen(manager, f"?user={rep.pk}") == [rep.pk]
    assert seen(manager, "?code=duplicate_owned") == []
    assert api(manager).get("/api/v1/collisions/?code=nope").status_code == 400
    row = api(rep).get("/api/v1/collisions/").json()["results"][0]
    assert row["company_name"] == lead.company_name and row["owner"]["id"] == teammate.pk
    assert api().get("/api/v1/collisions/").status_code == 401


def test_managers_see_a_customers_collisions_on_its_page(client, rep, teammate, manager, make_lead):
    lead = make_lead(company_name="Contested Co")
    claim_lead(lead_id=lead.pk, actor=teammate)
    client.force_login(rep)
    client.post(f"/leads/{lead.pk}/claim/", HTTP_HX_REQUEST="true")
    client.force_login(teammate)
    assert 'data-testid="collisions"' not in client.get(f"/leads/{lead.pk}/").content.decode()
    client.force_login(manager)
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-testid="collisions"' in html and 'data-code="already_owned"' in html
    assert "Alice Rep" in html
