"""Per-user API throttles: claims (single and bulk), duplicate checks, transfer requests and
imports answer 429 `throttled` with Retry-After past their rate; another user is not held
back; a view without a scope is never throttled."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.response import Response
from rest_framework.test import force_authenticate
from rest_framework.views import APIView

from accounts.api.throttles import UserScopeRateThrottle

pytestmark = pytest.mark.django_db

RATES = {
    "claims": "3/minute",
    "duplicate_checks": "3/minute",
    "transfer_requests": "3/minute",
    "imports": "3/hour",
    "exports": "3/hour",
}


@pytest.fixture(autouse=True)
def _clean_throttle_cache():
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1


@override_settings(API_THROTTLE_RATES=RATES)
def test_claims_single_and_bulk_share_one_budget(api, rep, teammate, make_lead, admin_user):
    leads = [make_lead(admin_user) for _ in range(5)]
    client = api(rep)
    assert client.post(f"/api/v1/leads/{leads[0].pk}/claim/").status_code == 200
    assert client.post(f"/api/v1/leads/{leads[1].pk}/claim/").status_code == 200
    response = client.post("/api/v1/leads/bulk-claim/", {"lead_ids": [leads[2].pk]}, format="json")
    assert response.status_code == 200
    assert_throttled(client.post(f"/api/v1/leads/{leads[3].pk}/claim/"))
    assert_throttled(
        client.post("/api/v1/leads/bulk-claim/", {"lead_ids": [leads[3].pk]}, format="json")
    )
    # Per user: a teammate still claims.
    assert api(teammate).post(f"/api/v1/leads/{leads[3].pk}/claim/").status_code == 200


@override_settings(API_THROTTLE_RATES=RATES)
def test_duplicate_check_is_throttled(api, rep):
    client = api(rep)
    for _ in range(3):
        response = client.post(
            "/api/v1/leads/duplicates/", {"company_name": "星辰科技"}, format="json"
        )
        assert response.status_code == 200
    assert_throttled(
        client.post("/api/v1/leads/duplicates/", {"company_name": "星辰科技"}, format="json")
    )


@override_settings(API_THROTTLE_RATES=RATES)
def test_transfer_requests_are_throttled(api, rep, teammate, make_lead):
    lead = make_lead(teammate)
    client = api(rep)
    for _ in range(3):
        response = client.post(
            f"/api/v1/leads/{lead.pk}/transfer-requests/", {"reason": "mine"}, format="json"
        )
        assert response.status_code != 429
    assert_throttled(
        client.post(
            f"/api/v1/leads/{lead.pk}/transfer-requests/", {"reason": "mine"}, format="json"
        )
    )


@override_settings(API_THROTTLE_RATES=RATES)
def test_imports_are_throttled(api, manager):
    client = api(manager)
    body = {"csv": "company_name,city\nAcme Widgets,Hangzhou\n"}
    for _ in range(3):
        assert client.post("/api/v1/leads/import/", body, format="json").status_code != 429
    assert_throttled(client.post("/api/v1/leads/import/", body, format="json"))


@override_settings(API_THROTTLE_RATES={**RATES, "claims": None})
def test_a_scope_without_a_rate_is_not_throttled(api, rep, make_lead, admin_user):
    leads = [make_lead(admin_user) for _ in range(5)]
    client = api(rep)
    for lead in leads:
        assert client.post(f"/api/v1/leads/{lead.pk}/claim/").status_code == 200


@override_settings(API_THROTTLE_RATES={"exports": "2/hour"})
def test_scope_set_on_any_view_is_enough(rep, rf):
    """What the import and export views need: `throttle_scope` and nothing else (the class
    is a REST framework default)."""

    class ExportApi(APIView):
        throttle_scope = "exports"

        def get(self, request):
            return Response({"ok": True})

    view = ExportApi.as_view()

    def call():
        request = rf.get("/api/v1/leads/export/")
        force_authenticate(request, user=rep)
        return view(request)

    assert call().status_code == 200
    assert call().status_code == 200
    response = call()
    assert response.status_code == 429
    assert response["Retry-After"]
    assert UserScopeRateThrottle in [type(t) for t in ExportApi().get_throttles()]


def test_default_rates_are_generous_and_configurable(settings):
    rates = settings.API_THROTTLE_RATES
    assert set(rates) >= {"claims", "duplicate_checks", "transfer_requests", "imports", "exports"}
    assert rates["claims"] == "120/minute"
