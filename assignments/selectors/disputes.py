"""Disputes (撞单申诉) as each user may read them, and the evidence a ruling weighs: both
reps side by side on the disputed customer and on the claimant's own record of it."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from crm.errors import NotFound
from leads.models import Deal, FollowUp, Lead

from .. import access
from ..models import Collision, Dispute, Ownership
from .duplicates import find_duplicates_of_lead
from .leads import map_live_ownerships
from .links import has_dispute_link


def list_disputes_visible_to(*, user: User, status: str | None = None) -> QuerySet[Dispute]:
    disputes = Dispute.objects.filter(access.disputes_q(user)).select_related(
        "lead", "claimant", "owner", "record", "ruled_by"
    )
    if status:
        disputes = disputes.filter(status=status)
    return disputes


def list_disputes_to_rule(*, user: User) -> QuerySet[Dispute]:
    """The open disputes the user rules on: against their teams' reps; all for an admin."""
    disputes = list_disputes_visible_to(user=user, status=Dispute.Status.OPEN)
    if user.is_admin:
        return disputes
    return disputes.filter(owner__team_id__in=access.managed_team_ids(user))


def count_disputes_to_rule(*, user: User) -> int:
    if not access.is_manager_or_admin(user):
        return 0
    return list_disputes_to_rule(user=user).count()


def get_dispute_for(*, user: User, dispute_id: int) -> Dispute:
    dispute = list_disputes_visible_to(user=user).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound()
    return dispute


@dataclass
class Side:
    """One rep's dealings with the customer (and with the claimant's record of it)."""

    rep: User
    periods: list[Ownership] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    created: list[Lead] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)

    @property
    def first_contact(self) -> datetime | None:
        moments = [p.started_at for p in self.periods] + [f.occurred_at for f in self.followups]
        return min(moments, default=None)


@dataclass
class Evidence:
    claimant: Side
    owner: Side
    # The duplicate check on the claimant's record against the customer: level and reasons.
    match_level: str = ""
    match_reasons: list[str] = field(default_factory=list)
    # Who owns the customer now (None: nobody), and its won deals (what a split divides).
    owner_now: User | None = None
    won_deals: list[Deal] = field(default_factory=list)

    @property
    def owner_changed(self) -> bool:
        return self.owner_now is None or self.owner_now.pk != self.owner.rep.pk


def get_dispute_evidence(*, user: User, dispute: Dispute) -> Evidence:
    """Both reps side by side. Only for those who see the evidence (managers, admins)."""
    if not access.can_see_dispute_evidence(user, dispute):
        raise NotFound()
    lead_ids = [dispute.lead_id] + ([dispute.record_id] if dispute.record_id else [])
    # Merged records keep their history: follow-ups moved to the survivor are found there.
    lead_ids += list(Lead.objects.filter(merged_into_id__in=lead_ids).values_list("pk", flat=True))
    sides = {rep.pk: Side(rep=rep) for rep in (dispute.claimant, dispute.owner) if rep is not None}
    reps = list(sides)
    for period in (
        Ownership.objects.filter(lead_id__in=lead_ids, owner_id__in=reps)
        .select_related("lead")
        .order_by("started_at", "pk")
    ):
        sides[period.owner_id].periods.append(period)
    for followup in (
        FollowUp.objects.filter(lead_id__in=lead_ids, author_id__in=reps)
        .select_related("lead")
        .order_by("occurred_at", "pk")
    ):
        sides[followup.author_id].followups.append(followup)
    for lead in Lead.objects.filter(pk__in=lead_ids, created_by_id__in=reps).order_by("pk"):
        sides[lead.created_by_id].created.append(lead)
    for collision in (
        Collision.objects.filter(lead_id__in=lead_ids, user_id__in=reps)
        .select_related("lead", "owner")
        .order_by("at", "pk")
    ):
        sides[collision.user_id].collisions.append(collision)

    evidence = Evidence(claimant=sides[dispute.claimant_id], owner=sides[dispute.owner_id])
    if dispute.record_id is not None and dispute.record.merged_into_id is None:
        for match in find_duplicates_of_lead(dispute.record):
            if match.lead.pk == dispute.lead_id:
                evidence.match_level, evidence.match_reasons = match.level, match.reasons
    period = map_live_ownerships(lead_ids=[dispute.lead_id], now=timezone.now()).get(
        dispute.lead_id
    )
    evidence.owner_now = period.owner if period else None
    evidence.won_deals = list(
        Deal.objects.filter(lead_id=dispute.lead_id, status=Deal.Status.WON).order_by("pk")
    )
    return evidence


# --- what a claimant brings -----------------------------------------------------------------
def list_claimant_records(*, user: User, lead: Lead) -> list[Lead]:
    """The user's own records of this customer: leads they own now or created that the
    duplicate check matches with it."""
    matches = find_duplicates_of_lead(lead)
    if not matches:
        return []
    ids = [match.lead.pk for match in matches]
    owned = {
        lead_id
        for lead_id, period in map_live_ownerships(lead_ids=ids, now=timezone.now()).items()
        if period.owner_id == user.pk
    }
    created = set(
        Lead.objects.filter(pk__in=ids, created_by=user, merged_into__isnull=True).values_list(
            "pk", flat=True
        )
    )
    mine = owned | created
    records = {r.pk: r for r in Lead.objects.filter(pk__in=mine, merged_into__isnull=True)}
    return [records[lead_id] for lead_id in ids if lead_id in records]


def may_file_dispute(*, user: User, lead: Lead) -> bool:
    return (
        access.may_own(user)
        and lead.merged_into_id is None
        and (
            has_dispute_link(user=user, lead_id=lead.pk)
            or bool(list_claimant_records(user=user, lead=lead))
        )
    )
