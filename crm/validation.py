"""Input rules every app shares: no control characters in names, no NUL in any text, and
dates within a sane range. Services call the `ensure_*` functions (a DomainError, so every
door answers the same 400 `{code, detail, field}`); forms and serializers add the validators
to their fields so a page shows the message beside the field."""

import re
from collections.abc import Mapping
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# C0 controls, DEL and C1 controls. A name is one line: not even a tab or a newline.
_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# Multi-line text (notes, reasons) keeps tab, newline and carriage return.
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Dates people and systems may give: a customer's next step, a deal's close, a filter's bounds.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

NAME_MESSAGE = _("Names may not contain control characters (such as NUL, tab or line breaks).")
TEXT_MESSAGE = _("Text may not contain control characters such as NUL.")


class InvalidCharacters(DomainError):
    code = "invalid_characters"
    status = 400
    default_message = NAME_MESSAGE

    def __init__(self, *, field: str, name: bool = True) -> None:
        super().__init__(str(NAME_MESSAGE if name else TEXT_MESSAGE), field=field)


class DateOutOfRange(DomainError):
    code = "date_out_of_range"
    status = 400

    def __init__(self, *, field: str) -> None:
        super().__init__(date_range_message(), field=field)


def date_range_message() -> str:
    return gettext("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def has_name_controls(value) -> bool:
    return isinstance(value, str) and _NAME_CONTROLS.search(value) is not None


def has_text_controls(value) -> bool:
    return isinstance(value, str) and _TEXT_CONTROLS.search(value) is not None


def is_sane_date(value) -> bool:
    if isinstance(value, datetime):
        value = value.date()
    return not isinstance(value, date) or EARLIEST_DATE <= value <= LATEST_DATE


# --- validators for form and serializer fields ---------------------------------------------
def name_characters(value) -> None:
    if has_name_controls(value):
        raise ValidationError(NAME_MESSAGE, code="invalid_characters")


def text_characters(value) -> None:
    if has_text_controls(value):
        raise ValidationError(TEXT_MESSAGE, code="invalid_characters")


def sane_date(value) -> None:
    if not is_sane_date(value):
        raise ValidationError(date_range_message(), code="date_out_of_range")


# --- checks for services --------------------------------------------------------------------
def ensure_clean_names(values: Mapping, names: tuple[str, ...]) -> None:
    """Refuse control characters in the `names` of `values` and NUL-like controls in every
    other text value."""
    for field, value in values.items():
        if field in names and has_name_controls(value):
            raise InvalidCharacters(field=field)
        if has_text_controls(value):
            raise InvalidCharacters(field=field, name=False)


def ensure_sane_dates(values: Mapping) -> None:
    for field, value in values.items():
        if isinstance(value, date) and not is_sane_date(value):
            raise DateOutOfRange(field=field)
