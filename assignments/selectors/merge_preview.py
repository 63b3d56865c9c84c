"""What merging two records of one customer would do, read from the database before anyone
confirms it: which record survives, what moves to it, what stays with the merged record, and
who owns the result. It describes `services.merge.merge_locked` as it is written, and asks
the same access rules, so the page and the API cannot promise what the merge would not do:

- contacts and follow-ups move to the survivor;
- deals, status changes and inquiries stay with the merged record (its page redirects to the
  survivor, whose page does not list them);
- history records stay where they were written (history is append-only); the survivor's
  timeline shows the merged record's records beside its own, and the merge adds one record
  to the survivor's history, plus one to the merged record's when it loses a live claim;
- the survivor's live owner keeps it; when it has none, the merged record's live owner
  follows the customer with the protection they had; with neither, it stays in the pool;
- pending transfer requests for the merged record close (their requesters are told), and
  records merged earlier into it now point at the survivor."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from crm.errors import DomainError, NotFound
from leads.models import Contact, Deal, FollowUp, Lead

from .. import access
from ..exceptions import CannotMerge, MergeWonLead
from ..models import OwnershipEvent, TransferRequest
from .leads import map_live_ownerships


@dataclass(frozen=True)
class MergeSide:
    lead: Lead
    owner: User | None
    protected_until: datetime | None
    contacts: int
    followups: int
    deals: int
    won_deals: int
    status_changes: int
    inquiries: int
    # The records its timeline shows: its own and those of the records merged into it.
    history: int


class Outcome:
    SURVIVOR_OWNER_KEEPS = "survivor_owner_keeps"
    MERGED_OWNER_FOLLOWS = "merged_owner_follows"
    POOL = "pool"


@dataclass(frozen=True)
class MergePreview:
    survivor: MergeSide
    merged: MergeSide
    outcome: str
    owner_after: User | None
    # The protection of the result's claim (None for a won customer's or the pool's).
    protected_until_after: datetime | None
    # The merged record's live owner when the merge takes their claim (and tells them).
    loses_claim: User | None
    history_added: int
    closes_requests: int
    repointed: int
    # The refusal the merge would answer with, when it would (e.g. `merge_won_lead`).
    refusal: DomainError | None

    @property
    def survivor_history_after(self) -> int:
        return self.survivor.history + self.merged.history + self.history_added


def _counts(model, ids: list[int], **filters) -> dict[int, int]:
    rows = model.objects.filter(lead_id__in=ids, **filters).values("lead_id")
    return dict(rows.annotate(n=Count("id")).values_list("lead_id", "n"))


def _history(lead_id: int) -> int:
    return OwnershipEvent.objects.filter(
        Q(lead_id=lead_id) | Q(lead__merged_into_id=lead_id)
    ).count()


def _protection(lead: Lead, period) -> datetime | None:
    # A won customer is kept whatever its protection says.
    if period is None or lead.status == Lead.Status.WON:
        return None
    return period.protected_until


def get_merge_preview(*, user: User, survivor_id: int, merged_id: int) -> MergePreview:
    """The facts of merging `merged_id` into `survivor_id`, for whoever may merge them: a
    manager or admin who sees both (PermissionDenied, CannotMerge and NotFound as the merge
    itself answers)."""
    access.ensure_may_merge(user)
    if survivor_id == merged_id:
        raise CannotMerge()
    leads = Lead.objects.filter(
        pk__in=[survivor_id, merged_id], merged_into__isnull=True
    ).select_related("pool_team")
    leads = {lead.pk: lead for lead in leads}
    if len(leads) != 2:
        raise NotFound()
    ids = list(leads)
    periods = map_live_ownerships(lead_ids=ids, now=timezone.now())
    for lead_id in (survivor_id, merged_id):
        access.ensure_can_see(user, leads[lead_id], periods.get(lead_id))

    contacts = _counts(Contact, ids)
    followups = _counts(FollowUp, ids)
    deals = _counts(Deal, ids)
    won = _counts(Deal, ids, status=Deal.Status.WON)
    changes = dict(
        Lead.objects.filter(pk__in=ids).annotate(n=Count("status_changes")).values_list("pk", "n")
    )
    inquiries = dict(
        Lead.objects.filter(pk__in=ids).annotate(n=Count("inquiries")).values_list("pk", "n")
    )

    def side(lead_id: int) -> MergeSide:
        lead, period = leads[lead_id], periods.get(lead_id)
        return MergeSide(
            lead=lead,
            owner=period.owner if period else None,
            protected_until=_protection(lead, period),
            contacts=contacts.get(lead_id, 0),
            followups=followups.get(lead_id, 0),
            deals=deals.get(lead_id, 0),
            won_deals=won.get(lead_id, 0),
            status_changes=changes.get(lead_id, 0),
            inquiries=inquiries.get(lead_id, 0),
            history=_history(lead_id),
        )

    survivor, merged = side(survivor_id), side(merged_id)
    kept, lost = periods.get(survivor_id), periods.get(merged_id)
    if kept is not None:
        outcome, owner_after = Outcome.SURVIVOR_OWNER_KEEPS, kept.owner
        protected = _protection(survivor.lead, kept)
    elif lost is not None:
        # The owner follows the customer with the protection they had.
        outcome, owner_after = Outcome.MERGED_OWNER_FOLLOWS, lost.owner
        protected = lost.protected_until if survivor.lead.status != Lead.Status.WON else None
    else:
        outcome, owner_after, protected = Outcome.POOL, None, None
    loses = lost.owner if lost is not None and kept is not None else None
    refusal = None
    if merged.lead.status == Lead.Status.WON and survivor.lead.status != Lead.Status.WON:
        refusal = MergeWonLead()
    return MergePreview(
        survivor=survivor,
        merged=merged,
        outcome=outcome,
        owner_after=owner_after,
        protected_until_after=protected,
        loses_claim=loses if loses is not None and loses.pk != owner_after.pk else None,
        history_added=1 + (1 if lost is not None else 0),
        closes_requests=TransferRequest.objects.filter(
            lead_id=merged_id, status=TransferRequest.Status.PENDING
        ).count(),
        repointed=Lead.objects.filter(merged_into_id=merged_id).count(),
        refusal=refusal,
    )
