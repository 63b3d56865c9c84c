"""E-mail delivery backs off: during a mail outage a failed send waits for a later run, so a
row does not spend all its attempts within seconds. And the inbox never redirects off-site."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from assignments.services.recycle import recycle_stale_claims
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.accounts.failing_mail.RefusingBackend"


@pytest.fixture
def expired_notices(rep, make_lead):
    rep.email = "alice@example.cn"
    rep.save()
    for i in range(3):
        expire_claim(make_lead(actor=rep, company_name=f"Outage {i}").pk)
    recycle_stale_claims()
    return Notification.objects.filter(user=rep)


def attempts(notices):
    return sorted(notices.values_list("email_status", "email_attempts"))


def test_a_failed_send_waits_for_a_later_run(expired_notices, smtp_down, settings):
    from accounts.delivery import deliver_pending_emails

    now = timezone.now()
    assert deliver_pending_emails(now=now) == 0
    assert attempts(expired_notices) == [("pending", 1)] * 3
    # The same run, or the next one a minute later, does not try again yet.
    assert deliver_pending_emails(now=now) == 0
    assert deliver_pending_emails(now=now + timedelta(seconds=30)) == 0
    assert attempts(expired_notices) == [("pending", 1)] * 3

    # Later runs try again, each wait longer than the one before.
    waits = []
    moment = now
    for attempt in range(2, 6):
        due = min(n.email_next_attempt_at for n in expired_notices.all())
        waits.append(due - moment)
        moment = due
        deliver_pending_emails(now=moment)
        assert {a for _s, a in attempts(expired_notices)} == {attempt}
    assert waits == sorted(waits) and waits[0] >= timedelta(minutes=1)
    assert attempts(expired_notices) == [("failed", 5)] * 3


def test_one_run_tries_each_email_once_however_many_batches(rep, make_lead, smtp_down):
    """During an outage one run goes through the whole outbox once: a failed row is not
    picked again by the run's next batch."""
    from accounts.delivery import deliver_pending_emails

    rep.email = "alice@example.cn"
    rep.save()
    for i in range(5):
        expire_claim(make_lead(actor=rep, company_name=f"Batch {i}").pk)
    recycle_stale_claims()

    assert deliver_pending_emails(batch_size=2) == 0

    notices = Notification.objects.filter(user=rep)
    assert attempts(notices) == [("pending", 1)] * 5


def test_a_send_that_failed_once_goes_out_when_mail_is_back(expired_notices, smtp_down, settings):
    from accounts.delivery import deliver_pending_emails

    now = timezone.now()
    deliver_pending_emails(now=now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending_emails(now=now) == 0
    assert deliver_pending_emails(now=now + timedelta(hours=1)) == 3
    assert len(mail.outbox) == 3
    assert attempts(expired_notices) == [("sent", 2)] * 3


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "http:/evil.example", "javascript:alert(1)"],
)
def test_mark_read_does_not_redirect_off_site(client, rep, target):
    client.force_login(rep)
    response = client.post("/notifications/read/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/"


def test_mark_read_returns_to_a_page_of_this_site(client, rep):
    client.force_login(rep)
    response = client.post("/notifications/read/", {"next": "/leads/mine/"})
    assert response["Location"] == "/leads/mine/"
