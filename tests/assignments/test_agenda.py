"""Today's work (今日待办, `GET /api/v1/agenda/`) on the customers the user owns: next steps due
today or overdue (a customer's next step is its latest follow-up's), claims whose protection
ends within 48 hours, open deals past their expected close. And the morning reminder of due
next steps: not before NEXT_STEP_REMINDER_HOUR local time, once per step."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Notification
from assignments import services
from assignments.selectors.agenda import get_agenda
from assignments.services.reminders import send_next_step_reminders
from tests.conftest import expire_claim

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def today():
    return timezone.localdate()


def log(api, user, lead, *, step="", due=None, hours_ago=0):
    payload = {"kind": "call", "note": "Spoke to them", "next_step": step}
    if due is not None:
        payload["next_step_at"] = due.isoformat()
    if hours_ago:
        payload["occurred_at"] = (timezone.now() - timedelta(hours=hours_ago)).isoformat()
    response = api(user).post(f"/api/v1/leads/{lead.pk}/followups/", payload, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def agenda(api, user):
    response = api(user).get("/api/v1/agenda/")
    assert response.status_code == 200, response.content
    return response.json()


def steps(body):
    return [(s["lead"]["id"], s["next_step"]) for s in body["next_steps"]]


def at_local(hour, minute=0, day=None):
    return datetime.combine(day or today(), time(hour, minute), tzinfo=SHANGHAI)


# --- next steps -----------------------------------------------------------------------------
def test_next_steps_due_today_or_overdue_are_on_the_agenda(api, rep, make_lead, set_policy):
    set_policy(claim_limit=10)
    due_today, overdue, later = (make_lead(actor=rep) for _ in range(3))
    log(api, rep, due_today, step="Send the quote", due=today())
    log(api, rep, overdue, step="Call back", due=today() - timedelta(days=3))
    log(api, rep, later, step="Visit", due=today() + timedelta(days=1))

    body = agenda(api, rep)

    assert steps(body) == [(overdue.pk, "Call back"), (due_today.pk, "Send the quote")]
    assert body["next_steps"][0]["next_step_at"] == (today() - timedelta(days=3)).isoformat()
    assert body["next_steps"][1]["lead"]["company_name"] == due_today.company_name
    assert body["counts"]["next_steps"] == 2


def test_a_later_follow_up_decides_the_next_step(api, rep, make_lead):
    lead = make_lead(actor=rep)
    log(api, rep, lead, step="Call back", due=today() - timedelta(days=1), hours_ago=5)
    assert steps(agenda(api, rep)) == [(lead.pk, "Call back")]

    log(api, rep, lead, hours_ago=3)  # no next step: settles the earlier one
    assert steps(agenda(api, rep)) == []

    log(api, rep, lead, step="Visit", due=today() + timedelta(days=2), hours_ago=2)
    assert steps(agenda(api, rep)) == []

    followup = log(api, rep, lead, step="Sign", due=today(), hours_ago=1)
    body = agenda(api, rep)
    assert steps(body) == [(lead.pk, "Sign")]
    assert body["next_steps"][0]["followup"] == followup["id"]


def test_a_backdated_follow_up_does_not_settle_a_later_one(api, rep, make_lead):
    lead = make_lead(actor=rep)
    log(api, rep, lead, step="Call back", due=today(), hours_ago=1)

    log(api, rep, lead, hours_ago=30)  # logged now, but it happened yesterday

    assert steps(agenda(api, rep)) == [(lead.pk, "Call back")]


def test_only_the_customers_i_own_are_on_my_agenda(
    api, rep, teammate, outsider, manager, make_lead, set_policy
):
    set_policy(cooldown=timedelta(0))
    mine = make_lead(actor=rep)
    theirs = make_lead(actor=teammate)
    released = make_lead(actor=rep)
    services.invite_collaborator(lead_id=mine.pk, actor=rep, user_id=outsider.pk)
    log(api, outsider, mine, step="Demo for the CTO", due=today())  # a collaborator's step
    log(api, teammate, theirs, step="Their step", due=today())
    log(api, rep, released, step="Forgotten", due=today())
    services.release_lead(lead_id=released.pk, actor=rep, reason="No budget")

    assert steps(agenda(api, rep)) == [(mine.pk, "Demo for the CTO")]
    assert steps(agenda(api, teammate)) == [(theirs.pk, "Their step")]
    assert steps(agenda(api, outsider)) == []
    assert agenda(api, manager)["counts"] == {
        "next_steps": 0,
        "expiring_claims": 0,
        "overdue_deals": 0,
    }


def test_today_is_the_local_day(rep, make_lead):
    lead = make_lead(actor=rep)
    services.log_followup(
        lead_id=lead.pk,
        actor=rep,
        kind="call",
        note="x",
        next_step="Early call",
        next_step_at=today(),
    )
    # 01:00 in Shanghai is still the previous day in UTC.
    early = at_local(1)

    assert [s.next_step for s in get_agenda(user=rep, now=early).next_steps] == ["Early call"]
    assert get_agenda(user=rep, now=early - timedelta(hours=2)).next_steps == []


# --- expiring claims ------------------------------------------------------------------------
def test_claims_ending_within_48_hours_are_on_the_agenda(api, rep, make_lead, set_policy):
    set_policy(claim_limit=10)
    soon, edge, later, won, lapsed = (make_lead(actor=rep) for _ in range(5))
    expire_claim(soon.pk, ago=-timedelta(hours=12))
    expire_claim(edge.pk, ago=-timedelta(hours=47))
    expire_claim(later.pk, ago=-timedelta(hours=49))
    expire_claim(won.pk, ago=-timedelta(hours=12))
    expire_claim(lapsed.pk, ago=timedelta(minutes=1))
    deal = services.create_deal(lead_id=won.pk, actor=rep, title="Signed", amount=10)
    services.win_deal(deal_id=deal.pk, actor=rep)

    body = agenda(api, rep)

    assert [c["lead"]["id"] for c in body["expiring_claims"]] == [soon.pk, edge.pk]
    assert body["counts"]["expiring_claims"] == 2
    first = datetime.fromisoformat(body["expiring_claims"][0]["protected_until"])
    assert abs(first - (timezone.now() + timedelta(hours=12))) < timedelta(minutes=5)


def test_a_follow_up_takes_a_claim_off_the_expiring_list(api, rep, make_lead, set_policy):
    set_policy(
        protection_period=timedelta(days=7),
        followup_extension=timedelta(days=3),
        max_protection=timedelta(days=30),
    )
    lead = make_lead(actor=rep)
    expire_claim(lead.pk, ago=-timedelta(hours=6))
    assert [c["lead"]["id"] for c in agenda(api, rep)["expiring_claims"]] == [lead.pk]

    log(api, rep, lead)

    assert agenda(api, rep)["expiring_claims"] == []


# --- overdue deals --------------------------------------------------------------------------
def test_open_deals_past_their_expected_close_are_on_the_agenda(
    api, rep, teammate, make_lead, set_policy
):
    set_policy(claim_limit=10)
    lead = make_lead(actor=rep)

    def deal(title, close, lead=lead, actor=rep):
        return services.create_deal(
            lead_id=lead.pk, actor=actor, title=title, amount=100, expected_close=close
        )

    late = deal("Late", today() - timedelta(days=1))
    later = deal("Very late", today() - timedelta(days=30))
    deal("Due today", today())
    deal("Next month", today() + timedelta(days=30))
    deal("No date", None)
    lost = deal("Lost", today() - timedelta(days=5))
    services.lose_deal(deal_id=lost.pk, actor=rep, reason="Competitor")
    deal("Teammate's", today() - timedelta(days=2), lead=make_lead(actor=teammate), actor=teammate)

    body = agenda(api, rep)

    assert [d["id"] for d in body["overdue_deals"]] == [later.pk, late.pk]
    assert body["overdue_deals"][0]["title"] == "Very late"
    assert body["counts"]["overdue_deals"] == 2

    services.win_deal(deal_id=late.pk, actor=rep)
    assert [d["id"] for d in agenda(api, rep)["overdue_deals"]] == [later.pk]


def test_the_agenda_needs_a_login(api):
    response = api().get("/api/v1/agenda/")
    assert response.status_code in (401, 403)


# --- the morning reminder -------------------------------------------------------------------
def reminders():
    return list(
        Notification.objects.filter(kind="next_step_due")
        .order_by("id")
        .values_list("user_id", "lead_id", "payload")
    )


def test_next_step_reminders_wait_for_the_morning_and_come_once(
    api, rep, teammate, outsider, make_lead, set_policy
):
    set_policy(claim_limit=10)
    due, overdue, later, settled = (make_lead(actor=rep) for _ in range(4))
    services.invite_collaborator(lead_id=due.pk, actor=rep, user_id=outsider.pk)
    log(api, outsider, due, step="Demo", due=today())
    log(api, rep, overdue, step="Call back", due=today() - timedelta(days=2))
    log(api, rep, later, step="Visit", due=today() + timedelta(days=1))
    log(api, rep, settled, step="Old", due=today(), hours_ago=2)
    log(api, rep, settled, hours_ago=1)
    theirs = make_lead(actor=teammate)
    log(api, teammate, theirs, step="Their call", due=today())

    assert send_next_step_reminders(now=at_local(7, 59)) == 0
    assert reminders() == []

    assert send_next_step_reminders(now=at_local(8)) == 3
    sent = reminders()
    assert sorted((user, lead, payload["step"]) for user, lead, payload in sent) == sorted(
        [
            (rep.pk, due.pk, "Demo"),  # the owner hears of it, not the collaborator
            (rep.pk, overdue.pk, "Call back"),
            (teammate.pk, theirs.pk, "Their call"),
        ]
    )

    assert send_next_step_reminders(now=at_local(8, 15)) == 0
    assert send_next_step_reminders(now=at_local(17)) == 0
    assert reminders() == sent

    # A new step due today is reminded on the next run, and only it.
    log(api, rep, later, step="Visit today instead", due=today())
    assert send_next_step_reminders(now=at_local(17, 15)) == 1
    user, lead, payload = reminders()[-1]
    assert (user, lead, payload["step"]) == (rep.pk, later.pk, "Visit today instead")
    assert payload["date"] == today().isoformat()


def test_the_reminder_hour_is_a_setting(api, rep, make_lead, settings):
    settings.NEXT_STEP_REMINDER_HOUR = 10
    lead = make_lead(actor=rep)
    log(api, rep, lead, step="Call", due=today())

    assert send_next_step_reminders(now=at_local(9, 59)) == 0
    assert send_next_step_reminders(now=at_local(10)) == 1
    assert reminders()[0][:2] == (rep.pk, lead.pk)


def test_no_reminder_for_a_customer_no_longer_owned(api, rep, make_lead):
    lead = make_lead(actor=rep)
    log(api, rep, lead, step="Call", due=today())
    services.release_lead(lead_id=lead.pk, actor=rep, reason="Not a fit")

    assert send_next_step_reminders(now=at_local(9)) == 0
    assert reminders() == []
