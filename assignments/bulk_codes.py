"""What each line of a bulk move's report (批量转移) means: the codes the job writes, and the
sentence each one reads as, in the reader's language (the API, the page and the CSV)."""

from django.utils.translation import gettext_lazy as _

from crm.errors import NotFound, PermissionDenied

from .exceptions import AlreadyOwner, ClaimLimitReached, InvalidTarget, OwnershipConflict

CHANGED_MEANWHILE = "changed_meanwhile"
ALREADY_OWNER = AlreadyOwner.code
IN_POOL = "in_pool"
FAILED_UNEXPECTEDLY = "error"

MESSAGES = {
    "": _("Moved."),
    CHANGED_MEANWHILE: _("Skipped: its owner changed after the move was started."),
    ALREADY_OWNER: _("Skipped: that rep already owns it."),
    IN_POOL: _("Skipped: it is in a pool, nobody owns it."),
    NotFound.code: _("Failed: not found, or not one of your teams' customers."),
    PermissionDenied.code: _("Failed: you may no longer move this customer."),
    ClaimLimitReached.code: _("Failed: every chosen rep is at their claim limit."),
    InvalidTarget.code: _("Failed: no chosen rep can take customers any more."),
    OwnershipConflict.code: _("Failed: its ownership changed at the same moment."),
    FAILED_UNEXPECTEDLY: _("Failed: an unexpected error; nothing was changed."),
}


def describe_outcome(code: str) -> str:
    """The sentence for a report line's code, in the active language."""
    message = MESSAGES.get(code)
    return str(message) if message is not None else code
