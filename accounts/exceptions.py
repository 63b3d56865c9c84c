from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status = 400
    default_message = _("Wrong username or password.")
