"""The admin console's account pages: teams and API keys (and the Settings entry). Admins
only, in both languages, errors shown on the page."""

import pytest
from django.utils import translation

from accounts import services
from accounts.models import ApiKey, Team

pytestmark = pytest.mark.django_db

PAGES = ["/settings/teams/", "/settings/api-keys/"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_settings_is_in_the_admins_navigation_and_opens_the_users_tab(admin_client):
    html = admin_client.get("/").content.decode()
    assert 'href="/settings/"' in html
    response = admin_client.get("/settings/")
    assert response.status_code == 302 and response["Location"] == "/settings/users/"


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_no_settings_link_for_others(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert 'href="/settings/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_for_admins_in_both_languages(admin_client, admin_user, team, page, language):
    services.create_api_key(actor=admin_user, name="Website", source="website")
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    response = admin_client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="console-tab-users"' in html
    with translation.override(language):
        assert translation.gettext("Teams") in html


@pytest.mark.parametrize("page", [*PAGES, "/settings/teams/1/"])
@pytest.mark.parametrize("who", ["rep", "manager"])
def test_pages_are_403_for_others(client, request, team, page, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(page).status_code == 403
    assert client.post(page, {"name": "X", "source": "x"}).status_code == 403
    assert not ApiKey.objects.exists()
    assert Team.objects.filter(name="X").count() == 0


def test_anonymous_goes_to_login(client, team):
    for page in [*PAGES, "/settings/"]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_admin_creates_and_edits_a_team(admin_client, manager, other_manager):
    response = admin_client.post("/settings/teams/", {"name": "North", "manager": manager.pk})
    assert response.status_code == 302
    north = Team.objects.get(name="North")
    assert north.manager == manager
    page = admin_client.get("/settings/teams/").content.decode()
    assert "North" in page

    response = admin_client.post(
        f"/settings/teams/{north.pk}/", {"name": "North China", "manager": other_manager.pk}
    )
    assert response.status_code == 302
    north.refresh_from_db()
    assert (north.name, north.manager) == ("North China", other_manager)


def test_team_errors_are_shown(admin_client, team, rep):
    response = admin_client.post("/settings/teams/", {"name": "east"})
    assert response.status_code == 400
    assert "A team with that name already exists." in response.content.decode()
    response = admin_client.post(f"/settings/teams/{team.pk}/", {"name": "East", "manager": rep.pk})
    assert response.status_code == 400  # a rep is not offered as a manager
    assert admin_client.get("/settings/teams/999999/").status_code == 404


def test_api_key_is_shown_once_and_revoked(admin_client):
    response = admin_client.post("/settings/api-keys/", {"name": "Website", "source": "website"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    key = ApiKey.objects.get()
    assert 'data-testid="raw-key"' in html
    raw = html.split('data-testid="raw-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert raw.startswith(key.prefix) and len(raw) > 40

    listing = admin_client.get("/settings/api-keys/").content.decode()
    assert raw not in listing and f"{key.prefix}…" in listing

    again = admin_client.post("/settings/api-keys/", {"name": "Website 2", "source": "website"})
    assert again.status_code == 400
    assert "That source already has a live key" in again.content.decode()

    response = admin_client.post(f"/settings/api-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert admin_client.get("/settings/api-keys/999999/revoke/").status_code == 405
    assert admin_client.post("/settings/api-keys/999999/revoke/").status_code == 404


@pytest.mark.parametrize("who", ["rep", "manager"])
def test_others_cannot_revoke(client, request, admin_user, who):
    key, _raw = services.create_api_key(actor=admin_user, name="Website", source="website")
    client.force_login(request.getfixturevalue(who))
    assert client.post(f"/settings/api-keys/{key.pk}/revoke/").status_code == 403
    key.refresh_from_db()
    assert key.is_live
