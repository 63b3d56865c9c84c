from django.db.models import QuerySet

from .models import Team, User


def list_users(*, actor: User) -> QuerySet[User]:
    return User.objects.select_related("team").order_by("username")


def list_teams(*, actor: User) -> QuerySet[Team]:
    return Team.objects.select_related("manager").order_by("name")
