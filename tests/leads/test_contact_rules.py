"""The contact rules live in the service, so every door (API, pages, import, scripts) keeps
them: e-mails are stored as the address, and what is not an address is refused."""

import pytest

from assignments import services
from leads.exceptions import InvalidEmail
from leads.models import Contact, Lead

pytestmark = pytest.mark.django_db


def test_service_stores_the_address_of_a_pasted_email(rep):
    lead = services.create_lead(
        actor=rep,
        company_name="甲乙丙有限公司",
        contacts=[{"name": "张", "email": "mailto:张 <Zhang@JiaYi.CN>"}],
    )
    assert lead.contacts.get().email == "zhang@jiayi.cn"


def test_service_refuses_what_is_not_an_address_and_writes_nothing(rep):
    with pytest.raises(InvalidEmail):
        services.create_lead(
            actor=rep, company_name="丁戊有限公司", contacts=[{"name": "x", "email": "nope"}]
        )
    assert not Lead.objects.exists() and not Contact.objects.exists()
