from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


class AlreadyOwned(DomainError):
    code = "already_owned"
    status = 409
    default_message = _("Someone else owns this customer.")


class ClaimLimitReached(DomainError):
    code = "claim_limit_reached"
    status = 409
    default_message = _("You hold as many customers as your claim limit allows.")


class InCooldown(DomainError):
    code = "in_cooldown"
    status = 409
    default_message = _("You recently lost or released this customer and cannot claim it yet.")


class NotOwned(DomainError):
    code = "not_owned"
    status = 409
    default_message = _("This customer is in the pool: nobody owns it.")


class NotOwner(DomainError):
    code = "not_owner"
    status = 403
    default_message = _("Only the owner or their manager may do this.")


class AlreadyOwner(DomainError):
    code = "already_owner"
    status = 409
    default_message = _("That rep already owns this customer.")


class OutOfScope(DomainError):
    code = "out_of_scope"
    status = 403
    default_message = _("That is outside the teams you manage.")


class InvalidTarget(DomainError):
    code = "invalid_target"
    status = 400
    default_message = _("Customers can only be given to an active sales rep or manager.")


class CannotClaim(DomainError):
    code = "cannot_claim"
    status = 403
    default_message = _("Only sales reps and managers can own customers.")


class OwnershipConflict(DomainError):
    code = "ownership_conflict"
    status = 409
    default_message = _("Ownership changed at the same moment; please reload and try again.")


class ReasonRequired(DomainError):
    code = "reason_required"
    status = 400
    default_message = _("Please give a reason.")
