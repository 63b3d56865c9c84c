from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from crm.errors import NotFound
from crm.validation import ensure_clean_names

from . import audit, lockout
from .access import ensure_admin
from .exceptions import (
    ApiKeySourceTaken,
    CannotChangeSelf,
    InvalidApiKey,
    InvalidAwayPeriod,
    InvalidCapacity,
    InvalidCredentials,
    InvalidUserChange,
    LoginLockedOut,
    NotAManager,
    StillManagesTeams,
    TeamNameTaken,
    TokenRequired,
)
from .keys import PREFIX_LENGTH, hash_api_key, new_api_key
from .locks import lock_user
from .models import ApiKey, AwayPeriod, Notification, Team, User

MAX_CAPACITY = 10_000
# Away periods are plans: they may have begun up to a year ago and end within five years.
AWAY_MAX_BACK = timedelta(days=366)
AWAY_MAX_AHEAD = timedelta(days=5 * 366)
MAX_AWAY_PERIODS = 50
USER_CHANGES = frozenset({"role", "team", "capacity", "is_active", "display_name", "email", "away"})
_UNSET: Any = object()


def issue_token(*, username: str, password: str, request: Any = None) -> Token:
    """The user's API token, for a username and password. `request` (the API request) is
    what the sign-in lockout keys on (its address): a locked-out pair is refused with
    `LoginLockedOut` even when the password is right. An expired token is replaced by a new
    one; a live one is returned as it is (several clients of one user share it). Without a
    request (a script, a test's setup) there is no address and no lockout."""
    user = authenticate(request, username=username, password=password)
    if user is None and getattr(request, "axes_locked_out", False):
        until = lockout.locked_until(request, {"username": username})
        raise LoginLockedOut(
            lockout.locked_out_message(until),
            retry_after=lockout.retry_after_seconds(until),
            locked_until=until.isoformat(),
        )
    if user is None or not user.is_active:
        raise InvalidCredentials()
    with transaction.atomic():
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        audit.record_event(kind=audit.Kind.SIGN_IN, actor=user, request=request)
    return token


@transaction.atomic(durable=True)
def change_password(*, user: User, old_password: str, new_password: str) -> None:
    """The user's own password: the old one must be right, the new one pass the validators.
    Saving it ends every API token of the user (accounts.models.User.save) and every other
    session (Django checks the session's password hash)."""
    if not user.check_password(old_password):
        raise InvalidCredentials(_("Your current password is not right."))
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise InvalidUserChange(" ".join(exc.messages)) from exc
    user.set_password(new_password)
    user.save()
    audit.record_event(kind=audit.Kind.USER_CHANGED, actor=user, obj=user, action="password")


def token_expired(token: Token, *, now: datetime | None = None) -> bool:
    return token.created <= (now or timezone.now()) - settings.API_TOKEN_TTL


@transaction.atomic(durable=True)
def revoke_token(*, actor: User, token: Any, request: Any = None) -> None:
    """The token the caller presented stops working at once (its row is deleted)."""
    if not isinstance(token, Token):
        raise TokenRequired()
    Token.objects.filter(pk=token.pk).delete()
    audit.record_event(
        kind=audit.Kind.TOKEN_REVOKED,
        actor=actor,
        request=request,
        details={"token_created": token.created.isoformat()},
    )


USER_NAMES = ("username", "display_name", "email")


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
    capacity: int | None = None,
) -> User:
    ensure_admin(actor)
    ensure_clean_names({"username": username, "display_name": display_name}, USER_NAMES)
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        team=team,
        language=language,
        email=email,
        capacity=_clean_capacity(capacity),
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record_event(
        kind=audit.Kind.USER_CHANGED,
        actor=actor,
        obj=user,
        action="create",
        after=audit.user_summary(user),
    )
    return user


@transaction.atomic
def create_team(*, actor: User | None, name: str, manager: User | None = None) -> Team:
    ensure_admin(actor)
    team = Team(name=_clean_team_name(name, team_id=None), manager=_check_manager(manager))
    _save_team(team)
    _adopt(manager, team)
    audit.record_event(
        kind=audit.Kind.TEAM_CHANGED,
        actor=actor,
        obj=team,
        action="create",
        after=_team_summary(team),
    )
    return team


@transaction.atomic(durable=True)
def update_team(
    *, actor: User | None, team_id: int, name: str = _UNSET, manager: User | None = _UNSET
) -> Team:
    """Rename a team or give it another manager (None: no manager)."""
    ensure_admin(actor)
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    before = _team_summary(team)
    if name is not _UNSET:
        team.name = _clean_team_name(name, team_id=team.pk)
    if manager is not _UNSET:
        team.manager = _check_manager(manager)
    _save_team(team)
    if manager is not _UNSET:
        _adopt(manager, team)
    old, new = audit.diff(before, _team_summary(team))
    if new:
        audit.record_event(
            kind=audit.Kind.TEAM_CHANGED,
            actor=actor,
            obj=team,
            action="update",
            before=old,
            after=new,
        )
    return team


def _team_summary(team: Team) -> dict:
    return {"name": team.name, "manager": team.manager_id}


def _clean_team_name(name: str, *, team_id: int | None) -> str:
    name = (name or "").strip() if isinstance(name, str) or name is None else ""
    ensure_clean_names({"name": name}, ("name",))
    if not name or len(name) > Team._meta.get_field("name").max_length:
        raise InvalidUserChange(_("A team needs a name of at most 100 characters."))
    if Team.objects.filter(name__iexact=name).exclude(pk=team_id).exists():
        raise TeamNameTaken()
    return name


def _check_manager(manager: User | None) -> User | None:
    # Admins may run a team too (as the API has always allowed); reps may not.
    if manager is not None and (
        not manager.is_active or manager.role not in (User.Role.MANAGER, User.Role.ADMIN)
    ):
        raise NotAManager()
    return manager


def _save_team(team: Team) -> None:
    # The unique name may still collide with a team created at the same moment.
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as exc:
        raise TeamNameTaken() from exc


def _adopt(manager: User | None, team: Team) -> None:
    """A manager without a team of their own becomes a member of the team they run."""
    if manager is not None and manager.team_id is None:
        manager.team = team
        manager.save(update_fields=["team"])


# --- users ----------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def update_user(*, actor: User | None, user_id: int, **changes: Any) -> User:
    """Change a user's role, team, capacity (None: the team's claim limit), active flag,
    display name, e-mail or away periods (`away`: a list as `replace_away_periods` takes, in
    the same transaction); only the keys given change. Deactivating stops their session and
    API token at their next request (both refuse inactive users); their customers stay theirs
    until someone hands them over."""
    ensure_admin(actor)
    unknown = set(changes) - USER_CHANGES
    if unknown:
        raise TypeError(f"update_user() got unexpected changes: {sorted(unknown)}")
    # The rep's row lock that routing and claims take: a rep is deactivated, moved or given
    # another capacity between two routings, never in the middle of one.
    lock_user(user_id)
    user = User.objects.select_related("team").get(pk=user_id)
    before = audit.user_summary(user)
    if actor is not None and actor.pk == user.pk:
        if changes.get("is_active") is False or changes.get("role", user.role) != user.role:
            raise CannotChangeSelf()
    if "role" in changes:
        _change_role(user, changes["role"])
    if "team" in changes:
        user.team = changes["team"]
    if "capacity" in changes:
        user.capacity = _clean_capacity(changes["capacity"])
    if "is_active" in changes:
        if not isinstance(changes["is_active"], bool):
            raise InvalidUserChange()
        user.is_active = changes["is_active"]
    if "display_name" in changes:
        user.display_name = _clean_text(changes["display_name"], "display_name")
    if "email" in changes:
        user.email = _clean_email(changes["email"])
    user.save()
    old, new = audit.diff(before, audit.user_summary(user))
    if "away" in changes:
        periods = _replace_away(actor, user, changes["away"], now=timezone.now())
        new["away"] = [[p.starts_at.isoformat(), p.ends_at.isoformat()] for p in periods]
    if new:
        audit.record_event(
            kind=audit.Kind.USER_CHANGED,
            actor=actor,
            obj=user,
            action="update",
            before=old,
            after=new,
        )
    return user


def _change_role(user: User, role: str) -> None:
    if role not in User.Role.values:
        raise InvalidUserChange(_("Unknown role."))
    if role == User.Role.REP and user.role != User.Role.REP:
        managed = list(user.managed_teams.values_list("name", flat=True))
        if managed:
            raise StillManagesTeams(
                _("%(name)s manages %(teams)s: give the teams another manager first.")
                % {"name": user.display_name, "teams": ", ".join(managed)},
                teams=managed,
            )
    user.role = role


def _clean_capacity(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CAPACITY:
        raise InvalidCapacity()
    return value


def _clean_text(value: Any, field: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None or len(value) > User._meta.get_field(field).max_length:
        raise InvalidUserChange()
    ensure_clean_names({field: value}, USER_NAMES)
    return value


def _clean_email(value: Any) -> str:
    value = _clean_text(value, "email")
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise InvalidUserChange(_("Enter a valid e-mail address.")) from exc
    return value


# --- away periods ---------------------------------------------------------------------------
@transaction.atomic(durable=True)
def add_away_period(
    *,
    actor: User | None,
    user_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
) -> AwayPeriod:
    """A time the user is away: routing gives them no new customers from `starts_at` until
    `ends_at`."""
    ensure_admin(actor)
    user = lock_user(user_id)
    return _add_away(actor, user, starts_at, ends_at, reason, now=timezone.now())


@transaction.atomic(durable=True)
def replace_away_periods(
    *, actor: User | None, user_id: int, periods: list[dict]
) -> list[AwayPeriod]:
    """The user's current and future away periods become `periods` (each {starts_at,
    ends_at, reason}); past ones stay as the record. All or nothing."""
    ensure_admin(actor)
    # The user's row lock: two replacements at once do not both keep their new periods.
    user = lock_user(user_id)
    return _replace_away(actor, user, periods, now=timezone.now())


@transaction.atomic(durable=True)
def end_away_period(*, actor: User | None, period_id: int) -> AwayPeriod | None:
    """The user is back now: a current period ends now, a future one is dropped (None), a
    past one stays as it was."""
    ensure_admin(actor)
    period = AwayPeriod.objects.filter(pk=period_id).first()
    if period is None:
        raise NotFound()
    now = timezone.now()
    if period.starts_at >= now:
        period.delete()
        return None
    if period.ends_at > now:
        period.ends_at = now
        period.save(update_fields=["ends_at"])
    return period


@transaction.atomic(durable=True)
def delete_away_period(*, actor: User | None, period_id: int) -> None:
    """An away period entered by mistake."""
    ensure_admin(actor)
    deleted, _rows = AwayPeriod.objects.filter(pk=period_id).delete()
    if not deleted:
        raise NotFound()


def _replace_away(
    actor: User | None, user: User, periods: list[dict], *, now: datetime
) -> list[AwayPeriod]:
    if len(periods) > MAX_AWAY_PERIODS:
        raise InvalidAwayPeriod(_("At most %(n)d away periods.") % {"n": MAX_AWAY_PERIODS})
    AwayPeriod.objects.filter(user_id=user.pk, ends_at__gt=now).delete()
    return [
        _add_away(actor, user, p["starts_at"], p["ends_at"], p.get("reason") or "", now=now)
        for p in periods
    ]


def _add_away(
    actor: User | None,
    user: User,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    *,
    now: datetime,
) -> AwayPeriod:
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if ends_at <= starts_at:
        raise InvalidAwayPeriod(_("An away period must end after it starts."))
    if ends_at <= now:
        raise InvalidAwayPeriod(_("That away period is already over."))
    if starts_at < now - AWAY_MAX_BACK or ends_at > now + AWAY_MAX_AHEAD:
        raise InvalidAwayPeriod(
            _("An away period may start at most a year ago and end within five years.")
        )
    reason = (reason or "").strip()
    if len(reason) > AwayPeriod._meta.get_field("reason").max_length:
        raise InvalidAwayPeriod(_("The reason is too long (at most 200 characters)."))
    return AwayPeriod.objects.create(
        user_id=user.pk,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=actor,
    )


def _aware(moment: Any) -> datetime:
    if not isinstance(moment, datetime):
        raise InvalidAwayPeriod()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


# --- API keys -------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def create_api_key(*, actor: User | None, name: str, source: str) -> tuple[ApiKey, str]:
    """A key for one source (a web form, a partner). Returns the key row and the key itself,
    which is shown this once: only its hash is kept."""
    ensure_admin(actor)
    name, source = (name or "").strip(), (source or "").strip()
    ensure_clean_names({"name": name, "source": source}, ("name", "source"))
    if (
        not name
        or not source
        or len(name) > ApiKey._meta.get_field("name").max_length
        or len(source) > ApiKey._meta.get_field("source").max_length
    ):
        raise InvalidApiKey()
    if ApiKey.objects.filter(source__iexact=source, revoked_at__isnull=True).exists():
        raise ApiKeySourceTaken()
    raw = new_api_key()
    # The database keeps one live key per source: a key created for it at the same moment
    # makes this insert fail.
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                name=name,
                source=source,
                prefix=raw[:PREFIX_LENGTH],
                key_hash=hash_api_key(raw),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ApiKeySourceTaken() from exc
    audit.record_event(
        kind=audit.Kind.API_KEY_CHANGED,
        actor=actor,
        obj=key,
        action="create",
        after={"name": key.name, "source": key.source, "prefix": key.prefix},
    )
    return key, raw


@transaction.atomic(durable=True)
def revoke_api_key(*, actor: User | None, key_id: int) -> ApiKey:
    """The key stops working at once; the row stays, with who revoked it and when. Revoking
    a revoked key changes nothing."""
    ensure_admin(actor)
    # Conditional: of two revocations at once, the first one's time and name stand.
    revoked = ApiKey.objects.filter(pk=key_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    key = ApiKey.objects.filter(pk=key_id).first()
    if key is None:
        raise NotFound()
    if revoked:
        audit.record_event(
            kind=audit.Kind.API_KEY_CHANGED,
            actor=actor,
            obj=key,
            action="revoke",
            after={"revoked_at": key.revoked_at.isoformat()},
        )
    return key


# How precisely a key's last use is kept: one write per key and minute at most.
API_KEY_USE_PRECISION = timedelta(minutes=1)


def mark_api_key_used(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Record that another system used its key (outside any transaction, on every intake
    call). Nothing is written when the key was marked within the minute; the UPDATE is
    conditional, so of many requests at once only the first changes the row."""
    now = now or timezone.now()
    recent = now - API_KEY_USE_PRECISION
    if api_key.last_used_at is not None and api_key.last_used_at > recent:
        return
    ApiKey.objects.filter(pk=api_key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=recent)
    ).update(last_used_at=now)
    api_key.last_used_at = now


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
