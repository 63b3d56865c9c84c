from django.db.models import QuerySet

from crm.errors import NotFound

from .models import User


def lock_user(user_id: int) -> User:
    """Lock a rep's row. Taken before any lead row (one lock order everywhere): it serialises
    everything that counts against that rep's claim limit, so two tabs cannot both pass it."""
    try:
        # no_key: inserts that reference the user (history, follow-ups) are not blocked.
        return _lockable().get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def _lockable() -> QuerySet[User]:
    return User.objects.select_for_update(no_key=True, of=("self",))
