"""Whether a user has had to do with a customer (a link to it): what decides who may be told
who owns it, ask for it or dispute it. Each question is one statement of EXISTS checks."""

from django.db.models import Exists, QuerySet

from accounts.models import Notification, User
from leads.models import FollowUp, Lead

from ..models import Collision, Ownership, TransferRequest


def _any_exists(lead_id: int, checks: list[QuerySet]) -> bool:
    exists = {f"link{i}": Exists(query) for i, query in enumerate(checks)}
    values = Lead.objects.filter(pk=lead_id).annotate(**exists).values_list(*exists).first()
    return bool(values) and any(values)


def has_dispute_link(*, user: User, lead_id: int) -> bool:
    """An earlier ownership period of the customer, a follow-up of theirs on it, or a logged
    refusal of theirs on it (the collision log): what filing a dispute needs."""
    return _any_exists(
        lead_id,
        [
            Ownership.objects.filter(lead_id=lead_id, owner=user),
            FollowUp.objects.filter(lead_id=lead_id, author=user),
            Collision.objects.filter(lead_id=lead_id, user=user),
        ],
    )


def has_link_to(*, user: User, lead_id: int) -> bool:
    """The user has had to do with this customer: they owned it, followed it up, collided
    with it, asked for it, or were notified about it."""
    return _any_exists(
        lead_id,
        [
            Ownership.objects.filter(lead_id=lead_id, owner=user),
            FollowUp.objects.filter(lead_id=lead_id, author=user),
            Collision.objects.filter(lead_id=lead_id, user=user),
            TransferRequest.objects.filter(lead_id=lead_id, requester=user),
            Notification.objects.filter(lead_id=lead_id, user=user),
        ],
    )
