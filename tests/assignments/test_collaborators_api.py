"""Collaborators (协作人) and the credit split agreed before a win. A collaborator helps on the
owner's current claim: sees the customer in full, logs follow-ups that never extend the
owner's protection, and does nothing an owner does (release, deals, inviting). The help ends
with the claim. The owner proposes a split, their manager approves it, and a win then
credits each share."""

from datetime import timedelta
from decimal import Decimal

import pytest

from assignments import services
from assignments.models import Collaborator, Credit, CreditAgreement, Ownership, OwnershipEvent
from leads.models import Deal, FollowUp, Lead

pytestmark = pytest.mark.django_db


def collaborators_url(lead):
    return f"/api/v1/leads/{lead.pk}/collaborators/"


def shares_url(lead, action=""):
    return f"/api/v1/leads/{lead.pk}/credit-shares/{action}"


def invite(api, actor, lead, user):
    response = api(actor).post(collaborators_url(lead), {"user": user.pk}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def helping(lead):
    return set(
        Collaborator.objects.filter(lead=lead, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def ids(api, user, scope):
    response = api(user).get(f"/api/v1/leads/?scope={scope}&page_size=100")
    assert response.status_code == 200, response.content
    return {x["id"] for x in response.json()["results"]}


def protected_until(lead):
    return Ownership.objects.get(lead=lead, ended_at__isnull=True).protected_until


def propose(api, actor, lead, shares, note=""):
    return api(actor).post(
        shares_url(lead),
        {"shares": [{"rep": r.pk, "share": s} for r, s in shares], "note": note},
        format="json",
    )


# --- inviting and what a collaborator sees --------------------------------------------------
@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_a_collaborator_sees_the_customer_in_full(api, rep, teammate, outsider, make_lead, who):
    colleague = {"teammate": teammate, "outsider": outsider}[who]
    lead = make_lead(actor=rep)
    assert api(colleague).get(f"/api/v1/leads/{lead.pk}/").status_code == 404

    body = invite(api, rep, lead, colleague)

    assert body["user"]["id"] == colleague.pk
    assert body["invited_by"]["id"] == rep.pk
    detail = api(colleague).get(f"/api/v1/leads/{lead.pk}/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["owner"]["id"] == rep.pk
    assert detail.json()["contacts"][0]["phone"] == "13812348000"
    assert lead.pk in ids(api, colleague, "helping")
    assert lead.pk in ids(api, colleague, "all")
    listed = api(colleague).get("/api/v1/leads/?scope=helping").json()["results"]
    assert [x["contacts"][0]["phone"] for x in listed] == ["13812348000"]
    assert lead.pk not in ids(api, colleague, "mine")
    assert [c["user"]["id"] for c in api(rep).get(collaborators_url(lead)).json()["results"]] == [
        colleague.pk
    ]
    assert api(colleague).get(collaborators_url(lead)).status_code == 200


def test_inviting_twice_keeps_one_collaborator(api, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)

    again = api(rep).post(collaborators_url(lead), {"user": teammate.pk}, format="json")

    assert again.status_code == 201
    assert Collaborator.objects.filter(lead=lead).count() == 1


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_the_owners_manager_or_an_admin_invites(
    api, rep, teammate, manager, admin_user, make_lead, who
):
    lead = make_lead(actor=rep)

    body = invite(api, {"manager": manager, "admin": admin_user}[who], lead, teammate)

    assert body["invited_by"]["id"] == {"manager": manager, "admin": admin_user}[who].pk
    assert helping(lead) == {teammate.pk}


def test_who_may_not_invite_and_whom_one_may_not_invite(
    api, rep, teammate, outsider, admin_user, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    pool = make_lead()
    cases = [
        (teammate, lead, outsider, 403, "permission_denied"),  # a collaborator does not invite
        (outsider, lead, outsider, 404, "not_found"),  # nor does a stranger
        (rep, lead, admin_user, 400, "invalid_target"),  # admins own nothing, help on nothing
        (rep, lead, rep, 400, "invalid_target"),  # the owner helps no one
        (rep, pool, teammate, 409, "not_owned"),  # nobody's claim to help on
    ]
    for actor, target_lead, user, status, code in cases:
        response = api(actor).post(collaborators_url(target_lead), {"user": user.pk}, format="json")
        assert response.status_code == status, (actor, user, response.content)
        assert response.json()["code"] == code
    unknown = api(rep).post(collaborators_url(lead), {"user": 987654}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "invalid_target"

    assert helping(lead) == {teammate.pk}
    assert not Collaborator.objects.filter(lead=pool).exists()


# --- what a collaborator does ---------------------------------------------------------------
def test_a_collaborators_follow_up_does_not_extend_the_owners_protection(
    api, rep, teammate, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    before = protected_until(lead)
    payload = {"kind": "call", "note": "Called their CTO", "next_step": "Demo"}

    theirs = api(teammate).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json")

    assert theirs.status_code == 201, theirs.content
    assert theirs.json()["author"]["id"] == teammate.pk
    assert protected_until(lead) == before

    owners = api(rep).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json")

    assert owners.status_code == 201
    assert protected_until(lead) > before
    assert list(FollowUp.objects.filter(lead=lead).values_list("author", flat=True)) == [
        teammate.pk,
        rep.pk,
    ]


def test_a_collaborator_cannot_release_change_status_or_work_deals(api, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Licence", amount=500)
    client = api(teammate)

    responses = [
        client.post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "mine now"}, format="json"),
        client.post(f"/api/v1/leads/{lead.pk}/status/", {"status": "contacted"}, format="json"),
        client.post(
            f"/api/v1/leads/{lead.pk}/deals/", {"title": "X", "amount": "1"}, format="json"
        ),
        client.patch(f"/api/v1/deals/{deal.pk}/", {"amount": "1"}, format="json"),
        client.post(f"/api/v1/deals/{deal.pk}/win/", {}, format="json"),
        client.post(f"/api/v1/deals/{deal.pk}/lose/", {"reason": "x"}, format="json"),
    ]

    assert [r.status_code for r in responses] == [403] * 6
    assert {r.json()["code"] for r in responses} == {"permission_denied"}
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == rep
    assert list(OwnershipEvent.objects.filter(lead=lead).values_list("kind", flat=True)) == [
        "assign"
    ]
    assert list(Deal.objects.values_list("status", "amount")) == [("open", Decimal("500"))]
    assert not Credit.objects.exists()
    assert Lead.objects.get(pk=lead.pk).status == "new"
    # They can still read the deals.
    assert client.get(f"/api/v1/deals/{deal.pk}/").status_code == 200


# --- removal and the end of the claim -------------------------------------------------------
def test_a_collaborator_leaves_and_then_no_longer_sees_the_customer(api, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)

    response = api(teammate).delete(f"{collaborators_url(lead)}{teammate.pk}/")

    assert response.status_code == 204, response.content
    assert helping(lead) == set()
    assert api(teammate).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert lead.pk not in ids(api, teammate, "helping")


def test_the_owner_removes_one_collaborator_but_a_collaborator_cannot_remove_another(
    api, rep, teammate, outsider, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    invite(api, rep, lead, outsider)

    refused = api(teammate).delete(f"{collaborators_url(lead)}{outsider.pk}/")
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "permission_denied"
    assert helping(lead) == {teammate.pk, outsider.pk}

    removed = api(rep).delete(f"{collaborators_url(lead)}{outsider.pk}/")
    assert removed.status_code == 204
    assert helping(lead) == {teammate.pk}
    assert api(outsider).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    # Removing someone who is not helping is 404.
    assert api(rep).delete(f"{collaborators_url(lead)}{outsider.pk}/").status_code == 404


def test_the_help_ends_with_the_owners_claim(api, rep, teammate, make_lead, set_policy):
    set_policy(cooldown=timedelta(0))
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    assert api(teammate).get(f"/api/v1/leads/{lead.pk}/").status_code == 200

    api(rep).post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "No budget"}, format="json")
    # The owner claims it again: a new claim, with no collaborators yet.
    assert api(rep).post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200

    gone = api(teammate).get(f"/api/v1/leads/{lead.pk}/")
    assert gone.status_code == 404
    assert lead.pk not in ids(api, teammate, "helping")
    logged = api(teammate).post(
        f"/api/v1/leads/{lead.pk}/followups/", {"kind": "call", "note": "x"}, format="json"
    )
    assert logged.status_code == 404
    assert not FollowUp.objects.filter(lead=lead).exists()
    assert api(rep).get(collaborators_url(lead)).json()["results"] == []


def test_after_a_release_a_former_collaborator_sees_at_most_the_pool_lead(
    api, rep, teammate, outsider, make_lead
):
    lead = make_lead(actor=rep)  # returns to the East pool
    invite(api, rep, lead, teammate)
    invite(api, rep, lead, outsider)

    released = api(rep).post(f"/api/v1/leads/{lead.pk}/release/", {"reason": "x"}, format="json")

    assert released.status_code == 200, released.content
    assert api(outsider).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert lead.pk not in ids(api, outsider, "all")
    # The East teammate now sees an East pool lead like any East rep: masked, nobody's.
    as_pool = api(teammate).get(f"/api/v1/leads/{lead.pk}/").json()
    assert as_pool["owner"] is None
    assert as_pool["contacts"][0]["phone"] == "138****8000"
    assert lead.pk not in ids(api, teammate, "helping")
    for user, status, code in ((teammate, 409, "not_owned"), (outsider, 404, "not_found")):
        logged = api(user).post(
            f"/api/v1/leads/{lead.pk}/followups/", {"kind": "call", "note": "x"}, format="json"
        )
        assert (logged.status_code, logged.json()["code"]) == (status, code)
    assert not FollowUp.objects.filter(lead=lead).exists()


def test_an_expired_claim_ends_the_help_at_once(api, rep, outsider, make_lead):
    from tests.conftest import expire_claim

    lead = make_lead(actor=rep)
    invite(api, rep, lead, outsider)

    expire_claim(lead.pk)

    assert api(outsider).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert lead.pk not in ids(api, outsider, "helping")


def test_a_reassignment_ends_the_help(api, rep, teammate, outsider, manager, make_lead):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, outsider)

    moved = api(manager).post(
        f"/api/v1/leads/{lead.pk}/reassign/",
        {"to": teammate.pk, "reason": "Rebalance"},
        format="json",
    )

    assert moved.status_code == 200, moved.content
    assert api(outsider).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert lead.pk not in ids(api, outsider, "all")


# --- credit splits --------------------------------------------------------------------------
def test_the_owner_proposes_a_split_and_the_manager_approves_it(
    api, rep, teammate, manager, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)

    proposed = propose(api, rep, lead, [(rep, "60"), (teammate, "40")], note="Bob ran the demo")
    assert proposed.status_code == 201, proposed.content
    waiting = api(rep).get(shares_url(lead)).json()
    assert waiting["approved"] is None
    assert waiting["proposed"]["status"] == "proposed"
    assert {(s["rep"]["id"], s["share"]) for s in waiting["proposed"]["shares"]} == {
        (rep.pk, "60.00"),
        (teammate.pk, "40.00"),
    }

    approved = api(manager).post(shares_url(lead, "approve/"), {"note": "Fair"}, format="json")

    assert approved.status_code == 200, approved.content
    assert approved.json()["decided_by"]["id"] == manager.pk
    now = api(teammate).get(shares_url(lead)).json()
    assert now["proposed"] is None
    assert now["approved"]["id"] == proposed.json()["id"]


@pytest.mark.parametrize(
    "case", ["without-owner", "stranger", "sum-90", "twice", "not-helping-anymore"]
)
def test_a_bad_split_is_400_and_stores_nothing(api, rep, teammate, outsider, make_lead, case):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    if case == "not-helping-anymore":
        api(rep).delete(f"{collaborators_url(lead)}{teammate.pk}/")
    shares = {
        "without-owner": [(teammate, "100")],
        "stranger": [(rep, "50"), (outsider, "50")],
        "sum-90": [(rep, "50"), (teammate, "40")],
        "twice": [(rep, "50"), (rep, "50")],
        "not-helping-anymore": [(rep, "50"), (teammate, "50")],
    }[case]

    response = propose(api, rep, lead, shares)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_shares"
    assert not CreditAgreement.objects.exists()


def test_only_the_owner_proposes(api, rep, teammate, manager, admin_user, make_lead):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)

    for user in (teammate, manager, admin_user):
        response = propose(api, user, lead, [(rep, "50"), (teammate, "50")])
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
    assert not CreditAgreement.objects.exists()


def test_only_the_owners_manager_or_an_admin_decides(
    api, rep, teammate, outsider, other_manager, admin_user, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    propose(api, rep, lead, [(rep, "50"), (teammate, "50")])

    for user in (rep, teammate):
        for action in ("approve/", "reject/"):
            response = api(user).post(shares_url(lead, action), {}, format="json")
            assert response.status_code == 403, response.content
            assert response.json()["code"] == "permission_denied"
    for user in (outsider, other_manager):
        assert api(user).post(shares_url(lead, "approve/"), {}, format="json").status_code == 404
    assert list(CreditAgreement.objects.values_list("status", flat=True)) == ["proposed"]

    rejected = api(admin_user).post(shares_url(lead, "reject/"), {"note": "No"}, format="json")

    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["status"] == "rejected"
    assert api(rep).get(shares_url(lead)).json() == {"approved": None, "proposed": None}
    # Nothing left to decide.
    assert api(admin_user).post(shares_url(lead, "approve/"), {}, format="json").status_code == 404


def test_a_win_after_an_approved_split_credits_each_share(
    api, rep, teammate, outsider, manager, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    invite(api, rep, lead, outsider)
    propose(api, rep, lead, [(rep, "50"), (teammate, "33.33"), (outsider, "16.67")])
    agreement = api(manager).post(shares_url(lead, "approve/"), {}, format="json").json()
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Licence", amount="1000.01")

    won = api(rep).post(f"/api/v1/deals/{deal.pk}/win/", {}, format="json")

    assert won.status_code == 200, won.content
    entries = list(Credit.objects.filter(deal=deal))
    assert {e.kind for e in entries} == {"win"}
    assert {e.agreement_id for e in entries} == {agreement["id"]}
    assert {e.rep_id: e.share for e in entries} == {
        rep.pk: Decimal("50"),
        teammate.pk: Decimal("33.33"),
        outsider.pk: Decimal("16.67"),
    }
    assert sum(e.amount for e in entries) == Decimal("1000.01")
    assert {e.rep_id: e.team_id for e in entries}[outsider.pk] == outsider.team_id


def test_removing_a_collaborator_named_in_the_split_undoes_it(
    api, rep, teammate, manager, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    propose(api, rep, lead, [(rep, "70"), (teammate, "30")])
    api(manager).post(shares_url(lead, "approve/"), {}, format="json")

    api(rep).delete(f"{collaborators_url(lead)}{teammate.pk}/")
    assert api(rep).get(shares_url(lead)).json()["approved"] is None
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Licence", amount="900")
    api(rep).post(f"/api/v1/deals/{deal.pk}/win/", {}, format="json")

    entry = Credit.objects.get(deal=deal)
    assert (entry.rep, entry.share, entry.amount, entry.agreement) == (
        rep,
        Decimal("100"),
        Decimal("900"),
        None,
    )


def test_a_rejected_new_proposal_leaves_the_approved_split_in_force(
    api, rep, teammate, manager, make_lead
):
    lead = make_lead(actor=rep)
    invite(api, rep, lead, teammate)
    first = propose(api, rep, lead, [(rep, "60"), (teammate, "40")]).json()
    api(manager).post(shares_url(lead, "approve/"), {}, format="json")
    second = propose(api, rep, lead, [(rep, "10"), (teammate, "90")])
    assert second.status_code == 201, second.content

    rejected = api(manager).post(shares_url(lead, "reject/"), {}, format="json")

    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["id"] == second.json()["id"]
    assert api(rep).get(shares_url(lead)).json()["approved"]["id"] == first["id"]
    deal = services.create_deal(lead_id=lead.pk, actor=rep, title="Licence", amount="1000")
    services.win_deal(deal_id=deal.pk, actor=rep)
    assert {c.rep_id: c.amount for c in Credit.objects.filter(deal=deal)} == {
        rep.pk: Decimal("600"),
        teammate.pk: Decimal("400"),
    }
