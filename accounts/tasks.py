from celery import shared_task

from . import notifications


@shared_task(acks_late=True)
def deliver_notifications_task() -> int:
    """E-mail the outbox. Idempotent: rows are marked as they are sent."""
    return notifications.deliver_pending_emails()
