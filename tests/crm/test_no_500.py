"""Hostile input the product once answered with a 500: each case is now a 4xx with a JSON
`{code, detail}` body on API paths, and a readable page elsewhere."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import User
from assignments.models import PoolPolicy
from assignments.selectors import get_global_policy
from leads.models import Lead

pytestmark = pytest.mark.django_db

DEEP_LIST = "[" * 2000 + "]" * 2000
DEEP_OBJECT = '{"a":' * 2000 + "1" + "}" * 2000


def raw_client(user: User | None = None) -> Client:
    """A client that answers a server error as the server would (a 500), not by raising."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def assert_json_error(response, status: int | tuple[int, ...]) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] and isinstance(body["code"], str), body
    assert body["detail"] and isinstance(body["detail"], str), body
    return body


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
def test_deeply_nested_json_to_the_token_endpoint_without_signing_in(body):
    response = raw_client().post("/api/v1/auth/token/", body, content_type="application/json")
    assert assert_json_error(response, 400)["code"] == "parse_error"


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
@pytest.mark.parametrize(
    "method,url",
    [
        ("post", "/api/v1/leads/"),
        ("post", "/api/v1/leads/duplicates/"),
        ("patch", "/api/v1/policy/"),
        ("post", "/api/v1/leads/import/"),
        ("post", "/api/v1/users/"),
    ],
)
def test_deeply_nested_json_on_any_endpoint(admin_user, method, url, body):
    response = getattr(raw_client(admin_user), method)(url, body, content_type="application/json")
    assert assert_json_error(response, 400)["code"] == "parse_error"


def test_a_csv_cell_over_the_field_limit_is_a_400(admin_user):
    text = "company_name,city\n" + "x" * (200 * 1024) + ",Hangzhou\n"
    response = raw_client(admin_user).post(
        "/api/v1/leads/import/", {"csv": text}, content_type="application/json"
    )
    assert assert_json_error(response, 400)["code"] == "invalid_csv"


def test_a_policy_duration_of_p9999999d_is_refused(admin_user, team):
    client = raw_client(admin_user)
    for url in ("/api/v1/policy/", f"/api/v1/teams/{team.pk}/policy/"):
        for field in ("protection_period", "followup_extension", "max_protection", "cooldown"):
            for value in ("P9999999D", "P999999999D", "999999999 00:00:00", "-P1D"):
                response = client.patch(url, {field: value}, content_type="application/json")
                body = assert_json_error(response, 400)
                assert body["code"] in ("invalid_policy", "invalid"), body


@pytest.fixture
def huge_stored_policy(team):
    """A policy stored before durations were bounded: the services must still not 500."""
    get_global_policy()
    huge = timedelta(days=9_999_999)  # P9999999D, as an admin once saved it
    PoolPolicy.objects.update_or_create(
        team=team,
        defaults={
            "protection_period": huge,
            "followup_extension": huge,
            "max_protection": huge,
            "cooldown": huge,
        },
    )
    return team


def test_an_already_stored_huge_duration_does_not_break_the_team(
    huge_stored_policy, rep, manager, api
):
    client = api(rep)
    created = client.post(
        "/api/v1/leads/",
        {"company_name": "杭州远山科技有限公司", "city": "杭州"},
        format="json",
    )
    assert created.status_code == 201, created.content
    lead_id = created.json()["id"]
    followed = client.post(
        f"/api/v1/leads/{lead_id}/followups/",
        {"kind": "call", "note": "Called", "next_step": "Send quote", "next_step_at": "2030-01-01"},
        format="json",
    )
    assert followed.status_code == 201, followed.content
    released = client.post(
        f"/api/v1/leads/{lead_id}/release/", {"reason": "Not now"}, format="json"
    )
    assert released.status_code == 200, released.content
    # The cooldown (clamped, still enormous) keeps the rep from claiming it again: a 409.
    again = client.post(f"/api/v1/leads/{lead_id}/claim/", {}, format="json")
    assert again.status_code == 409, again.content
    other = api(manager).post(f"/api/v1/leads/{lead_id}/claim/", {}, format="json")
    assert other.status_code in (200, 403, 409), other.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nope/",
        "/api/v1/leads/-1/",
        "/api/v1/leads/abc/",
        "/api/v1/leads/99999999999999999999999999999/",
        "/api/v1/leads/2147483648/",
        "/api/v1/leads/9223372036854775808/",
    ],
)
def test_unknown_api_paths_answer_json_404(admin_user, url):
    assert_json_error(raw_client(admin_user).get(url), 404)
    assert_json_error(raw_client().get(url), (401, 403, 404))


def test_a_wrong_method_answers_json_405(admin_user):
    response = raw_client(admin_user).delete("/api/v1/leads/")
    assert assert_json_error(response, 405)["code"] == "method_not_allowed"


def test_an_oversized_body_answers_json(admin_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = raw_client(admin_user)
    body = json.dumps({"company_name": "x" * 4096})
    response = client.post("/api/v1/leads/", body, content_type="application/json")
    assert_json_error(response, (400, 413))
    form = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    response = client.post("/api/v1/leads/", form)
    assert_json_error(response, (400, 413, 415))
    # Signed in by session, CSRF enforced: the CSRF check reads the form, Django refuses it.
    browser = Client(raise_request_exception=False, enforce_csrf_checks=True)
    browser.force_login(admin_user)
    response = browser.post("/api/v1/leads/", form)
    assert_json_error(response, (400, 403, 413, 415))


def test_an_oversized_form_to_the_token_endpoint_answers_json(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = raw_client().post("/api/v1/auth/token/", {"username": "x" * 4096, "password": "y"})
    assert_json_error(response, (400, 413, 415))


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=nope", "multipart/form-data", "text/plain", "application/"],
)
def test_a_malformed_content_type_answers_json(admin_user, content_type):
    response = raw_client(admin_user).generic(
        "POST", "/api/v1/leads/", b'{"company_name": "Acme"}', content_type=content_type
    )
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert_json_error(response, (400, 415))


def test_invalid_utf8_in_the_body_answers_json(admin_user):
    response = raw_client(admin_user).post(
        "/api/v1/leads/", b'{"company_name": "\xff\xfe"}', content_type="application/json"
    )
    assert_json_error(response, 400)


@pytest.mark.parametrize(
    "query",
    ["q=%00abc", "search=%00", "q=%ff%fe", "cursor=%00", "owner=%00", "since=%00", "q=a%00b"],
)
def test_nul_and_invalid_utf8_in_the_query_string(admin_user, query):
    response = raw_client(admin_user).get(f"/api/v1/leads/?{query}")
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert_json_error(response, response.status_code)


@pytest.mark.parametrize("field", ["company_name", "city", "industry", "source", "website"])
def test_nul_in_json_string_fields_is_a_400(admin_user, field):
    response = raw_client(admin_user).post(
        "/api/v1/leads/",
        {"company_name": "Acme", field: "Ac\x00me"},
        content_type="application/json",
    )
    assert_json_error(response, 400)


@pytest.mark.parametrize("since", ["0001-01-01", "0001-01-01T00:00:00Z", "9999-12-31", "1-1-1"])
def test_far_dates_in_filters_are_not_a_500(admin_user, since):
    client = raw_client(admin_user)
    for url in ("/api/v1/leads/", "/api/v1/collisions/", "/api/v1/stats/"):
        for name in ("since", "until", "created_after", "created_before"):
            response = client.get(url, {name: since})
            assert response.status_code < 500, (url, name, response.content[:300])


@pytest.fixture
def crashing_urls(settings):
    settings.ROOT_URLCONF = "tests.crm.crash_urls"


def test_a_server_error_on_an_api_path_is_json_500(admin_user, crashing_urls):
    body = assert_json_error(raw_client(admin_user).get("/api/v1/crash/"), 500)
    assert body["code"] == "server_error"
    assert "boom" not in body["detail"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_server_error_on_a_page_is_the_500_page_in_the_users_language(
    admin_user, crashing_urls, language
):
    client = raw_client(admin_user)
    response = client.get("/crash/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'data-testid="error-page"' in page and "boom" not in page
    assert f'lang="{language}"' in page


@pytest.mark.parametrize(
    "url,status",
    [("/this-page-does-not-exist/", 404), ("/leads/999999999/", 404), ("/?q=%00", 400)],
)
def test_error_pages_are_pages_in_the_layout(rep, url, status):
    response = raw_client(rep).get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert 'data-testid="error-page"' in page
    assert 'data-testid="user-name"' in page  # the base layout, signed in
    assert str(status) in page


def test_the_403_page(rep):
    response = raw_client(rep).get("/settings/teams/")
    assert response.status_code in (403, 404)
    assert 'data-testid="error-page"' in response.content.decode()


NAMES_WITH_CONTROLS = ["Acme\x00", "Ac\x01me", "Ac\x85me", "Ac\nme", "Ac\tme", "\x7fAcme"]


@pytest.mark.parametrize("name", NAMES_WITH_CONTROLS)
def test_control_characters_are_refused_in_names_on_every_api_door(admin_user, team, rep, name):
    client = raw_client(admin_user)
    lead = client.post("/api/v1/leads/", {"company_name": name}, content_type="application/json")
    assert assert_json_error(lead, 400)["code"] in ("invalid", "invalid_characters")
    contact = client.post(
        "/api/v1/leads/",
        {"company_name": "杭州远山科技", "contacts": [{"name": name, "phone": "13812340000"}]},
        content_type="application/json",
    )
    assert_json_error(contact, 400)
    for url, body in (
        ("/api/v1/teams/", {"name": name}),
        (f"/api/v1/teams/{team.pk}/", {"name": name}),
        (f"/api/v1/users/{rep.pk}/", {"display_name": name}),
        (
            "/api/v1/users/",
            {"username": "newrep", "password": "correct-horse-9x", "display_name": name},
        ),
    ):
        method = client.post if url.endswith("teams/") or url.endswith("users/") else client.patch
        response = method(url, body, content_type="application/json")
        assert_json_error(response, 400)
    rep.refresh_from_db()
    team.refresh_from_db()
    assert rep.display_name == "Alice Rep" and team.name == "East"


def test_control_characters_in_a_deal_title_and_a_follow_up(rep, make_lead):
    lead = make_lead(actor=rep)
    client = raw_client(rep)
    deal = client.post(
        f"/api/v1/leads/{lead.pk}/deals/",
        {"title": "Big\x00deal", "amount": "10"},
        content_type="application/json",
    )
    assert_json_error(deal, 400)
    followup = client.post(
        f"/api/v1/leads/{lead.pk}/followups/",
        {"kind": "call", "note": "line one\nline two", "next_step": "Call\x01back"},
        content_type="application/json",
    )
    assert assert_json_error(followup, 400)["code"] in ("invalid", "invalid_characters")
    # A multi-line note keeps its line breaks.
    followup = client.post(
        f"/api/v1/leads/{lead.pk}/followups/",
        {"kind": "call", "note": "line one\nline two\tend", "next_step": "Call back"},
        content_type="application/json",
    )
    assert followup.status_code == 201, followup.content


def test_the_new_customer_page_refuses_a_name_with_control_characters(rep):
    response = raw_client(rep).post(
        "/leads/new/", {"company_name": "Ac\x01me", "kind": "company", "country": "CN"}
    )
    assert response.status_code in (200, 400), response.status_code
    assert "control characters" in response.content.decode()
    assert not Lead.objects.filter(company_name__startswith="Ac").exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("next_step_at", "0001-01-01"),
        ("next_step_at", "9999-12-31"),
        ("occurred_at", "0001-01-01T00:00:00Z"),
    ],
)
def test_far_dates_in_a_follow_up_are_a_400(rep, make_lead, field, value):
    lead = make_lead(actor=rep)
    response = raw_client(rep).post(
        f"/api/v1/leads/{lead.pk}/followups/",
        {"kind": "call", "note": "Called", field: value},
        content_type="application/json",
    )
    assert_json_error(response, 400)


def test_far_dates_on_a_deal_and_in_the_credits_filter(rep, make_lead):
    lead = make_lead(actor=rep)
    client = raw_client(rep)
    deal = client.post(
        f"/api/v1/leads/{lead.pk}/deals/",
        {"title": "Deal", "amount": "10", "expected_close": "0001-01-01"},
        content_type="application/json",
    )
    assert assert_json_error(deal, 400)["code"] == "invalid"
    for params in ({"to": "9999-12-31"}, {"from": "0001-01-01"}):
        assert_json_error(client.get("/api/v1/credits/", params), 400)
