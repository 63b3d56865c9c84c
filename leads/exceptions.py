from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


class FollowUpInFuture(DomainError):
    code = "followup_in_future"
    status = 400
    default_message = _("A follow-up cannot have happened in the future.")


class UnknownPool(DomainError):
    code = "invalid_pool"
    status = 400
    default_message = _("There is no such team pool.")


class InvalidUscc(DomainError):
    code = "invalid_uscc"
    status = 400
    default_message = _(
        "This unified social credit code is not valid (18 characters with a check digit)."
    )


class InvalidEmail(DomainError):
    code = "invalid_email"
    status = 400
    default_message = _("Enter a valid e-mail address.")


class DuplicateFound(DomainError):
    """A refusal at the door: the customer already exists. Carries the matches (as the API
    shows them) and the Match objects for the pages."""

    status = 409

    def __init__(self, message: str, *, matches: list) -> None:
        from .dedupe.door import match_dict

        self.match_objects = matches
        super().__init__(message, matches=[match_dict(m) for m in matches])


class DuplicateOwned(DuplicateFound):
    code = "duplicate_owned"


class DuplicateInPool(DuplicateFound):
    code = "duplicate_in_pool"


class DuplicateOwn(DuplicateFound):
    code = "duplicate_own"


class PossibleDuplicate(DuplicateFound):
    code = "possible_duplicate"
