from datetime import timedelta

from django import template
from django.utils import timezone

from leads.masks import mask_email, mask_phone

register = template.Library()

register.filter("mask_phone", mask_phone)
register.filter("mask_email", mask_email)


@register.filter
def expires_soon(moment) -> bool:
    """Highlight a claim in its last 24 hours."""
    return moment is not None and moment - timezone.now() < timedelta(hours=24)
