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


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"
    status = 400
    default_message = _(
        "This ID number is not valid (a Chinese resident ID has 18 characters with a check "
        "character)."
    )


class InvalidCountry(DomainError):
    code = "invalid_country"
    status = 400
    default_message = _("Use a two-letter ISO 3166 country code, such as CN or US.")


class InvalidEmail(DomainError):
    code = "invalid_email"
    status = 400
    default_message = _("Enter a valid e-mail address.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("A customer cannot move from its status to that one.")
    won_message = _("A customer is won by winning one of its deals: add or win a deal.")


class LostReasonRequired(DomainError):
    code = "lost_reason_required"
    status = 400
    default_message = _("Choose why the customer was lost, and add a note.")


class DealClosed(DomainError):
    code = "deal_closed"
    status = 409
    default_message = _("This deal is already won or lost.")


class UnknownStage(DomainError):
    code = "invalid_stage"
    status = 400
    default_message = _("There is no such deal stage.")


class InvalidCurrency(DomainError):
    code = "invalid_currency"
    status = 400
    default_message = _("Use a three-letter ISO 4217 currency code, such as CNY or USD.")
