"""The collision log (撞单记录), as each user may read it."""

from django.db.models import QuerySet

from accounts.models import User

from .. import access
from ..models import Collision


def list_collisions_visible_to(*, user: User) -> QuerySet[Collision]:
    """Newest first: a rep's own; a manager's also their teams' (by who collided, or with
    whose customer); all for an admin."""
    return Collision.objects.select_related("lead", "user", "owner").filter(
        access.collisions_q(user)
    )


def list_lead_collisions(*, lead_id: int, limit: int = 20) -> list[Collision]:
    """The latest collisions with one customer, for its page (the caller checked access)."""
    return list(
        Collision.objects.select_related("user", "owner")
        .filter(lead_id=lead_id)
        .order_by("-at", "-id")[:limit]
    )
