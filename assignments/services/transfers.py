"""Transfer requests (转移申请): a rep asks for a customer another rep owns. Stored for the
owner's manager to decide; asking changes no ownership.

Asking reveals nothing the asker may not know: it is allowed for a lead they may see, or for
one that the server itself matches as a strong duplicate of the customer they tried to create
(`attempted`, re-checked here: the client is never trusted). Anything else is a 404, and
nobody is notified."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.outbox import NewNotification, notify
from crm.errors import NotFound
from leads.dedupe.identity import identity_of
from leads.dedupe.matching import STRONG, find_duplicates
from leads.locks import lock_lead
from leads.models import Lead

from .. import access
from ..exceptions import AlreadyOwner, InvalidAttempted, LeadInPool, TransferAlreadyRequested
from ..models import TransferRequest
from .periods import current_period

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
    if not access.can_see(actor, lead, period) and not _strongly_matches(lead, attempted):
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
