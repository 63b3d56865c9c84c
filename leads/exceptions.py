from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


class FollowUpInFuture(DomainError):
    code = "followup_in_future"
    status = 400
    default_message = _("A follow-up cannot have happened in the future.")
