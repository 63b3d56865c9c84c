"""Merging two records of one customer: one survives, the other lives on only as history."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from leads.dedupe.index import index_lead, unindex_lead
from leads.locks import lock_lead
from leads.models import Contact, FollowUp, Lead

from .. import access
from ..exceptions import CannotMerge, MergeWonLead, OwnershipConflict
from ..models import Ownership, OwnershipEvent
from .pending_requests import close_pending_requests
from .periods import current_period, end_period, record_ownership_event


def merge_leads(*, survivor_id: int, merged_id: int, actor: User, reason: str = "") -> Lead:
    """A manager (for leads of their teams and pools) or an admin merges `merged_id` into
    `survivor_id`. Contacts and follow-ups move to the survivor; both histories stay where
    they were written (history is append-only) and the survivor's timeline shows both.

    Ownership: the survivor's live owner keeps it; when the survivor has none, the other
    lead's live owner follows it to the survivor with the protection they had. Either way
    the survivor gets one `merge` record, and a lost claim one on the merged lead."""
    try:
        return _merge_leads(
            survivor_id=survivor_id, merged_id=merged_id, actor=actor, reason=reason
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc


@transaction.atomic(durable=True)
def _merge_leads(*, survivor_id: int, merged_id: int, actor: User, reason: str) -> Lead:
    access.ensure_may_merge(actor)
    if survivor_id == merged_id:
        raise CannotMerge()
    # Both lead rows, always in id order, so two merges of the same pair cannot deadlock.
    locked = {lead_id: lock_lead(lead_id) for lead_id in sorted((survivor_id, merged_id))}
    return merge_locked(
        survivor=locked[survivor_id], merged=locked[merged_id], actor=actor, reason=reason
    )


def merge_locked(
    *, survivor: Lead, merged: Lead, actor: User, reason: str, ruling: int | None = None
) -> Lead:
    """The merge itself, inside the caller's transaction, with both lead rows locked by it
    (in id order). A dispute's ruling (`ruling`: the dispute's id, named in the history)
    has its own authority; anyone else must see both leads."""
    now = timezone.now()
    kept = current_period(lead=survivor, now=now)
    lost = current_period(lead=merged, now=now)
    if ruling is None:
        for lead, period in ((survivor, kept), (merged, lost)):
            access.ensure_can_see(actor, lead, period)
    if merged.status == Lead.Status.WON and survivor.status != Lead.Status.WON:
        raise MergeWonLead()

    moved_contacts = Contact.objects.filter(lead=merged).update(lead=survivor)
    moved_followups = FollowUp.objects.filter(lead=merged).update(lead=survivor)
    # Requests asked for the merged record: the managers' merge decides who keeps it.
    close_pending_requests(lead_ids=[merged.pk], now=now, back_to_pool=False)
    # Earlier merges into the merged lead now point at the survivor: one level of history.
    Lead.objects.filter(merged_into=merged).update(merged_into=survivor)
    Lead.objects.filter(pk=merged.pk).update(merged_into=survivor)

    details = {
        "survivor": survivor.pk,
        "merged": merged.pk,
        "merged_company_name": merged.company_name,
        "moved_contacts": moved_contacts,
        "moved_followups": moved_followups,
    }
    if ruling is not None:
        details["dispute"] = ruling
    new_owner_id = kept.owner_id if kept else None
    if lost is not None:
        end_period(period=lost, kind=Ownership.EndKind.MERGE, at=now)
        record_ownership_event(
            lead=merged,
            kind=OwnershipEvent.Kind.MERGE,
            actor=actor,
            from_owner_id=lost.owner_id,
            reason=reason,
            details=details,
            at=now,
        )
        if kept is None:
            # The owner follows the customer; the claim count stays the same (one closed,
            # one opened), and so does the protection.
            Ownership.objects.create(
                lead=survivor,
                owner_id=lost.owner_id,
                started_at=now,
                protected_until=lost.protected_until,
            )
            new_owner_id = lost.owner_id
        elif lost.owner_id != kept.owner_id:
            notify(
                [
                    NewNotification(
                        user_id=lost.owner_id,
                        kind=Notification.Kind.REASSIGNED,
                        lead_id=survivor.pk,
                        payload={
                            "company": merged.company_name,
                            "from": lost.owner.display_name,
                            "to": kept.owner.display_name,
                        },
                        dedupe_key=f"merged:{merged.pk}",
                    )
                ]
            )
    record_ownership_event(
        lead=survivor,
        kind=OwnershipEvent.Kind.MERGE,
        actor=actor,
        from_owner_id=kept.owner_id if kept else None,
        to_owner_id=new_owner_id,
        reason=reason,
        details=details,
        at=now,
    )
    # Every key of the survivor was a key of one of the two leads already, so the merge
    # creates no collision that did not exist; the index now finds the customer once.
    unindex_lead(merged)
    index_lead(survivor)
    survivor.refresh_from_db()
    return survivor
