"""The audit record (accounts.AuditEvent): who signed in, failed to, signed out or was locked
out, which token was revoked, and who changed users, teams, pool policies and territory
rules. Services call `record_event` inside their own transaction, so a change and its record
commit (or roll back) together; sign-ins come from Django's auth signals (accounts.signals),
the only place every door (page, admin, token endpoint) passes through."""

import ipaddress
from typing import Any

from django.http import HttpRequest

from .models import AuditEvent, User

Kind = AuditEvent.Kind
Door = AuditEvent.Door


def door_of(request: HttpRequest | None) -> str:
    """Which door a request came through: the sign-in page, the token endpoint, the admin."""
    if request is None:
        return Door.SYSTEM
    path = getattr(request, "path", "") or ""
    if path.startswith("/admin/"):
        return Door.ADMIN
    if path.startswith("/api/v1/auth/token/"):
        return Door.TOKEN
    if path.startswith("/api/"):
        return Door.API
    if path.startswith("/login/"):
        return Door.PAGE
    return Door.CONSOLE


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address as the lockout sees it (axes sets it; else REMOTE_ADDR)."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    try:
        # Not every server puts an address there (a Unix socket): keep only a real one.
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def record_event(
    *,
    kind: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
    username: str = "",
    door: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    action: str = "",
    before: Any = None,
    after: Any = None,
    details: dict | None = None,
) -> AuditEvent:
    """Write one audit record. `obj` (a model instance) fills object type, id and name."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = obj.pk if object_id in ("", None) else object_id
        object_repr = object_repr or str(obj)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        username=(username or (actor.get_username() if actor is not None else ""))[:150],
        ip_address=client_ip(request),
        door=door or (door_of(request) if request is not None else ""),
        object_type=object_type[:32],
        object_id="" if object_id is None else str(object_id)[:64],
        object_repr=(object_repr or "")[:200],
        action=action[:32],
        before=before,
        after=after,
        details=details or {},
    )


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, from both sides (a short before/after summary)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def user_summary(user: User) -> dict:
    """What an admin changes on a user, as plain values for the record."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "team": user.team_id,
        "capacity": user.capacity,
        "is_active": user.is_active,
    }
