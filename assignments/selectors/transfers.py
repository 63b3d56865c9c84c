"""Transfer requests, as each user may see them: the manager's inbox (待审批) and the rep's
own requests (我的申请)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User

from .. import access
from ..models import TransferRequest
from .claims import count_claim_slots
from .policies import get_effective_policy


def list_transfer_requests_visible_to(
    *, user: User, status: str | None = None
) -> QuerySet[TransferRequest]:
    """A rep's own requests; a manager's also those for their teams' customers and those
    their reps made; admins all. Newest first."""
    requests = TransferRequest.objects.select_related(
        "lead", "requester", "owner", "decided_by"
    ).filter(access.transfer_requests_q(user))
    if status:
        requests = requests.filter(status=status)
    return requests


def list_requests_to_decide(*, user: User, status: str) -> QuerySet[TransferRequest]:
    """The inbox: requests for customers of the teams a manager runs (all for an admin)."""
    requests = TransferRequest.objects.select_related(
        "lead", "requester", "requester__team", "owner", "decided_by"
    ).filter(status=status)
    if user.is_admin:
        return requests
    return requests.filter(owner__team_id__in=access.managed_team_ids(user))


def count_requests_to_decide(*, user: User) -> int:
    """The count in the navigation: pending requests the user may decide."""
    if not access.can_see_transfer_inbox(user):
        return 0
    return list_requests_to_decide(user=user, status=TransferRequest.Status.PENDING).count()


def list_my_requests(*, user: User) -> QuerySet[TransferRequest]:
    return TransferRequest.objects.select_related("lead", "owner", "decided_by").filter(
        requester=user
    )


@dataclass(frozen=True)
class RequesterLoad:
    """What approving would do to the requester's claim limit."""

    held: int
    limit: int

    @property
    def at_limit(self) -> bool:
        return self.held >= self.limit


def requester_loads(requests) -> dict[int, RequesterLoad]:
    """Claim slots held and the limit, per requester on a page of requests (read now: the
    approval reads them again under the requester's lock)."""
    now = timezone.now()
    loads = {}
    for request in requests:
        rep = request.requester
        if rep.pk not in loads:
            loads[rep.pk] = RequesterLoad(
                held=count_claim_slots(owner_id=rep.pk, now=now),
                limit=get_effective_policy(team_id=rep.team_id).claim_limit,
            )
    return loads
