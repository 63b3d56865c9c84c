"""A new customer starts as `new`: its status changes only through the lifecycle, never by
whoever creates it."""

import pytest

from leads.models import Lead

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["won", "lost", "qualified", "contacted"])
def test_a_new_customer_cannot_be_created_with_another_status(api, rep, status):
    response = api(rep).post(
        "/api/v1/leads/", {"company_name": "Instant Win Ltd", "status": status}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert "status" in response.json()["errors"]
    assert not Lead.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"status": "new"}])
def test_a_new_customer_starts_as_new(api, rep, payload):
    response = api(rep).post(
        "/api/v1/leads/", {"company_name": "Fresh Start Ltd", **payload}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "new"
    assert Lead.objects.get().status == Lead.Status.NEW
