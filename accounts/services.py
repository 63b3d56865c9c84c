from collections.abc import Iterable

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from crm.errors import PermissionDenied

from .exceptions import InvalidCredentials
from .models import Notification, Team, User


def _ensure_admin(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()


def issue_token(*, username: str, password: str) -> Token:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise InvalidCredentials()
    token, _created = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str = User.Role.REP,
    display_name: str = "",
    team: Team | None = None,
    language: str = "",
    email: str = "",
) -> User:
    _ensure_admin(actor)
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        team=team,
        language=language,
        email=email,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def create_team(*, actor: User | None, name: str, manager: User | None = None) -> Team:
    _ensure_admin(actor)
    team = Team.objects.create(name=name, manager=manager)
    if manager is not None and manager.team_id is None:
        manager.team = team
        manager.save(update_fields=["team"])
    return team


def set_user_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def mark_notifications_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all, with None) of the user's own notifications as read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def set_email_muted_kinds(*, user: User, kinds: Iterable[str]) -> None:
    valid = set(Notification.Kind.values)
    user.email_muted_kinds = sorted(set(kinds) & valid)
    user.save(update_fields=["email_muted_kinds"])
