from django.db.models import Q, QuerySet

from ..models import OwnershipEvent


def list_history(*, lead_id: int) -> QuerySet[OwnershipEvent]:
    """A lead's history, with the history of the leads merged into it (merging re-points
    earlier merges to the survivor, so one level is all there is)."""
    return (
        OwnershipEvent.objects.filter(Q(lead_id=lead_id) | Q(lead__merged_into_id=lead_id))
        .select_related("from_owner", "to_owner", "actor")
        .order_by("at", "id")
    )
