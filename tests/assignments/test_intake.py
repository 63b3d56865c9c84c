"""The intake door (`POST /api/v1/intake/`): customers handed in by other systems with an API
key. A new customer is created and routed like any other; one on record gets an inquiry on
its timeline and its owner (or its pool's manager) is told, without the caller learning who
that is; keys open this door only, and only keys open it."""

import json
import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.delivery import describe
from accounts.models import ApiKey, Notification
from assignments.models import Collision, Ownership, OwnershipEvent, TerritoryRule
from assignments.services import claim_lead
from leads.models import Inquiry, Lead
from tests.conftest import PASSWORD, make_user
from tests.crm.test_settings import PROD_ENV, run_manage

URL = "/api/v1/intake/"
Target = TerritoryRule.Target
ACME = {
    "company_name": "Acme Robotics Ltd",
    "city": "Hangzhou",
    "province": "浙江",
    "contacts": [{"name": "Li Lei", "phone": "13900001111", "email": "li@acme-robotics.cn"}],
}


def new_key(source: str = "website") -> tuple[ApiKey, str]:
    return account_services.create_api_key(actor=None, name=f"{source} form", source=source)


def keyed(raw: str, *, header: str = "authorization") -> APIClient:
    client = APIClient()
    if header == "authorization":
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    else:
        client.credentials(HTTP_X_API_KEY=raw)
    return client


@pytest.fixture
def key(db) -> tuple[ApiKey, str]:
    return new_key()


@pytest.fixture
def intake(key):
    """intake(payload) -> the response of POST /intake/ with the website's key."""
    client = keyed(key[1])

    def _post(payload, **kwargs):
        return client.post(URL, payload, format="json", **kwargs)

    return _post


def owner_of(lead_id):
    period = Ownership.objects.filter(lead_id=lead_id, ended_at__isnull=True).first()
    return period.owner if period else None


def rule(name, kind, *, conditions=(), position=0, team=None, rep=None):
    return TerritoryRule.objects.create(
        name=name,
        position=position,
        conditions=list(conditions),
        target_kind=kind,
        target_team=team,
        target_rep=rep,
    )


# --- creation -----------------------------------------------------------------------------
def test_a_new_customer_is_created_and_routed_by_the_rules(intake, key, team, manager):
    reps = [make_user(f"east{i}", team=team) for i in range(3)]
    for n in range(5):
        rule(
            f"nobody {n}",
            Target.PUBLIC_POOL,
            position=n,
            conditions=[{"field": "province", "op": "equals", "value": f"Nowhere {n}"}],
        )
    rule(
        "浙江",
        Target.ROUND_ROBIN,
        position=10,
        team=team,
        conditions=[{"field": "province", "op": "in", "value": ["浙江"]}],
    )

    first = intake(ACME)
    second = intake({"company_name": "Beta Sensors", "province": "浙江省", "source": "expo"})

    assert first.status_code == 201, first.json()
    assert first.json() == {"status": "created", "lead": first.json()["lead"]}
    lead = Lead.objects.get(pk=first.json()["lead"])
    assert lead.source == "website"  # the key's source, as nothing else was named
    assert lead.created_by is None
    assert Lead.objects.get(pk=second.json()["lead"]).source == "expo"
    assert [owner_of(first.json()["lead"]), owner_of(second.json()["lead"])] == reps[:2]
    (event,) = OwnershipEvent.objects.filter(lead=lead)
    assert event.kind == OwnershipEvent.Kind.ASSIGN and event.actor_id is None
    assert event.details["rule"]["name"] == "浙江"
    routed = Notification.objects.get(user=reps[0], kind=Notification.Kind.ROUTED)
    assert routed.lead_id == lead.pk
    assert "Acme Robotics Ltd" in describe(routed) and "浙江" in describe(routed)
    # Nothing said, nothing to keep: the customer's record is the submission.
    assert not Inquiry.objects.exists()
    assert not Collision.objects.exists()


def test_without_rules_a_new_customer_goes_to_the_public_pool(intake):
    response = intake(ACME)
    assert response.status_code == 201
    lead = Lead.objects.get(pk=response.json()["lead"])
    assert owner_of(lead.pk) is None and lead.pool_team_id is None


def test_a_new_customers_message_is_kept_on_its_timeline(intake, client, admin_user):
    response = intake({**ACME, "message": "Please quote 40 arms."})
    lead_id = response.json()["lead"]
    (inquiry,) = Inquiry.objects.filter(lead_id=lead_id)
    assert (inquiry.source, inquiry.message) == ("website", "Please quote 40 arms.")
    assert inquiry.submitted["company_name"] == "Acme Robotics Ltd"
    assert inquiry.submitted["contacts"][0]["phone"] == "13900001111"
    client.login(username=admin_user.username, password=PASSWORD)
    page = client.get(reverse("leads:detail", args=[lead_id])).content.decode()
    assert "Please quote 40 arms." in page


# --- a customer on record -------------------------------------------------------------------
def test_an_owned_customer_gets_an_inquiry_and_its_owner_is_told(intake, rep, make_lead, client):
    mine = make_lead(actor=rep, company_name="Acme Robotics Ltd", contacts=ACME["contacts"])
    before = Lead.objects.count()

    response = intake(
        {
            "company_name": "ACME robotics",
            "contacts": [{"name": "Mr Li", "phone": "+86 139 0000 1111"}],
            "message": "Do you ship to Ningbo?",
        }
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "inquiry", "lead": mine.pk}
    body = response.content.decode()
    for secret in (rep.username, rep.display_name, "alice", "13900001111", "li@acme"):
        assert secret not in body
    assert Lead.objects.count() == before
    (inquiry,) = Inquiry.objects.filter(lead=mine)
    assert inquiry.message == "Do you ship to Ningbo?" and inquiry.source == "website"
    assert inquiry.submitted["contacts"][0]["name"] == "Mr Li"
    notice = Notification.objects.get(kind=Notification.Kind.INQUIRY)
    assert (notice.user_id, notice.lead_id) == (rep.pk, mine.pk)
    assert "Do you ship to Ningbo?" in describe(notice) and "website" in describe(notice)
    # Nothing changed hands and nobody collided.
    assert owner_of(mine.pk) == rep
    assert not Collision.objects.exists()
    # The owner reads it on the customer's timeline.
    client.login(username=rep.username, password=PASSWORD)
    page = client.get(reverse("leads:detail", args=[mine.pk])).content.decode()
    assert 'data-testid="inquiry"' in page and "Do you ship to Ningbo?" in page


def test_an_inquiry_goes_to_the_owner_of_the_moment(intake, rep, teammate, make_lead):
    """The owner is read under the lead's lock when the inquiry is recorded."""
    lead = make_lead(contacts=ACME["contacts"], company_name="Acme Robotics Ltd")
    claim_lead(lead_id=lead.pk, actor=teammate)
    assert intake(ACME).json() == {"status": "inquiry", "lead": lead.pk}
    assert list(Notification.objects.filter(kind="inquiry").values_list("user_id", flat=True)) == [
        teammate.pk
    ]


def test_a_customer_in_a_teams_pool_gets_an_inquiry_and_the_manager_is_told(
    intake, manager, team, make_lead
):
    pooled = make_lead(actor=manager, pool_team_id=team.pk, **{"contacts": ACME["contacts"]})
    response = intake({"company_name": "Someone else entirely", "contacts": ACME["contacts"]})
    assert response.json() == {"status": "inquiry", "lead": pooled.pk}
    assert Inquiry.objects.filter(lead=pooled).count() == 1
    notice = Notification.objects.get(kind=Notification.Kind.INQUIRY)
    assert notice.user_id == manager.pk
    assert "pool" in describe(notice)


def test_a_customer_in_the_public_pool_gets_an_inquiry_and_nobody_is_told(intake, make_lead):
    pooled = make_lead(contacts=ACME["contacts"])
    assert intake(ACME).json() == {"status": "inquiry", "lead": pooled.pk}
    assert Inquiry.objects.filter(lead=pooled).count() == 1
    assert not Notification.objects.filter(kind=Notification.Kind.INQUIRY).exists()


def test_a_possible_duplicate_is_created_with_the_match_confirmed(intake, rep, make_lead):
    granite = make_lead(actor=rep, company_name="Granite Works Ltd", city="Shanghai")
    response = intake({"company_name": "Granita Works Ltd", "city": "Shanghai"})
    assert response.status_code == 201, response.json()
    lead_id = response.json()["lead"]
    assert lead_id != granite.pk
    (event,) = OwnershipEvent.objects.filter(lead_id=lead_id)
    assert event.kind == OwnershipEvent.Kind.CONFIRM and event.actor_id is None
    assert [m["lead"] for m in event.details["confirmed_duplicates"]] == [granite.pk]
    assert not Inquiry.objects.exists()
    # The collision log names who collided; the system is nobody.
    assert not Collision.objects.exists()


def test_the_key_named_source_is_the_inquirys_even_if_the_payload_names_another(intake, make_lead):
    pooled = make_lead(contacts=ACME["contacts"])
    intake({**ACME, "source": "trade fair"})
    assert Inquiry.objects.get(lead=pooled).source == "website"


# --- keys ---------------------------------------------------------------------------------
def test_the_key_may_come_in_x_api_key_too(key):
    response = keyed(key[1], header="x-api-key").post(URL, ACME, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("credentials", "code"),
    [
        ({}, "not_authenticated"),
        ({"HTTP_AUTHORIZATION": "Api-Key not-a-key"}, "unknown_api_key"),
        ({"HTTP_AUTHORIZATION": "Api-Key"}, "unknown_api_key"),
        ({"HTTP_X_API_KEY": "x" * 5000}, "unknown_api_key"),
    ],
)
def test_no_key_or_an_unknown_key_is_401(db, credentials, code):
    response = APIClient().post(URL, ACME, format="json", **credentials)
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"] == "Api-Key"
    assert not Lead.objects.exists()


def test_a_revoked_key_is_refused(key):
    api_key, raw = key
    account_services.revoke_api_key(actor=None, key_id=api_key.pk)
    response = keyed(raw).post(URL, ACME, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "api_key_revoked"
    assert not Lead.objects.exists()


def test_a_users_token_or_session_is_refused_with_a_clear_code(api, admin_user, rep, client):
    response = api(admin_user).post(URL, ACME, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_required"
    client.login(username=rep.username, password=PASSWORD)
    response = client.post(URL, ACME, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_required"
    assert not Lead.objects.exists()


@pytest.mark.parametrize("header", ["authorization", "x-api-key"])
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/v1/leads/"), ("post", "/api/v1/leads/"), ("get", "/api/v1/me/")],
)
def test_a_key_opens_no_other_door(key, header, method, path):
    body = {"data": ACME, "format": "json"} if method == "post" else {}
    response = getattr(keyed(key[1], header=header), method)(path, **body)
    assert response.status_code == 403
    assert response.json()["code"] == "api_key_not_accepted"
    assert not Lead.objects.exists()


def test_last_use_is_recorded_at_most_once_a_minute(key, intake):
    api_key, _raw = key
    intake({"company_name": "One"})
    first = ApiKey.objects.get(pk=api_key.pk).last_used_at
    assert first is not None
    intake({"company_name": "Two"})
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == first
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=first - timedelta(minutes=2))
    intake({"company_name": "Three"})
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at > first - timedelta(seconds=1)


# --- throttle -----------------------------------------------------------------------------
@override_settings(INTAKE_THROTTLE_RATE="2/minute")
def test_each_key_is_throttled_on_its_own(key):
    client = keyed(key[1])
    answers = [client.post(URL, {"company_name": f"Firm {n}"}, format="json") for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["code"] == "throttled"
    assert int(answers[2]["Retry-After"]) > 0
    assert Lead.objects.count() == 2
    _other, raw = new_key("partner")
    assert keyed(raw).post(URL, {"company_name": "Firm 9"}, format="json").status_code == 201


@override_settings(INTAKE_THROTTLE_RATE=None)
def test_the_throttle_can_be_off(intake):
    assert {intake({"company_name": f"Firm {n}"}).status_code for n in range(70)} == {201}


def test_a_throttle_rate_that_does_not_parse_fails_at_start_up():
    result = run_manage("check", env_overrides={**PROD_ENV, "INTAKE_THROTTLE_RATE": "lots"})
    assert result.returncode != 0
    assert "INTAKE_THROTTLE_RATE 'lots'" in result.stderr


# --- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "company_name"),
        ({"company_name": "   "}, "company_name"),
        ({"company_name": {"a": 1}}, "company_name"),
        ({"company_name": ["A"]}, "company_name"),
        ({"company_name": "A" * 201}, "company_name"),
        ({"company_name": "A", "contacts": "Li Lei"}, "contacts"),
        ({"company_name": "A", "contacts": [{"phone": "139"}]}, "contacts"),
        ({"company_name": "A", "contacts": [{"name": "Li", "email": 5}]}, "contacts"),
        ({"company_name": "A", "contacts": [{"name": "L"}] * 51}, "contacts"),
        ({"company_name": "A", "tags": {"x": 1}}, "tags"),
        ({"company_name": "A", "size": "gigantic"}, "size"),
        ({"company_name": "A", "message": ["hi"]}, "message"),
        ({"company_name": "A", "message": "x" * 5001}, "message"),
        ({"company_name": "A\x00B"}, "company_name"),
    ],
)
def test_bad_fields_are_400_with_the_field_named(intake, payload, field):
    response = intake(payload)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("[1, 2, 3]", "invalid"),
        ('"Acme"', "invalid"),
        ("null", "invalid"),
        ("{not json", "parse_error"),
        ("[" * 100_000 + "]" * 100_000, "too_large"),
        ("[" * 50_000, "parse_error"),
        (json.dumps({"company_name": "A", "message": "x" * 70_000}), "too_large"),
        ('{"company_name": NaN}', "parse_error"),
    ],
)
def test_bad_bodies_are_400_not_500(key, body, code):
    response = keyed(key[1]).post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Lead.objects.exists()


def test_a_refused_field_value_is_400_and_writes_nothing(intake):
    response = intake({"company_name": "A", "uscc": "not a code"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    response = intake({"company_name": "A", "country": "XX"})
    assert response.status_code == 400
    assert not Lead.objects.exists() and not Inquiry.objects.exists()


def test_a_form_cannot_name_an_owner_or_a_pool(intake, rep, team):
    response = intake({"company_name": "A", "owner": rep.pk, "pool_team": team.pk})
    assert response.status_code == 201
    lead = Lead.objects.get(pk=response.json()["lead"])
    assert owner_of(lead.pk) is None and lead.pool_team_id is None


# --- notices ------------------------------------------------------------------------------
def test_the_notices_read_in_words(db):
    inquiry = Notification(
        kind=Notification.Kind.INQUIRY,
        payload={"company": "Acme", "source": "website", "message": "", "in_pool": False},
    )
    assert describe(inquiry) == "Your customer Acme got in touch again via website."
    routed = Notification(
        kind=Notification.Kind.ROUTED, payload={"company": "Acme", "rule": {"name": "East"}}
    )
    assert describe(routed) == "New customer Acme is yours, routed by the rule “East”."


# --- at once ------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_same_customer_handed_in_ten_times_at_once_is_one_customer_and_nine_inquiries(
    team, manager
):
    for n in range(3):
        make_user(f"rr{n}", team=team)
    rule("all", Target.ROUND_ROBIN, team=team)
    _api_key, raw = new_key()
    barrier = threading.Barrier(10)
    answers, crashes = [], []

    def submit():
        try:
            client = keyed(raw)
            barrier.wait(timeout=30)
            response = client.post(URL, ACME, format="json")
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - a crash must fail the test
            crashes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung (deadlock?)"
    assert not crashes, crashes
    assert sorted(code for code, _body in answers) == [200] * 9 + [201]
    (lead,) = Lead.objects.all()
    assert {body["lead"] for _code, body in answers} == {lead.pk}
    assert Inquiry.objects.filter(lead=lead).count() == 9
    owner = owner_of(lead.pk)
    assert owner is not None
    assert Notification.objects.filter(kind="inquiry", user=owner).count() == 9
    assert timezone.now() - lead.created_at < timedelta(minutes=5)
