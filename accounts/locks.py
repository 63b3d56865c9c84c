from collections.abc import Collection
from datetime import datetime

from django.db import connection
from django.db.models import Q

from crm.errors import NotFound
from crm.sql import RowReader, Statement, as_row_id, fetch_instance

from .models import Notification, User

# Only what ownership rules read: a narrow row is cheaper to fetch and to build.
_locked_user = RowReader(User, ["id", "role", "is_active", "team_id", "display_name", "username"])
# NO KEY UPDATE: inserts that reference the user (history, follow-ups) go on.
_LOCK_USER = Statement(
    "lock_user",
    f"SELECT {_locked_user.columns} FROM accounts_user WHERE id = %s",  # noqa: S608
    lock=True,
)


def lock_user(user_id: int) -> User:
    """Lock a rep's row. Taken before any lead row (one lock order everywhere): it serialises
    everything that counts against that rep's claim limit, so two tabs cannot both pass it.
    Every claim runs this: hand-written SQL (crm/sql.py)."""
    user_id = as_row_id(user_id)
    user = None if user_id is None else fetch_instance(_LOCK_USER, _locked_user, [user_id])
    if user is None:
        raise NotFound()
    return user


def lock_users(user_ids: Collection[int]) -> dict[int, User]:
    """`lock_user` for several reps at once (the reps a bulk move hands customers to), in id
    order, so two such lockers cannot deadlock each other; absent ids are left out. Taken
    before any lead row."""
    users = (
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=list(user_ids))
        .only(*_locked_user.attnames)
        .order_by("pk")
    )
    return {user.pk: user for user in users}


def lock_pending_notifications(*, batch_size: int, now: datetime) -> list[Notification]:
    """A batch of the outbox that is due for one sender. SKIP LOCKED: two senders at once
    take disjoint batches instead of waiting or sending twice (SQLite serialises them)."""
    pending = (
        Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
        .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
        .order_by("id")
    )
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    return list(pending.select_related("user", "lead")[:batch_size])
