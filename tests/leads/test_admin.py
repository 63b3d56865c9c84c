"""The Django admin is not a side door: customers, contacts and follow-ups are read there,
never edited, because edits must pass the duplicate check, the index and the history."""

import pytest

from leads.models import Contact

pytestmark = pytest.mark.django_db


def test_the_admin_shows_a_customer_but_cannot_change_it(client, admin_user, rep, make_lead):
    lead = make_lead(actor=rep, company_name="Admin Proof Ltd")
    contact = Contact.objects.get(lead=lead)
    client.force_login(admin_user)
    url = f"/admin/leads/lead/{lead.pk}/change/"

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Admin Proof Ltd" in html
    for field in ("company_name", "uscc", "website", "city", "status", "pool_team", "tags"):
        assert f'name="{field}"' not in html, field
    assert 'name="contacts-0-phone"' not in html

    posted = client.post(
        url,
        {
            "company_name": "Renamed In Admin",
            "status": "won",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-lead": str(lead.pk),
            "contacts-0-name": "Someone Else",
            "contacts-0-phone": "13700000000",
        },
    )
    assert posted.status_code == 403
    lead.refresh_from_db()
    contact.refresh_from_db()
    assert (lead.company_name, lead.status) == ("Admin Proof Ltd", "new")
    assert (contact.name, contact.phone) == ("Wang", "13812348000")


def test_no_contact_is_added_or_deleted_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/leads/contact/add/").status_code in (403, 404)
    assert client.get("/admin/leads/lead/add/").status_code == 403
