from django.db import connection
from django.db.models import QuerySet

from crm.errors import NotFound

from .models import Notification, User


def lock_user(user_id: int) -> User:
    """Lock a rep's row. Taken before any lead row (one lock order everywhere): it serialises
    everything that counts against that rep's claim limit, so two tabs cannot both pass it."""
    try:
        # no_key: inserts that reference the user (history, follow-ups) are not blocked.
        return _lockable().get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def _lockable() -> QuerySet[User]:
    # Only what ownership rules read: a narrow row is cheaper to fetch and to build.
    return User.objects.select_for_update(no_key=True, of=("self",)).only(
        "id", "role", "is_active", "team_id", "display_name", "username"
    )


def lock_pending_notifications(batch_size: int) -> list[Notification]:
    """A batch of the outbox for one sender. SKIP LOCKED: two senders at once take disjoint
    batches instead of waiting or sending twice (SQLite serialises them anyway)."""
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).order_by(
        "id"
    )
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    return list(pending.select_related("user", "lead")[:batch_size])
