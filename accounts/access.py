"""Who may manage and read accounts (users, teams, API keys): admins change; a manager reads
the users of the teams they run. Services raise the refusals; pages and selectors ask the
`can_*` functions. (Ownership rules are in assignments.access, which builds on these.)"""

from crm.errors import PermissionDenied

from .models import User


def can_administer(user: User) -> bool:
    """Users, teams, pool policies, territory rules and API keys: admins."""
    return user.is_authenticated and user.is_admin


def ensure_admin(actor: User | None) -> None:
    """None is the system (migrations, scripts, tests)."""
    if actor is not None and not can_administer(actor):
        raise PermissionDenied()


def can_read_users(actor: User) -> bool:
    """Admins, and managers (for their teams). A rep reads themself at /api/v1/me/."""
    return actor.is_authenticated and (actor.is_admin or actor.is_manager)


def can_read_user(actor: User, user: User) -> bool:
    """Admins read everyone; a manager reads themself and the members of teams they run."""
    if not can_read_users(actor):
        return False
    if actor.is_admin or actor.pk == user.pk:
        return True
    return user.team_id is not None and actor.managed_teams.filter(pk=user.team_id).exists()
