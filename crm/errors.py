"""Domain errors: one class per refusal, each with a stable `code` that the API returns
as JSON and the pages show as a translated message."""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = ""

    def __init__(self, message: str | None = None, **extra: Any) -> None:
        self.message = str(message or self.default_message or self.code)
        self.extra = extra
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.message, **self.extra}


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")
