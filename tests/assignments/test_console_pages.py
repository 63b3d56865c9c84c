"""The admin console's user and pool policy pages: admins only, both languages, readable
errors, durations typed as days and hours."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import AwayPeriod, User
from assignments.models import PoolPolicy
from assignments.selectors import get_effective_policy, get_global_policy
from assignments.services import claim_lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def pages(user_id: int) -> list[str]:
    return [
        "/settings/users/",
        "/settings/users/new/",
        f"/settings/users/{user_id}/",
        "/settings/policies/",
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_for_admins_in_both_languages(admin_client, admin_user, rep, team, language):
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    for page in pages(rep.pk):
        response = admin_client.get(page)
        assert response.status_code == 200, page
        assert 'data-testid="console-tab-policies"' in response.content.decode()


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_pages_are_403_for_others(client, request, rep, team, who):
    client.force_login(request.getfixturevalue(who))
    for page in pages(rep.pk):
        assert client.get(page).status_code == 403, page
    posts = {
        f"/settings/users/{rep.pk}/": {"role": "admin", "display_name": "X"},
        f"/settings/users/{rep.pk}/active/": {"active": "0", "confirm": "yes"},
        f"/settings/users/{rep.pk}/away/": {"starts_on": "2030-01-01", "ends_on": "2030-01-02"},
        "/settings/users/new/": {"username": "mallory", "password": "a-long-Secret-771"},
        "/settings/policies/": {"scope": "global", "global-claim_limit": "999"},
    }
    for page, data in posts.items():
        assert client.post(page, data).status_code == 403, page
    rep.refresh_from_db()
    assert rep.role == User.Role.REP and rep.is_active
    assert not User.objects.filter(username="mallory").exists()
    assert not AwayPeriod.objects.exists()
    assert get_global_policy().claim_limit == 30


def test_anonymous_goes_to_login(client, rep):
    for page in pages(rep.pk):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- users ----------------------------------------------------------------------------------
def test_users_list_shows_claims_capacity_away_and_deactivated(
    admin_client, admin_user, rep, teammate, make_lead
):
    lead = make_lead()
    claim_lead(lead_id=lead.pk, actor=rep)
    account_services.update_user(actor=admin_user, user_id=rep.pk, capacity=7)
    account_services.add_away_period(
        actor=admin_user,
        user_id=rep.pk,
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=2),
    )
    account_services.update_user(actor=admin_user, user_id=teammate.pk, is_active=False)
    html = admin_client.get("/settings/users/").content.decode()
    rep_row = html.split(f'data-user="{rep.pk}"')[1].split("</tr>")[0]
    assert "1 / 7" in rep_row and 'data-testid="away"' in rep_row
    mate_row = html.split(f'data-user="{teammate.pk}"')[1].split("</tr>")[0]
    assert "0 / 30" in mate_row and "(team limit)" in mate_row
    assert 'data-testid="inactive"' in mate_row


def test_admin_creates_a_user(admin_client, team):
    response = admin_client.post(
        "/settings/users/new/",
        {
            "username": "dora",
            "display_name": "杜拉",
            "password": "a-long-Secret-771",
            "role": "rep",
            "team": team.pk,
            "capacity": "12",
        },
    )
    assert response.status_code == 302
    dora = User.objects.get(username="dora")
    assert (dora.team, dora.capacity, dora.display_name) == (team, 12, "杜拉")
    assert dora.check_password("a-long-Secret-771")


def test_create_user_errors_are_readable(admin_client, rep):
    response = admin_client.post(
        "/settings/users/new/",
        {"username": "ALICE", "password": "123", "role": "rep", "capacity": "abc"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A user with that username already exists." in html
    assert "Enter a whole number." in html
    assert User.objects.count() == 3  # rep, their manager, the admin


def test_admin_edits_a_user(admin_client, rep, other_team):
    response = admin_client.post(
        f"/settings/users/{rep.pk}/",
        {
            "display_name": "Alice W",
            "email": "",
            "role": "rep",
            "team": other_team.pk,
            "capacity": "",
        },
    )
    assert response.status_code == 302
    rep.refresh_from_db()
    assert (rep.display_name, rep.team, rep.capacity) == ("Alice W", other_team, None)


@pytest.mark.parametrize("capacity", ["abc", "-3", "0", "99999999999999"])
def test_bad_capacity_is_a_message_not_a_500(admin_client, rep, capacity):
    response = admin_client.post(
        f"/settings/users/{rep.pk}/",
        {"display_name": "Alice W", "role": "rep", "capacity": capacity},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a whole number." in html or "Ensure this value is" in html
    rep.refresh_from_db()
    assert rep.display_name == "Alice Rep"


def test_admin_cannot_demote_themself_on_the_page(admin_client, admin_user):
    response = admin_client.post(
        f"/settings/users/{admin_user.pk}/", {"display_name": "Ada", "role": "rep"}
    )
    assert response.status_code == 400
    assert "You cannot deactivate yourself or take away your own admin role." in (
        response.content.decode()
    )
    admin_user.refresh_from_db()
    assert admin_user.role == User.Role.ADMIN


def test_deactivation_needs_the_confirmation(admin_client, rep):
    admin_client.post(f"/settings/users/{rep.pk}/active/", {"active": "0"})
    rep.refresh_from_db()
    assert rep.is_active
    admin_client.post(f"/settings/users/{rep.pk}/active/", {"active": "0", "confirm": "yes"})
    rep.refresh_from_db()
    assert not rep.is_active
    html = admin_client.get(f"/settings/users/{rep.pk}/").content.decode()
    assert 'data-testid="reactivate"' in html
    admin_client.post(f"/settings/users/{rep.pk}/active/", {"active": "1"})
    rep.refresh_from_db()
    assert rep.is_active


def test_away_periods_on_the_page(admin_client, rep):
    start = timezone.localdate() + timedelta(days=1)
    response = admin_client.post(
        f"/settings/users/{rep.pk}/away/",
        {
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=2)).isoformat(),
            "reason": "年假",
        },
    )
    assert response.status_code == 302
    period = AwayPeriod.objects.get(user=rep)
    assert period.ends_at - period.starts_at == timedelta(days=3)
    assert "年假" in admin_client.get(f"/settings/users/{rep.pk}/").content.decode()

    response = admin_client.post(f"/settings/away/{period.pk}/end/")
    assert response.status_code == 302
    assert not AwayPeriod.objects.filter(pk=period.pk).exists()  # had not begun: dropped


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("2030-01-05", "2030-01-01", "The last day cannot be before the first."),
        ("2020-01-01", "2020-01-02", "That away period is already over."),
        ("9999-12-31", "9999-12-31", "Enter a date within the next five years."),
        ("soon", "", "Enter a valid date."),
    ],
)
def test_bad_away_periods_are_readable(admin_client, rep, starts, ends, message):
    response = admin_client.post(
        f"/settings/users/{rep.pk}/away/", {"starts_on": starts, "ends_on": ends}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AwayPeriod.objects.exists()


# --- pool policies --------------------------------------------------------------------------
def test_global_policy_saves_days_and_hours(admin_client):
    get_global_policy()
    response = admin_client.post(
        "/settings/policies/",
        {
            "scope": "global",
            "global-claim_limit": "25",
            "global-protection_period_days": "5",
            "global-protection_period_hours": "12",
            "global-followup_extension_days": "3",
            "global-followup_extension_hours": "",
            "global-max_protection_days": "30",
            "global-max_protection_hours": "0",
            "global-cooldown_days": "0",
            "global-cooldown_hours": "6",
        },
    )
    assert response.status_code == 302
    policy = get_global_policy()
    assert policy.claim_limit == 25
    assert policy.protection_period == timedelta(days=5, hours=12)
    assert policy.cooldown == timedelta(hours=6)
    html = admin_client.get("/settings/policies/").content.decode()
    assert 'name="global-protection_period_days"' in html
    assert "00:00" not in html.split('data-testid="policy-global"')[1].split("</article>")[0]


def test_team_policy_inherits_when_empty(admin_client, team):
    get_global_policy()
    html = admin_client.get("/settings/policies/").content.decode()
    assert "Empty: inherits 7 days." in html
    response = admin_client.post(
        "/settings/policies/",
        {
            "scope": f"team-{team.pk}",
            f"team-{team.pk}-claim_limit": "",
            f"team-{team.pk}-protection_period_days": "2",
            f"team-{team.pk}-protection_period_hours": "",
        },
    )
    assert response.status_code == 302
    effective = get_effective_policy(team_id=team.pk)
    assert effective.protection_period == timedelta(days=2)
    assert effective.claim_limit == 30  # inherited
    override = PoolPolicy.objects.get(team=team)
    assert override.claim_limit is None and override.cooldown is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("protection_period_days", "99999", "Ensure this value is less than or equal to 3650."),
        ("protection_period_days", "abc", "Enter a whole number."),
        ("protection_period_hours", "30", "Ensure this value is less than or equal to 23."),
        ("cooldown_days", "-1", "Ensure this value is greater than or equal to 0."),
        ("claim_limit", "1000000", "Ensure this value is less than or equal to 100000."),
    ],
)
def test_absurd_policy_values_are_refused_with_a_message(admin_client, team, field, value, message):
    get_global_policy()
    response = admin_client.post(
        "/settings/policies/", {"scope": f"team-{team.pk}", f"team-{team.pk}-{field}": value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PoolPolicy.objects.filter(team=team).exists()


def test_policy_cross_field_and_total_bounds(admin_client, team):
    get_global_policy()
    scope = f"team-{team.pk}"
    response = admin_client.post(
        "/settings/policies/",
        {
            "scope": scope,
            f"{scope}-max_protection_days": "3650",
            f"{scope}-max_protection_hours": "5",
        },
    )
    assert response.status_code == 400
    assert "At most 3650 days." in response.content.decode()
    response = admin_client.post(
        "/settings/policies/", {"scope": scope, f"{scope}-max_protection_days": "2"}
    )
    assert response.status_code == 400
    assert "cannot be shorter than the protection period" in response.content.decode()
    response = admin_client.post(
        "/settings/policies/", {"scope": scope, f"{scope}-protection_period_days": "0"}
    )
    assert response.status_code == 400
    assert "Must be longer than zero." in response.content.decode()
    assert get_effective_policy(team_id=team.pk).max_protection == timedelta(days=30)


def test_global_policy_needs_every_value(admin_client):
    get_global_policy()
    response = admin_client.post(
        "/settings/policies/", {"scope": "global", "global-claim_limit": ""}
    )
    assert response.status_code == 400
    assert get_global_policy().claim_limit == 30


def test_unknown_scope_is_a_message(admin_client):
    response = admin_client.post("/settings/policies/", {"scope": "team-999999"})
    assert response.status_code == 400
    assert "That team no longer exists." in response.content.decode()
