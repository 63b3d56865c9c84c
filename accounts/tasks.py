from celery import shared_task

from . import delivery


@shared_task(acks_late=True)
def deliver_notifications_task() -> int:
    """E-mail the outbox. Idempotent: rows are marked as they are sent."""
    return delivery.deliver_pending_emails()
