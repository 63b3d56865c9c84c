from datetime import datetime

from leads.models import Lead


def lock_stale_leads(*, now: datetime, batch_size: int) -> list[int]:
    """Lock a batch of leads whose claim has expired, oldest expiry first.

    SKIP LOCKED: a lead whose row a rep holds right now (a claim, a follow-up) is left for
    the next run instead of making the rep wait or the job block. Won customers are never
    recycled. On SQLite the IMMEDIATE transaction already holds the only write lock."""
    stale = (
        Lead.objects.filter(ownerships__ended_at__isnull=True, ownerships__protected_until__lte=now)
        .exclude(status=Lead.Status.WON)
        .order_by("ownerships__protected_until")
        .select_for_update(skip_locked=True, no_key=True, of=("self",))
    )
    return list(stale.values_list("id", flat=True)[:batch_size])
