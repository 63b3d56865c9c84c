from django.utils.translation import gettext_lazy as _

from crm.errors import DomainError


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status = 400
    default_message = _("Wrong username or password.")


class CannotChangeSelf(DomainError):
    code = "cannot_change_self"
    status = 400
    default_message = _("You cannot deactivate yourself or take away your own admin role.")


class InvalidUserChange(DomainError):
    code = "invalid_user_change"
    status = 400
    default_message = _("That change to the user is not valid.")


class InvalidCapacity(DomainError):
    code = "invalid_capacity"
    status = 400
    default_message = _("The capacity must be a whole number from 1 to 10000, or empty.")


class StillManagesTeams(DomainError):
    code = "still_manages_teams"
    status = 409
    default_message = _("This user manages teams: give the teams another manager first.")


class InvalidAwayPeriod(DomainError):
    code = "invalid_away_period"
    status = 400
    default_message = _("That away period is not valid.")


class TeamNameTaken(DomainError):
    code = "team_exists"
    status = 400
    default_message = _("A team with that name already exists.")


class NotAManager(DomainError):
    code = "not_a_manager"
    status = 400
    default_message = _("The manager must be an active user with the manager role.")


class InvalidApiKey(DomainError):
    code = "invalid_api_key"
    status = 400
    default_message = _("An API key needs a name and a source.")


class ApiKeySourceTaken(DomainError):
    code = "api_key_source_taken"
    status = 409
    default_message = _("That source already has a live key: revoke it first.")


class LoginLockedOut(DomainError):
    """Too many wrong passwords for this username from this address (accounts.lockout).
    Carries `retry_after` (seconds) and `locked_until`."""

    code = "locked_out"
    status = 429
    default_message = _("Too many wrong passwords: signing in is paused. Try again later.")


class TokenRequired(DomainError):
    code = "token_required"
    status = 400
    default_message = _("Send the API token to revoke (Authorization: Token <key>).")


class InvalidFilter(DomainError):
    code = "invalid_filter"
    status = 400
    default_message = _("That filter is not valid.")
