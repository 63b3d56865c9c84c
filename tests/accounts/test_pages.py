import pytest
from django.core.management import call_command

from accounts.models import Team, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_shows_name_team_and_role_navigation(client, rep):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alice Rep" in html
    assert "East" in html
    assert "Administration" not in html


def test_admin_sees_administration_link(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/").content.decode()
    assert "/admin/" in html
    assert client.get("/admin/").status_code == 200


def test_rep_cannot_open_django_admin(client, rep):
    client.force_login(rep)
    response = client.get("/admin/")
    assert response.status_code == 302  # to the admin login, not the admin index


def test_wrong_password_shows_a_readable_error(client, rep):
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_browser_language_is_used_before_login(client):
    html = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "登录" in html


def test_language_switch_is_remembered_on_the_user(client, rep):
    client.force_login(rep)
    response = client.post("/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    # A new session in another browser (English) still gets the user's language.
    other = client_class_login(rep)
    html = other.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "首页" in html


def client_class_login(user: User):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_language_switch_rejects_unknown_language_and_open_redirects(client, rep):
    client.force_login(rep)
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_logout_is_post_only_and_ends_the_session(client, rep):
    client.force_login(rep)
    client.post("/logout/")
    assert client.get("/").status_code == 302


def test_seed_demo_is_idempotent_and_logins_work(client):
    from assignments.models import Ownership, OwnershipEvent
    from leads.models import Lead

    call_command("seed_demo")
    leads, owned = Lead.objects.count(), Ownership.objects.filter(ended_at__isnull=True).count()
    events = OwnershipEvent.objects.count()
    call_command("seed_demo")
    assert Lead.objects.count() == leads >= 450
    assert Ownership.objects.filter(ended_at__isnull=True).count() == owned >= 50
    assert OwnershipEvent.objects.count() == events
    assert Lead.objects.filter(company_name__contains="有限公司").exists()
    assert Lead.objects.filter(company_name__contains="Ltd").exists()
    assert User.objects.filter(role=User.Role.REP).count() == 8
    assert User.objects.filter(role=User.Role.MANAGER).count() == 2
    assert User.objects.filter(role=User.Role.ADMIN).count() == 1
    assert Team.objects.count() == 2
    assert all(team.manager is not None for team in Team.objects.all())
    assert client.login(username="rep1", password="noclash-demo")
    assert client.login(username="admin", password="noclash-admin")
    # One transfer request waits in a manager's inbox (and the second seeding added none).
    from assignments.models import TransferRequest

    request = TransferRequest.objects.get()
    assert request.status == "pending" and request.requester.team_id == request.owner.team_id
    manager = request.owner.team.manager
    assert client.login(username=manager.username, password="noclash-demo")
    assert 'data-testid="nav-count">1<' in client.get("/").content.decode()
