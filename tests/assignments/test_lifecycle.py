"""Recycling, reminders and notifications, called in-process (the real-worker tests are in
test_worker.py)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from accounts.delivery import deliver_pending_emails
from accounts.models import Notification
from assignments import services as ownership
from assignments.models import Ownership, OwnershipEvent
from assignments.services import followups
from assignments.services.recycle import recycle_stale_claims
from assignments.services.reminders import send_expiry_reminders
from crm.errors import DomainError
from tests.conftest import expire_claim, make_user, mark_won


def kinds(lead_id):
    return list(
        OwnershipEvent.objects.filter(lead_id=lead_id)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )


@pytest.mark.django_db
def test_recycle_returns_expired_claims_once_with_history_cooldown_and_notice(
    rep, teammate, make_lead
):
    stale = [make_lead(actor=rep, company_name=f"Stale {i}") for i in range(3)]
    live = make_lead(actor=rep, company_name="Live")
    for lead in stale:
        expire_claim(lead.pk)

    assert recycle_stale_claims() == 3
    assert recycle_stale_claims() == 0
    for lead in stale:
        assert kinds(lead.pk) == ["assign", "expire"]
        period = Ownership.objects.get(lead=lead)
        assert period.end_kind == "expire" and period.ended_at == period.protected_until
    assert kinds(live.pk) == ["assign"]
    notes = Notification.objects.filter(user=rep, kind="claim_expired")
    assert sorted(n.payload["company"] for n in notes) == ["Stale 0", "Stale 1", "Stale 2"]
    # Cooldown started for the old owner; another rep may claim.
    with pytest.raises(DomainError) as refused:
        ownership.claim_lead(lead_id=stale[0].pk, actor=rep)
    assert refused.value.code == "in_cooldown"
    ownership.claim_lead(lead_id=stale[0].pk, actor=teammate)


@pytest.mark.django_db
def test_recycle_works_in_batches(rep, make_lead, set_policy):
    set_policy(claim_limit=100)
    leads = [make_lead(actor=rep) for _ in range(25)]
    for lead in leads:
        expire_claim(lead.pk)
    assert recycle_stale_claims(batch_size=10) == 25
    assert OwnershipEvent.objects.filter(kind="expire").count() == 25


@pytest.mark.django_db
def test_won_customers_are_never_recycled(rep, make_lead):
    lead = make_lead(actor=rep)
    mark_won(lead)
    expire_claim(lead.pk, ago=timedelta(days=30))
    assert recycle_stale_claims() == 0
    assert Ownership.objects.get(lead=lead).ended_at is None
    # ... and stay the owner's everywhere.
    from assignments.selectors import list_leads_visible_to

    assert lead in list_leads_visible_to(user=rep, scope="mine")


@pytest.mark.django_db
def test_expiry_seen_by_a_claim_first_is_not_recycled_or_notified_twice(rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    expire_claim(lead.pk)
    ownership.claim_lead(lead_id=lead.pk, actor=teammate)
    assert recycle_stale_claims() == 0
    assert kinds(lead.pk) == ["assign", "expire", "claim"]
    assert Notification.objects.filter(user=rep, kind="claim_expired").count() == 1


@pytest.mark.django_db
def test_reminder_and_escalation_once_per_claim_and_threshold(rep, manager, make_lead):
    soon = make_lead(actor=rep, company_name="Soon")  # 36 hours left: owner only
    sooner = make_lead(actor=rep, company_name="Sooner")  # 12 hours left: owner and manager
    make_lead(actor=rep, company_name="Later")  # 7 days left: nobody
    expire_claim(soon.pk, ago=-timedelta(hours=36))
    expire_claim(sooner.pk, ago=-timedelta(hours=12))

    assert send_expiry_reminders() == 3
    assert send_expiry_reminders() == 0
    reminders = Notification.objects.filter(kind="expiry_reminder", user=rep)
    assert sorted(n.payload["company"] for n in reminders) == ["Soon", "Sooner"]
    escalations = Notification.objects.filter(kind="expiry_escalation")
    assert [(n.user, n.payload["company"], n.payload["owner"]) for n in escalations] == [
        (manager, "Sooner", "Alice Rep")
    ]
    # Later the other claim crosses the manager's threshold: one more escalation, no repeats.
    assert send_expiry_reminders(now=timezone.now() + timedelta(hours=13)) == 1
    assert Notification.objects.filter(kind="expiry_escalation").count() == 2


@pytest.mark.django_db
def test_emails_go_out_once_and_respect_muted_kinds(rep, teammate, manager, make_lead):
    rep.email, teammate.email = "alice@example.cn", "bob@example.cn"
    rep.save()
    teammate.email_muted_kinds = ["reassigned"]
    teammate.save()
    lead = make_lead(actor=rep, company_name="Mail Co")
    ownership.reassign_lead(lead_id=lead.pk, actor=manager, to_user_id=teammate.pk, reason="cover")
    assert deliver_pending_emails() == 1
    assert deliver_pending_emails() == 0
    assert [m.to for m in mail.outbox] == [["alice@example.cn"]]
    assert "Mail Co" in mail.outbox[0].body and "Bob Rep" in mail.outbox[0].body
    statuses = dict(Notification.objects.values_list("user__username", "email_status"))
    assert statuses == {"alice": "sent", "bob": "skipped"}


@pytest.mark.django_db
def test_email_in_the_recipients_language(rep, make_lead):
    rep.email, rep.language = "alice@example.cn", "zh-hans"
    rep.save()
    lead = make_lead(actor=rep, company_name="语言测试公司")
    expire_claim(lead.pk)
    recycle_stale_claims()
    deliver_pending_emails()
    assert "语言测试公司" in mail.outbox[0].body
    assert "公海" in mail.outbox[0].body


@pytest.mark.django_db
def test_failed_email_is_retried_later(rep, make_lead, monkeypatch):
    rep.email = "alice@example.cn"
    rep.save()
    lead = make_lead(actor=rep)
    expire_claim(lead.pk)
    recycle_stale_claims()

    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("accounts.delivery.send_mail", smtp_down)
    assert deliver_pending_emails() == 0
    note = Notification.objects.get(user=rep)
    assert (note.email_status, note.email_attempts) == ("pending", 1)
    monkeypatch.undo()
    # A later run (after the back-off) sends it.
    assert deliver_pending_emails(now=timezone.now() + timedelta(minutes=2)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_broker_down_never_breaks_a_users_action(rep, teammate, manager, make_lead, monkeypatch):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("accounts.tasks.deliver_notifications_task.apply_async", broker_down)
    lead = make_lead(actor=rep)
    with pytest.MonkeyPatch.context():
        ownership.reassign_lead(lead_id=lead.pk, actor=manager, to_user_id=teammate.pk, reason="x")
    assert Ownership.objects.get(lead=lead, ended_at__isnull=True).owner == teammate
    assert Notification.objects.filter(email_status="pending").count() == 2  # waits in the outbox


@pytest.mark.django_db
def test_notifications_api_and_bell(api, client, rep, make_lead):
    for i in range(3):
        lead = make_lead(actor=rep, company_name=f"Gone {i}")
        expire_claim(lead.pk)
    recycle_stale_claims()
    body = api(rep).get("/api/v1/notifications/").json()
    assert body["unread"] == 3 and len(body["results"]) == 3
    assert "back in the pool" in body["results"][0]["text"]
    first = body["results"][0]["id"]
    assert api(rep).post("/api/v1/notifications/read/", {"ids": [first]}, format="json").json() == {
        "marked": 1
    }
    assert api(rep).get("/api/v1/notifications/?unread=1").json()["unread"] == 2

    client.force_login(rep)
    html = client.get("/").content.decode()
    assert 'data-testid="unread-count">2<' in html
    client.post("/notifications/read/")
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_users_only_see_and_mark_their_own_notifications(api, rep, teammate, make_lead):
    lead = make_lead(actor=rep)
    expire_claim(lead.pk)
    recycle_stale_claims()
    note = Notification.objects.get(user=rep)
    assert api(teammate).get("/api/v1/notifications/").json()["results"] == []
    assert api(teammate).post(
        "/api/v1/notifications/read/", {"ids": [note.pk]}, format="json"
    ).json() == {"marked": 0}
    note.refresh_from_db()
    assert note.read_at is None


@pytest.mark.django_db
def test_email_preferences_api(api, rep):
    response = api(rep).put(
        "/api/v1/notifications/preferences/",
        {"email_muted_kinds": ["expiry_reminder"]},
        format="json",
    )
    assert response.json() == {"email_muted_kinds": ["expiry_reminder"]}
    bad = api(rep).put(
        "/api/v1/notifications/preferences/", {"email_muted_kinds": ["spam"]}, format="json"
    )
    assert bad.status_code == 400
    rep.refresh_from_db()
    assert rep.email_muted_kinds == ["expiry_reminder"]


def _together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_recycle_runs_at_once_over_a_thousand_stale_leads(team, manager, set_policy):
    set_policy(claim_limit=2000)
    owner = make_user("hoarder", team=team)
    admin = make_user("lifecycle_admin", role="admin")
    lead_ids = []
    for i in range(1000):
        lead_ids.append(
            ownership.create_lead(
                actor=admin, company_name=f"Old {i}", owner_id=owner.pk, confirm_duplicate=True
            ).pk
        )
    shift = timedelta(days=8)
    from django.db.models import F

    Ownership.objects.update(
        started_at=F("started_at") - shift, protected_until=F("protected_until") - shift
    )

    first, second = _together([lambda: recycle_stale_claims(batch_size=100)] * 2)
    assert first + second == 1000
    assert OwnershipEvent.objects.filter(kind="expire").count() == 1000
    assert OwnershipEvent.objects.filter(kind="expire").values("lead_id").distinct().count() == 1000
    assert Notification.objects.filter(kind="claim_expired").count() == 1000
    assert not Ownership.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_recycle_racing_the_owners_followup_the_followup_wins(rep, make_lead, monkeypatch):
    """The follow-up holds the lead's lock when its protection runs out: recycling must skip
    the lead (not wait, not expire it); the follow-up commits and the lead stays owned."""
    lead = make_lead(actor=rep)
    expire_claim(lead.pk, ago=-timedelta(seconds=2))  # two seconds of protection left
    inside, release = threading.Event(), threading.Event()
    real_extend = followups.extend_protection_for_followup

    def slow_extend(**kwargs):
        inside.set()
        assert release.wait(timeout=30)
        return real_extend(**kwargs)

    monkeypatch.setattr(
        "assignments.services.followups.extend_protection_for_followup", slow_extend
    )
    outcome = {}

    def followup():
        try:
            outcome["followup"] = ownership.log_followup(
                lead_id=lead.pk, actor=rep, kind="call", note="Signed the NDA"
            )
        finally:
            connections.close_all()

    thread = threading.Thread(target=followup)
    thread.start()
    assert inside.wait(timeout=30)
    import time

    time.sleep(2.5)  # the protection has now passed while the follow-up holds the lock
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.monotonic()
        assert recycle_stale_claims() == 0  # skipped, not blocked
        assert time.monotonic() - started < 2
        release.set()
    else:
        # SQLite: the follow-up's IMMEDIATE transaction holds the database; the recycle
        # waits for it, then finds the protection extended.
        timer = threading.Timer(1.0, release.set)
        timer.start()
        assert recycle_stale_claims() == 0
    thread.join(timeout=30)
    assert "followup" in outcome
    assert recycle_stale_claims() == 0
    period = Ownership.objects.get(lead=lead, ended_at__isnull=True)
    assert period.owner == rep and period.protected_until > timezone.now()
    assert kinds(lead.pk) == ["assign"]
