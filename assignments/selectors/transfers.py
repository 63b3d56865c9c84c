from django.db.models import Q, QuerySet

from accounts.models import User

from .. import access
from ..models import TransferRequest


def list_transfer_requests_visible_to(*, user: User) -> QuerySet[TransferRequest]:
    """A rep's own requests; a manager's also those for their teams' customers; admins all."""
    requests = TransferRequest.objects.select_related("lead", "requester", "owner")
    if user.is_admin:
        return requests
    condition = Q(requester=user)
    teams = access.managed_team_ids(user)
    if teams:
        condition |= Q(owner__team_id__in=teams)
    return requests.filter(condition)
