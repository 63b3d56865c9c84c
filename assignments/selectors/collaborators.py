"""Who helps on a customer (协作人), and the credit split agreed for its claim."""

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import User

from .. import access
from ..models import Collaborator, CreditAgreement, Ownership


def attach_collaborator(periods: Iterable[Ownership | None], user: User) -> None:
    """Set `collaborator_ids` on each period to {user.pk} when `user` helps on it, else to
    the empty set. One query, and none when the user owns or manages all of them."""
    candidates = {p.pk: p for p in periods if p is not None and not access.acts_for(user, p.owner)}
    for period in periods:
        if period is not None:
            period.collaborator_ids = frozenset()
    if not candidates:
        return
    helping = Collaborator.objects.filter(
        period_id__in=list(candidates), user=user, removed_at__isnull=True
    ).values_list("period_id", flat=True)
    for period_id in helping:
        candidates[period_id].collaborator_ids = frozenset({user.pk})


def list_collaborators(*, period: Ownership | None) -> QuerySet[Collaborator]:
    """The colleagues helping on this claim now."""
    if period is None:
        return Collaborator.objects.none()
    return (
        Collaborator.objects.filter(period=period, removed_at__isnull=True)
        .select_related("user", "invited_by")
        .order_by("added_at", "id")
    )


def get_agreements(*, period: Ownership | None) -> dict[str, CreditAgreement | None]:
    """The credit split in force for this claim, and the one waiting for a decision."""
    found: dict[str, CreditAgreement | None] = {"approved": None, "proposed": None}
    if period is None:
        return found
    agreements = (
        CreditAgreement.objects.filter(
            period=period,
            status__in=[CreditAgreement.Status.APPROVED, CreditAgreement.Status.PROPOSED],
        )
        .select_related("proposed_by", "decided_by")
        .prefetch_related("shares__rep")
    )
    for agreement in agreements:
        found[agreement.status] = agreement
    return found


def list_share_people(*, period: Ownership | None) -> list[User]:
    """Who a credit split names: the owner, then the colleagues helping on the claim."""
    if period is None:
        return []
    return [period.owner, *(c.user for c in list_collaborators(period=period))]


def list_invite_candidates() -> QuerySet[User]:
    """Colleagues who may be invited to help: active reps and managers."""
    return User.objects.filter(
        is_active=True, role__in=[User.Role.REP, User.Role.MANAGER]
    ).order_by("team__name", "display_name")
