"""No dead ends (rule: a link never ends in a bare 404 for someone who knew the customer):
opening a customer you can no longer see says who owns it now and until when, in your
language, with Request transfer; someone with no link to it still gets a 404."""

from datetime import timedelta

import pytest

from assignments.models import TransferRequest
from assignments.services import claim_lead, reassign_lead, release_lead
from tests.conftest import mark_won

pytestmark = pytest.mark.django_db


def test_after_losing_a_race_the_link_says_who_has_it(client, rep, teammate, make_lead):
    lead = make_lead(company_name="Raced For Ltd")
    claim_lead(lead_id=lead.pk, actor=teammate)
    client.force_login(rep)

    response = client.get(f"/leads/{lead.pk}/")

    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-testid="owner-notice"' in html and "Raced For Ltd" in html
    assert "This customer belongs to Bob Rep, protected until" in html
    # What the notice shows, nothing more: no contacts, no timeline.
    assert "1381234" not in html and 'data-testid="timeline"' not in html
    assert f'action="/leads/{lead.pk}/request-transfer/"' in html

    client.post(f"/leads/{lead.pk}/request-transfer/", {"reason": "I was first"})
    assert TransferRequest.objects.get(lead=lead).requester == rep


def test_a_former_owner_reassigned_away_reads_it_in_chinese(
    client, rep, outsider, admin_user, make_lead
):
    lead = make_lead(actor=rep, company_name="远航贸易有限公司")
    reassign_lead(lead_id=lead.pk, actor=admin_user, to_user_id=outsider.pk, reason="区域调整")
    client.force_login(rep)
    client.post("/language/", {"language": "zh-hans"})

    html = client.get(f"/leads/{lead.pk}/").content.decode()

    assert "远航贸易有限公司" in html and "该客户现由 Charlie Rep 负责" in html
    assert "申请转移" in html


def test_a_won_customer_says_it_stays_with_its_owner(client, rep, teammate, make_lead):
    lead = make_lead(actor=teammate)
    mark_won(lead)
    client.force_login(rep)
    html = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "won: it stays with its owner" in html


def test_no_link_no_notice(client, rep, outsider, make_lead):
    """Another team's customer the rep never had to do with does not exist for her."""
    lead = make_lead(actor=outsider, company_name="Secret South Co")
    client.force_login(rep)
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 404
    assert "Secret South Co" not in response.content.decode()
    assert client.get("/leads/987654/").status_code == 404


def test_a_lead_back_in_another_pool_says_nobody_owns_it(
    client, rep, outsider, other_team, admin_user, make_lead
):
    lead = make_lead(actor=rep)
    release_lead(lead_id=lead.pk, actor=rep, reason="done")
    from leads.models import Lead

    Lead.objects.filter(pk=lead.pk).update(pool_team=other_team)
    client.force_login(rep)
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Nobody owns this customer now" in html and "request-transfer" not in html


def test_a_notification_link_of_a_lost_claim_is_no_dead_end(
    client, rep, outsider, make_lead, set_policy
):
    from assignments.services.recycle import recycle_stale_claims
    from tests.conftest import expire_claim

    set_policy(cooldown=timedelta(0))
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=rep)
    expire_claim(lead.pk)
    recycle_stale_claims()
    claim_lead(lead_id=lead.pk, actor=outsider)
    client.force_login(rep)
    notes = client.get("/notifications/").content.decode()
    assert f'href="/leads/{lead.pk}/"' in notes
    assert (
        "This customer belongs to Charlie Rep" in client.get(f"/leads/{lead.pk}/").content.decode()
    )
