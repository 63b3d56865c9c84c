from django.db import connection
from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from crm.sql import RowReader, Statement

from .models import Notification, Team, User

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


def list_notifications(*, user: User) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(user=user).select_related("lead").order_by("-created_at", "-id")
    )


def count_unread(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
