"""The duplicate check every way into the customer table goes through (rule 5): create (page,
API, import), edit and new contacts. Callers are inside their write transaction, after any
user or lead row lock."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from leads.dedupe.identity import Identity
from leads.dedupe.matching import STRONG, WEAK
from leads.locks import lock_customer_keys
from leads.models import Lead

from ..exceptions import DuplicateInPool, DuplicateOwn, DuplicateOwned, PossibleDuplicate
from ..selectors.duplicates import OwnedMatch, find_duplicates
from .collisions import log_confirmed


def summary_for(match: OwnedMatch) -> str:
    """'XX科技 — owner 张三, protected until 3 Dec' in the reader's language."""
    owner = match.owner
    if owner is None:
        return gettext("%(company)s — in the pool") % {"company": match.lead.company_name}
    until = match.protected_until
    if until is None or match.lead.status == Lead.Status.WON:
        return gettext("%(company)s — owner %(owner)s") % {
            "company": match.lead.company_name,
            "owner": owner.display_name,
        }
    return gettext("%(company)s — owner %(owner)s, protected until %(until)s") % {
        "company": match.lead.company_name,
        "owner": owner.display_name,
        "until": date_format(timezone.localtime(until), "MONTH_DAY_FORMAT"),
    }


def ensure_not_duplicate(
    *,
    actor: User | None,
    identity: Identity,
    exclude: tuple[int, ...] = (),
    confirm: bool = False,
    known: dict[int, str] | None = None,
    attempted: dict | None = None,
) -> list[OwnedMatch]:
    """Refuse a write that would make a second record of an existing customer.

    Strong match owned by another rep → DuplicateOwned; in the pool → DuplicateInPool; the
    actor's own → DuplicateOwn; only weak matches → PossibleDuplicate unless `confirm`.
    `known` ({lead id: level}) lists matches the record already had before this edit: they
    do not block again unless they became strong. `attempted` (what identifies the attempted
    customer) goes with a refusal to the collision log; confirmed weak matches are logged
    here. Returns the weak matches the actor confirmed, for the history. With no actor (the
    system: an intake) every strong match refuses as another's or the pool's, and nothing
    is logged (the log names who collided)."""
    # Serialises writers of the same customer: the second one's check sees the first's lead.
    lock_customer_keys(identity.lock_keys)
    known = known or {}
    matches = [
        m
        for m in find_duplicates(identity, exclude=exclude)
        if m.lead.pk not in known or (known[m.lead.pk] == WEAK and m.level == STRONG)
    ]
    strong = [m for m in matches if m.level == STRONG]
    if strong:
        owned = [
            m for m in strong if m.owner is not None and (actor is None or m.owner.pk != actor.pk)
        ]
        pooled = [m for m in strong if m.owner is None]
        if owned:
            raise DuplicateOwned(
                gettext("Already exists: %(summary)s. Request a transfer instead.")
                % {"summary": summary_for(owned[0])},
                matches=owned + [m for m in strong if m not in owned],
                attempted=attempted,
            )
        if pooled:
            raise DuplicateInPool(
                gettext("Already exists in the pool: %(company)s. Claim it instead.")
                % {"company": pooled[0].lead.company_name},
                matches=pooled + [m for m in strong if m not in pooled],
                attempted=attempted,
            )
        raise DuplicateOwn(
            gettext("Already exists among your customers: %(company)s.")
            % {"company": strong[0].lead.company_name},
            matches=strong,
            attempted=attempted,
        )
    weak = [m for m in matches if m.level == WEAK]
    if weak and not confirm:
        raise PossibleDuplicate(
            gettext(
                "Possible duplicate: %(summary)s. Check the list, then confirm to create anyway."
            )
            % {"summary": summary_for(weak[0])},
            matches=weak,
            attempted=attempted,
        )
    if weak and actor is not None:
        log_confirmed(actor_id=actor.pk, matches=weak, attempted=attempted or {})
    return weak


def overridden_record(matches: list[OwnedMatch]) -> list[dict]:
    """What the history keeps of weak matches a rep overrode."""
    return [
        {
            "lead": m.lead.pk,
            "company_name": m.lead.company_name,
            "score": m.score,
            "reasons": m.reasons,
            "owner_id": m.owner.pk if m.owner else None,
        }
        for m in matches
    ]
