"""A rep's bulk actions on the lists: claim several pool rows at once, release several of
their customers with one reason. Each lead is decided alone, by the same service as a single
click (`claim_lead`, `release_lead`): its own transaction and row locks, its own history
record. One refusal neither stops nor undoes the others, and each row's answer is what the
single action would have answered, so a lead the user may not see is `not_found` and nothing
more."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from accounts.models import User
from crm.errors import DomainError

from .. import access
from ..exceptions import NothingSelected, ReasonRequired, TooManySelected
from ..models import Ownership
from .claims import claim_lead, release_lead

# One request's worth: a page of the pool is 25 rows; an integration may send a few pages.
BULK_MAX = 100


@dataclass(frozen=True)
class BulkOutcome:
    """One lead's answer: done (`period` is the new claim when claimed), or refused with the
    error the single action would have raised."""

    lead_id: int
    period: Ownership | None = None
    error: DomainError | None = field(default=None)

    @property
    def done(self) -> bool:
        return self.error is None


def _distinct(lead_ids: Iterable[int]) -> list[int]:
    """The ids in the order given, each once (a row ticked twice is one claim)."""
    ids = list(dict.fromkeys(int(lead_id) for lead_id in lead_ids))
    if not ids:
        raise NothingSelected()
    if len(ids) > BULK_MAX:
        raise TooManySelected(limit=BULK_MAX)
    return ids


def claim_leads(*, lead_ids: Iterable[int], actor: User) -> list[BulkOutcome]:
    """Claim each lead in the order given, each under its own locks and transaction (never
    one transaction for all: a refusal must not undo the claims before it, and holding many
    lead rows at once would block every colleague's claim). The claim limit is checked per
    claim under the rep's row lock, so the rows beyond it answer `claim_limit_reached`.
    Someone who may not own customers at all is refused once (`cannot_claim`)."""
    ids = _distinct(lead_ids)
    access.ensure_may_claim(actor)
    outcomes = []
    for lead_id in ids:
        try:
            period = claim_lead(lead_id=lead_id, actor=actor)
        except DomainError as refusal:
            outcomes.append(BulkOutcome(lead_id=lead_id, error=refusal))
        else:
            outcomes.append(BulkOutcome(lead_id=lead_id, period=period))
    return outcomes


def release_leads(*, lead_ids: Iterable[int], actor: User, reason: str) -> list[BulkOutcome]:
    """Release each lead with one reason, each in its own transaction under its row lock (as
    `release_lead` does for one). The reason is required before anything happens."""
    ids = _distinct(lead_ids)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    outcomes = []
    for lead_id in ids:
        try:
            release_lead(lead_id=lead_id, actor=actor, reason=reason)
        except DomainError as refusal:
            outcomes.append(BulkOutcome(lead_id=lead_id, error=refusal))
        else:
            outcomes.append(BulkOutcome(lead_id=lead_id))
    return outcomes
