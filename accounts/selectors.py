from datetime import datetime

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from rest_framework.authtoken.models import Token

from crm.errors import NotFound, PermissionDenied
from crm.sql import RowReader, Statement

from .access import can_administer, can_read_user, can_read_users
from .keys import hash_api_key
from .models import ApiKey, AuditEvent, AwayPeriod, Notification, Team, User

_token_row = RowReader(Token, ["key", "user_id", "created"], alias="t")
# Every user column but the password hash: an API request may read any of them.
_token_user = RowReader(
    User, [f.attname for f in User._meta.concrete_fields if f.attname != "password"], alias="u"
)
# Only column names are interpolated, never a value.
_TOKEN_SQL = Statement(
    "token",
    f"""
SELECT {_token_row.columns}, {_token_user.columns}
  FROM authtoken_token t JOIN accounts_user u ON u.id = t.user_id
 WHERE t.key = %s
""",  # noqa: S608
)
_TOKEN_LENGTH = Token._meta.get_field("key").max_length


def get_token(*, key: str) -> Token | None:
    """The API token with this key and its user, in one statement: every API call starts
    here, and the ORM's select_related query cost more CPU than the rest of a claim's SQL."""
    if not key or len(key) > _TOKEN_LENGTH or "\x00" in key:
        return None
    with connection.cursor() as cursor:
        _TOKEN_SQL.execute(cursor, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    token = _token_row.instance(row)
    token.user = _token_user.instance(row, _token_row.width)
    return token


def list_users(*, actor: User) -> QuerySet[User]:
    return User.objects.select_related("team").order_by("username")


def list_teams(*, actor: User) -> QuerySet[Team]:
    return Team.objects.select_related("manager").order_by("name")


def get_user_for(*, actor: User, user_id: int) -> User:
    """One user as an admin, or their manager, may read them. A rep is refused outright; a
    manager asking for someone outside their teams too."""
    if not can_read_users(actor):
        raise PermissionDenied()
    user = User.objects.select_related("team").filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    if not can_read_user(actor, user):
        raise PermissionDenied()
    return user


def list_away_periods(*, user_id: int, now: datetime | None = None) -> QuerySet[AwayPeriod]:
    """The user's current and future away periods, soonest first."""
    now = now or timezone.now()
    return AwayPeriod.objects.filter(user_id=user_id, ends_at__gt=now).order_by("starts_at", "id")


def get_team_for(*, actor: User, team_id: int) -> Team:
    if not can_administer(actor):
        raise PermissionDenied()
    team = Team.objects.select_related("manager").filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def list_api_keys(*, actor: User) -> QuerySet[ApiKey]:
    """Live keys first, then revoked ones; newest first within each."""
    if not can_administer(actor):
        raise PermissionDenied()
    return ApiKey.objects.select_related("created_by", "revoked_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
    )


# Keys are 43 characters (accounts.keys); anything much longer is not one of ours.
_API_KEY_MAX_LENGTH = 200


def get_api_key(*, key: str) -> ApiKey | None:
    """The API key (live or revoked) another system sent, found by its hash: the key itself
    is stored nowhere."""
    if not key or len(key) > _API_KEY_MAX_LENGTH:
        return None
    return ApiKey.objects.filter(key_hash=hash_api_key(key)).order_by().first()


def list_notifications(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user=user).select_related("lead").order_by("-created_at", "-id")
    )


def count_unread(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def list_audit_events(
    *, actor: User, kind: str | None = None, user_id: int | None = None
) -> QuerySet[AuditEvent]:
    """The audit record, newest first, for admins. `user_id` keeps the events that user did
    (or, for sign-ins, tried under their username) and those about them."""
    if not can_administer(actor):
        raise PermissionDenied()
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if kind:
        events = events.filter(kind=kind)
    if user_id is not None:
        user = User.objects.filter(pk=user_id).only("username").first()
        about = Q(actor_id=user_id) | Q(object_type="user", object_id=str(user_id))
        if user is not None:
            about |= Q(actor__isnull=True, username=user.username)
        events = events.filter(about)
    return events
