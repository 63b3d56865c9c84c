from crm.errors import NotFound

from .models import Lead


def lock_lead(lead_id: int) -> Lead:
    """The one row lock under which every change of a lead's owner is decided.

    Callers take it after any user-row lock and before reading ownership state. FOR NO KEY
    UPDATE lets inserts that reference the lead (follow-ups, history) proceed meanwhile."""
    try:
        return (
            Lead.objects.select_for_update(no_key=True, of=("self",))
            .only("id", "pool_team_id", "status", "company_name")
            .get(pk=lead_id)
        )
    except (Lead.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
