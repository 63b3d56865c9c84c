from django.db.models import QuerySet

from accounts.models import Team, User

from .. import access


def list_reassign_candidates(*, user: User) -> QuerySet[User]:
    """Who `user` may give customers to: active reps and managers of the teams they manage
    (any team, for an admin). The reassignment service checks it again."""
    members = User.objects.filter(is_active=True, role__in=[User.Role.REP, User.Role.MANAGER])
    if user.is_admin:
        return members.order_by("team__name", "display_name")
    return members.filter(team_id__in=access.managed_team_ids(user)).order_by("display_name")


def get_team_manager_id(*, team_id: int) -> int | None:
    """Who answers for a team's pool: its manager (None: the team has none)."""
    return Team.objects.filter(pk=team_id).values_list("manager_id", flat=True).first()
