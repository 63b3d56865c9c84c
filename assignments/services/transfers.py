"""Transfer requests (转移申请) and their decisions (转移审批): a rep asks for a customer
another rep owns; the owner's manager (or an admin) approves or rejects; the rep may withdraw.

Asking reveals nothing the asker may not know: it is allowed for a lead they may see or whose
pool they see (a claim would name the owner), one they have a link to (they owned it, followed
it up, collided with it, were notified about it), or one that the server itself matches as a
strong duplicate of the customer they tried to create (`attempted`, re-checked here: the
client is never trusted). Anything else is a 404, and nobody is notified.

Approving moves the customer under the lead's row lock, in the claim's lock order (the
requester's row, then the lead's, then the request's), with one `transfer` history record
that names the request. Each decision locks the request's row and re-reads its status, so of
two decisions at once one wins and the other gets `already_decided`. A request whose owner
no longer holds the customer is closed as `stale` (when the owner's period ends, see
`pending_requests`; and here, if one was missed) and nothing moves."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.locks import lock_user
from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.dedupe.identity import identity_of
from leads.dedupe.matching import STRONG, find_duplicates
from leads.locks import lock_lead
from leads.models import Lead

from .. import access
from ..exceptions import (
    AlreadyDecided,
    AlreadyOwner,
    InvalidAttempted,
    InvalidTarget,
    LeadInPool,
    OwnershipConflict,
    ReasonRequired,
    RequestStale,
    TransferAlreadyRequested,
)
from ..locks import lock_transfer_request
from ..models import Ownership, OwnershipEvent, TransferRequest
from ..selectors.links import has_link_to
from ..selectors.policies import get_effective_policy
from .pending_requests import decision_notice_key
from .periods import (
    current_period,
    end_period,
    ensure_below_limit,
    record_ownership_event,
    start_period,
)

# What a rep may say they tried to create, and how long each part may be.
ATTEMPTED_FIELDS = {
    "company_name": 200,
    "uscc": 40,
    "website": 200,
    "city": 50,
    "phone": 40,
    "email": 320,
}
MAX_REASON = 2000


def clean_attempted(value) -> dict[str, str]:
    """The attempted customer as stored: known fields only, short strings, no NUL bytes;
    empty parts dropped. Raises InvalidAttempted."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidAttempted(_("Describe the attempted customer as an object of fields."))
    unknown = sorted(set(value) - set(ATTEMPTED_FIELDS))
    if unknown:
        raise InvalidAttempted(
            _("Unknown field(s) in the attempted customer: %(fields)s.")
            % {"fields": ", ".join(str(name)[:40] for name in unknown[:5])}
        )
    cleaned = {}
    for name, limit in ATTEMPTED_FIELDS.items():
        part = value.get(name, "")
        if part is None:
            continue
        if not isinstance(part, str) or "\x00" in part or len(part) > limit:
            raise InvalidAttempted(
                _("%(field)s of the attempted customer: text of at most %(limit)s characters.")
                % {"field": name, "limit": limit}
            )
        if part.strip():
            cleaned[name] = part.strip()
    return cleaned


def request_transfer(
    *, lead_id: int, actor: User, reason: str = "", attempted: Mapping | None = None
) -> TransferRequest:
    attempted = clean_attempted(attempted)
    try:
        return _request_transfer(lead_id=lead_id, actor=actor, reason=reason, attempted=attempted)
    except IntegrityError as exc:
        # Two clicks at once: the partial unique index keeps one pending request.
        raise TransferAlreadyRequested() from exc


@transaction.atomic(durable=True)
def _request_transfer(
    *, lead_id: int, actor: User, reason: str, attempted: dict
) -> TransferRequest:
    access.ensure_may_request_transfer(actor)
    # The lead's lock orders this against a claim, release or reassignment of it.
    lead = lock_lead(lead_id)
    now = timezone.now()
    period = current_period(lead=lead, now=now, viewer=actor)
    if not (
        access.may_ask_for(actor, lead, period)
        or has_link_to(user=actor, lead_id=lead.pk)
        or _strongly_matches(lead, attempted)
    ):
        raise NotFound()
    if period is None:
        raise LeadInPool()
    if period.owner_id == actor.pk:
        raise AlreadyOwner()
    if TransferRequest.objects.filter(
        lead=lead, requester=actor, status=TransferRequest.Status.PENDING
    ).exists():
        raise TransferAlreadyRequested()
    request = TransferRequest.objects.create(
        lead=lead,
        requester=actor,
        owner_id=period.owner_id,
        reason=(reason or "").strip()[:MAX_REASON],
        attempted=attempted,
        created_at=now,
    )
    manager_id = _deciding_manager_id(period.owner)
    if manager_id is not None:
        notify(
            [
                NewNotification(
                    user_id=manager_id,
                    kind=Notification.Kind.TRANSFER_REQUESTED,
                    lead_id=lead.pk,
                    payload={
                        "company": lead.company_name,
                        "owner": period.owner.display_name,
                        "requester": actor.display_name,
                        "request": request.pk,
                        "path": reverse("leads:transfer_inbox"),
                    },
                    dedupe_key=f"transfer-requested:{request.pk}",
                )
            ]
        )
    return request


def _strongly_matches(lead: Lead, attempted: dict) -> bool:
    """The duplicate check, run again here on what the rep says they tried to create, finds
    this lead as the same customer (a strong match)."""
    if not attempted:
        return False
    identity = identity_of(
        company_name=attempted.get("company_name", ""),
        uscc=attempted.get("uscc", ""),
        website=attempted.get("website", ""),
        city=attempted.get("city", ""),
        contacts=[{"phone": attempted.get("phone", ""), "email": attempted.get("email", "")}],
    )
    return any(m.lead.pk == lead.pk and m.level == STRONG for m in find_duplicates(identity))


def _deciding_manager_id(owner: User) -> int | None:
    team = owner.team
    return team.manager_id if team is not None else None


# --- decisions ------------------------------------------------------------------------------
def approve_transfer(
    *, request_id: int, actor: User, reason: str = "", override_limit: bool = False
) -> TransferRequest:
    """The owner's manager (or an admin) gives the customer to the requester. The requester's
    claim limit applies unless `override_limit` (recorded). Raises RequestStale (after
    closing the request) when the owner no longer holds the customer."""
    try:
        request, stale = _approve_transfer(
            request_id=request_id,
            actor=actor,
            reason=_clean_reason(reason),
            override_limit=override_limit,
        )
    except IntegrityError as exc:
        raise OwnershipConflict() from exc
    if stale:
        # Raised only now: closing the request as stale is kept.
        raise RequestStale()
    return request


@transaction.atomic(durable=True)
def _approve_transfer(
    *, request_id: int, actor: User, reason: str, override_limit: bool
) -> tuple[TransferRequest, bool]:
    request = _visible_request(request_id, actor)
    access.ensure_may_decide_transfer(actor, request)
    # The claim's lock order: the requester's row (claim limit), the lead's, the request's.
    requester = lock_user(request.requester_id)
    lead = lock_lead(request.lead_id)
    request = _lock_pending(request_id)
    now = timezone.now()
    # Settles an expired claim first (which closes this request as stale with it).
    period = current_period(lead=lead, now=now)
    request.refresh_from_db(fields=["status", "decided_at"])
    if request.status == TransferRequest.Status.STALE:
        return request, True
    if period is None or period.owner_id != request.owner_id:
        _close(request, status=TransferRequest.Status.STALE, actor=None, reason="", now=now)
        _notify_decision(request, lead=lead, actor=None, in_pool=period is None)
        return request, True
    if not access.may_own(requester):
        raise InvalidTarget()
    policy = get_effective_policy(team_id=requester.team_id)
    if not override_limit:
        ensure_below_limit(owner=requester, policy=policy, now=now)
    # Decided before the owner's period ends, which closes the other pending requests.
    request.override_limit = bool(override_limit)
    _close(request, status=TransferRequest.Status.APPROVED, actor=actor, reason=reason, now=now)
    end_period(period=period, kind=Ownership.EndKind.TRANSFER, at=now)
    start_period(lead=lead, owner=requester, policy=policy, now=now)
    record_ownership_event(
        lead=lead,
        kind=OwnershipEvent.Kind.TRANSFER,
        actor=actor,
        from_owner_id=period.owner_id,
        to_owner_id=requester.pk,
        reason=reason or request.reason,
        details={"transfer_request": request.pk, "override_limit": bool(override_limit)},
        at=now,
    )
    _notify_decision(request, lead=lead, actor=actor)
    return request, False


@transaction.atomic(durable=True)
def reject_transfer(*, request_id: int, actor: User, reason: str) -> TransferRequest:
    """The owner's manager (or an admin) says no, with a reason. Nothing moves."""
    reason = _clean_reason(reason)
    if not reason:
        raise ReasonRequired()
    request = _visible_request(request_id, actor)
    access.ensure_may_decide_transfer(actor, request)
    request = _lock_pending(request_id)
    _close(
        request,
        status=TransferRequest.Status.REJECTED,
        actor=actor,
        reason=reason,
        now=timezone.now(),
    )
    _notify_decision(request, lead=request.lead, actor=actor)
    return request


@transaction.atomic(durable=True)
def withdraw_transfer(*, request_id: int, actor: User) -> TransferRequest:
    """The requester takes their request back while it is pending. Nobody is notified: it
    leaves the manager's inbox."""
    request = _visible_request(request_id, actor)
    access.ensure_may_withdraw_transfer(actor, request)
    request = _lock_pending(request_id)
    _close(
        request,
        status=TransferRequest.Status.WITHDRAWN,
        actor=actor,
        reason="",
        now=timezone.now(),
    )
    return request


def _clean_reason(reason) -> str:
    return (reason or "").strip()[:MAX_REASON]


def _visible_request(request_id: int, actor: User) -> TransferRequest:
    request = (
        TransferRequest.objects.select_related("lead", "requester", "owner")
        .filter(pk=request_id)
        .first()
    )
    if request is None or not access.can_see_transfer_request(actor, request):
        raise NotFound()
    return request


def _lock_pending(request_id: int) -> TransferRequest:
    """The request's row, locked, and still pending."""
    request = lock_transfer_request(request_id)
    if request.status == TransferRequest.Status.STALE:
        raise RequestStale()
    if request.status != TransferRequest.Status.PENDING:
        raise AlreadyDecided(status=request.status, label=request.get_status_display())
    return request


def _close(request: TransferRequest, *, status: str, actor: User | None, reason: str, now):
    request.status = status
    request.decided_by = actor
    request.decided_at = now
    request.decision_reason = reason
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "override_limit"]
    )


def _notify_decision(
    request: TransferRequest, *, lead: Lead, actor: User | None, in_pool: bool = False
) -> None:
    """The requester, the owner they asked and the owner's manager hear the outcome and the
    reason (not whoever decided: they know)."""
    payload = {
        "company": lead.company_name,
        "status": request.status,
        "reason": request.decision_reason,
        "manager": actor.display_name if actor else "",
        "requester": request.requester.display_name,
        "owner": request.owner.display_name,
        "in_pool": in_pool,
        "request": request.pk,
    }
    recipients = {request.requester_id: reverse("leads:my_requests")}
    if request.status != TransferRequest.Status.STALE:
        recipients[request.owner_id] = ""
        manager_id = _deciding_manager_id(request.owner)
        if manager_id is not None:
            recipients.setdefault(manager_id, reverse("leads:transfer_inbox"))
    notify(
        NewNotification(
            user_id=user_id,
            kind=Notification.Kind.TRANSFER_DECIDED,
            lead_id=lead.pk,
            payload={**payload, "path": path} if path else payload,
            dedupe_key=decision_notice_key(request.pk, user_id),
        )
        for user_id, path in recipients.items()
        if actor is None or user_id != actor.pk
    )
