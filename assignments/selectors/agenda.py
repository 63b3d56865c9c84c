"""Today's work (今日待办): what a rep must do today on the customers they own — next steps due
today or overdue, claims running out within 48 hours, open deals past their expected close."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from leads.models import Deal, FollowUp

from .. import live
from ..models import Ownership

EXPIRING_WITHIN = timedelta(hours=48)


@dataclass
class Agenda:
    next_steps: list[FollowUp] = field(default_factory=list)
    expiring: list[Ownership] = field(default_factory=list)
    overdue_deals: list[Deal] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "next_steps": len(self.next_steps),
            "expiring_claims": len(self.expiring),
            "overdue_deals": len(self.overdue_deals),
        }


def due_next_steps(*, owner_ids=None, now: datetime | None = None, limit: int = 200):
    """The next step of each owned customer that is due today or overdue: a customer's next
    step is the one of its latest follow-up (a later follow-up settles the earlier ones).
    `owner_ids` narrows to those owners' customers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    latest = FollowUp.objects.filter(lead=OuterRef("lead_id")).order_by("-occurred_at", "-id")
    owned = Ownership.objects.filter(live.live_q(now))
    if owner_ids is not None:
        owned = owned.filter(owner_id__in=list(owner_ids))
    latest_ids = owned.annotate(latest=Subquery(latest.values("id")[:1])).values("latest")
    return (
        FollowUp.objects.filter(pk__in=latest_ids, next_step_at__lte=today)
        .exclude(next_step="")
        .select_related("lead")
        .order_by("next_step_at", "id")[:limit]
    )


def get_agenda(*, user: User, now: datetime | None = None) -> Agenda:
    now = now or timezone.now()
    today = timezone.localdate(now)
    mine = Ownership.objects.filter(live.live_q(now), owner=user)
    return Agenda(
        next_steps=list(due_next_steps(owner_ids=[user.pk], now=now)),
        expiring=list(
            Ownership.objects.filter(
                live.slot_q(now), owner=user, protected_until__lte=now + EXPIRING_WITHIN
            )
            .select_related("lead")
            .order_by("protected_until")
        ),
        overdue_deals=list(
            Deal.objects.filter(
                status=Deal.Status.OPEN,
                expected_close__lt=today,
                lead_id__in=mine.values("lead_id"),
            )
            .select_related("lead", "stage")
            .order_by("expected_close", "id")
        ),
    )
