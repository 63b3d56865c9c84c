"""Field rules shared by the pages' forms and the API's serializers (DRF turns Django's
ValidationError into its field errors), so both doors accept and refuse the same input."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dedupe.normalize import normalize_email, normalize_uscc
from .exceptions import InvalidUscc


def credit_code(value: str) -> str:
    """A 统一社会信用代码 in its canonical form ("" when blank); refused unless its check
    digit holds."""
    if not value.strip():
        return ""
    code = normalize_uscc(value)
    if code is None:
        raise ValidationError(InvalidUscc.default_message, code="invalid_uscc")
    return code


def email_address(value: str) -> str:
    """The address of what people paste ("Name <addr>", "mailto:…", any case)."""
    if not value.strip():
        return ""
    address = normalize_email(value)
    if address is None or len(address) > 254:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid")
    return address
