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
