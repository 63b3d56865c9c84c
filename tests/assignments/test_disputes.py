"""Disputes (撞单申诉): filing needs a link to the customer; the owner's manager rules on both
reps' evidence — keep, transfer, pool or merge, with a credit split for won deals — once and
for good; the history and credit entries name the ruling; both reps are notified."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from assignments.exceptions import DisputeStale, InvalidShares
from assignments.models import Credit, Dispute, Ownership, OwnershipEvent
from assignments.services import (
    claim_lead,
    create_deal,
    file_dispute,
    release_lead,
    rule_dispute,
    win_deal,
)
from leads.dedupe.index import index_lead
from leads.models import Lead

pytestmark = pytest.mark.django_db


def owner_of(lead_id):
    period = Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).first()
    return period.owner_id if period else None


@pytest.fixture
def lost_customer(rep, teammate, make_lead):
    """rep owned it, released it, teammate claimed it: rep has a link (an earlier period)."""
    lead = make_lead(actor=rep, company_name="Yunfan Logistics Ltd")
    release_lead(lead_id=lead.pk, actor=rep, reason="busy")
    claim_lead(lead_id=lead.pk, actor=teammate)
    return lead


def test_file_and_rule_a_transfer_over_the_api(api, rep, teammate, manager, lost_customer):
    lead = lost_customer
    filed = api(rep).post(
        f"/api/v1/leads/{lead.pk}/disputes/", {"statement": "I met them first"}, format="json"
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["status"] == "open" and body["owner"]["id"] == teammate.pk
    assert body["evidence"] is None  # the reps do not read each other's records
    assert teammate.notifications.filter(kind="dispute_filed").count() == 1
    assert manager.notifications.filter(kind="dispute_filed").count() == 1

    seen = api(manager).get(f"/api/v1/disputes/{body['id']}/").json()
    assert seen["evidence"]["claimant"]["periods"][0]["lead"] == lead.pk
    assert seen["evidence"]["owner"]["rep"]["id"] == teammate.pk

    ruled = api(manager).post(
        f"/api/v1/disputes/{body['id']}/rule/",
        {"ruling": "transfer", "reason": "rep's earlier work"},
        format="json",
    )
    assert ruled.status_code == 200, ruled.content
    assert ruled.json()["ruling"] == "transfer" and ruled.json()["status"] == "ruled"
    assert owner_of(lead.pk) == rep.pk
    event = OwnershipEvent.objects.filter(lead=lead).latest("id")
    assert event.kind == "transfer" and event.details["dispute"] == body["id"]
    assert rep.notifications.filter(kind="dispute_ruled").count() == 1
    assert teammate.notifications.filter(kind="dispute_ruled").count() == 1

    again = api(manager).post(
        f"/api/v1/disputes/{body['id']}/rule/", {"ruling": "keep", "reason": "x"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    listed = api(rep).get("/api/v1/disputes/?status=ruled").json()["results"]
    assert [d["id"] for d in listed] == [body["id"]]


def test_without_a_link_it_is_a_404_and_nobody_hears(api, rep, teammate, make_lead):
    lead = make_lead(actor=teammate)
    response = api(rep).post(
        f"/api/v1/leads/{lead.pk}/disputes/", {"statement": "mine"}, format="json"
    )
    assert response.status_code == 404
    assert not Dispute.objects.exists()
    assert not teammate.notifications.filter(kind="dispute_filed").exists()


def test_filing_refusals(api, rep, teammate, lost_customer, make_lead):
    url = f"/api/v1/leads/{lost_customer.pk}/disputes/"
    blank = api(rep).post(url, {"statement": "  "}, format="json")
    assert blank.status_code == 400 and blank.json()["code"] == "statement_required"
    assert api(rep).post(url, {"statement": "a"}, format="json").status_code == 201
    twice = api(rep).post(url, {"statement": "b"}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "dispute_already_open"
    own = api(teammate).post(url, {"statement": "c"}, format="json")
    assert own.status_code == 409 and own.json()["code"] == "already_owner"

    pooled = make_lead(actor=rep)
    release_lead(lead_id=pooled.pk, actor=rep, reason="done")
    in_pool = api(rep).post(
        f"/api/v1/leads/{pooled.pk}/disputes/", {"statement": "d"}, format="json"
    )
    assert in_pool.status_code == 409 and in_pool.json()["code"] == "lead_in_pool"
    bad_record = api(rep).post(
        f"/api/v1/leads/{lost_customer.pk}/disputes/",
        {"statement": "e", "record": pooled.pk},
        format="json",
    )
    assert bad_record.status_code in (400, 409)
    assert Dispute.objects.count() == 1


def test_a_ruling_splits_the_credit_of_won_deals(rep, teammate, manager, lost_customer):
    lead = lost_customer
    deal = create_deal(lead_id=lead.pk, actor=teammate, title="Fleet", amount=Decimal("1000"))
    win_deal(deal_id=deal.pk, actor=teammate)
    dispute = file_dispute(lead_id=lead.pk, actor=rep, statement="I found them")

    rule_dispute(
        dispute_id=dispute.pk,
        actor=manager,
        ruling="keep",
        reason="both worked it",
        shares=[(rep.pk, Decimal("40")), (teammate.pk, Decimal("60"))],
    )

    written = Credit.objects.filter(dispute=dispute)
    standing = {c.rep_id: c.amount for c in written.filter(kind="correction")}
    assert standing == {rep.pk: Decimal("400.00"), teammate.pk: Decimal("600.00")}
    assert written.filter(kind="reversal").count() == 1
    assert owner_of(lead.pk) == teammate.pk
    assert Dispute.objects.get(pk=dispute.pk).credit_split == [
        {"rep": teammate.pk, "share": "60"},
        {"rep": rep.pk, "share": "40"},
    ]


def test_shares_must_add_up_and_need_a_won_deal(rep, manager, lost_customer):
    dispute = file_dispute(lead_id=lost_customer.pk, actor=rep, statement="x")
    with pytest.raises(InvalidShares):
        rule_dispute(
            dispute_id=dispute.pk,
            actor=manager,
            ruling="keep",
            reason="r",
            shares=[(rep.pk, Decimal("100"))],
        )
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_return_to_the_pool(rep, teammate, manager, lost_customer):
    dispute = file_dispute(lead_id=lost_customer.pk, actor=rep, statement="x")
    rule_dispute(dispute_id=dispute.pk, actor=manager, ruling="pool", reason="start over")
    assert owner_of(lost_customer.pk) is None
    event = OwnershipEvent.objects.filter(lead=lost_customer).latest("id")
    assert event.kind == "release" and event.details == {"dispute": dispute.pk}


def test_merge_the_claimants_record(rep, teammate, manager, admin_user, make_lead):
    theirs = make_lead(actor=teammate, company_name="云帆物流有限公司", city="杭州")
    # rep's record of the same customer from before the duplicate check (an old import): the
    # check would refuse it today.
    mine = make_lead(actor=rep, company_name="Other Name Ltd", city="杭州")
    Lead.objects.filter(pk=mine.pk).update(company_name="云帆物流有限公司")
    index_lead(Lead.objects.get(pk=mine.pk))
    dispute = file_dispute(lead_id=theirs.pk, actor=rep, statement="same", record_id=mine.pk)
    assert dispute.record_id == mine.pk
    rule_dispute(dispute_id=dispute.pk, actor=manager, ruling="merge", reason="one customer")
    assert Lead.objects.get(pk=mine.pk).merged_into_id == theirs.pk
    assert owner_of(theirs.pk) == teammate.pk
    assert OwnershipEvent.objects.filter(lead=theirs, kind="merge").get().details["dispute"] == (
        dispute.pk
    )


def test_who_rules(api, rep, teammate, outsider, other_manager, admin_user, lost_customer):
    dispute = file_dispute(lead_id=lost_customer.pk, actor=rep, statement="x")
    url = f"/api/v1/disputes/{dispute.pk}/rule/"
    body = {"ruling": "keep", "reason": "r"}
    assert api(rep).post(url, body, format="json").status_code == 403
    assert api(teammate).post(url, body, format="json").status_code == 403
    assert api(outsider).post(url, body, format="json").status_code == 404
    assert api(other_manager).post(url, body, format="json").status_code == 404
    assert api().post(url, body, format="json").status_code in (401, 403)
    assert api(outsider).get(f"/api/v1/disputes/{dispute.pk}/").status_code == 404
    assert Dispute.objects.get(pk=dispute.pk).status == "open"
    assert api(admin_user).post(url, body, format="json").status_code == 200


def test_an_owner_who_changed_closes_it_as_stale(rep, teammate, manager, lost_customer):
    dispute = file_dispute(lead_id=lost_customer.pk, actor=rep, statement="x")
    release_lead(lead_id=lost_customer.pk, actor=teammate, reason="no longer")

    with pytest.raises(DisputeStale):
        rule_dispute(dispute_id=dispute.pk, actor=manager, ruling="transfer", reason="r")
    assert Dispute.objects.get(pk=dispute.pk).status == "stale"
    assert owner_of(lost_customer.pk) is None
    assert rep.notifications.filter(kind="dispute_ruled").count() == 1


def test_a_ruled_dispute_is_final_on_postgres(on_postgres, rep, manager, lost_customer):
    if not on_postgres:
        pytest.skip("the trigger is PostgreSQL's")
    dispute = file_dispute(lead_id=lost_customer.pk, actor=rep, statement="x")
    rule_dispute(dispute_id=dispute.pk, actor=manager, ruling="keep", reason="r")
    with pytest.raises(DatabaseError), transaction.atomic():
        Dispute.objects.filter(pk=dispute.pk).update(ruling="transfer")
    with pytest.raises(DatabaseError), transaction.atomic():
        Dispute.objects.filter(pk=dispute.pk).delete()


def test_the_pages(client, rep, teammate, outsider, manager, lost_customer):
    client.force_login(rep)
    notice = client.get(f"/leads/{lost_customer.pk}/").content.decode()
    assert f'href="/leads/{lost_customer.pk}/dispute/"' in notice
    response = client.post(f"/leads/{lost_customer.pk}/dispute/", {"statement": "I met them"})
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leads/disputes/{dispute.pk}/"
    page = client.get(f"/leads/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="evidence"' not in page and "I met them" in page

    client.force_login(manager)
    page = client.get(f"/leads/disputes/{dispute.pk}/").content.decode()
    assert 'data-testid="side-claimant"' in page and 'data-testid="side-owner"' in page
    assert 'data-testid="ruling-form"' in page
    missing = client.post(f"/leads/disputes/{dispute.pk}/rule/", {"ruling": "transfer"})
    assert missing.status_code == 400
    client.post(
        f"/leads/disputes/{dispute.pk}/rule/", {"ruling": "transfer", "reason": "earlier work"}
    )
    assert owner_of(lost_customer.pk) == rep.pk

    # The former owner now has a link of their own; someone without one gets a 404.
    client.force_login(teammate)
    assert client.get(f"/leads/{lost_customer.pk}/dispute/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/leads/{lost_customer.pk}/dispute/").status_code == 404
