"""Who may see and do what: the one place that says it (rule 6, rule 10).

The services call the `ensure_*` functions (which raise the refusals the API returns); the
pages call the `can_*` functions to decide which buttons to draw; the selectors build their
querysets from the same scopes. Nothing else restates a permission.

`period` is the lead's live ownership period (with `owner`), or None when the lead is in the
pool; anything with `pk`, `team_id` and, for leads, `pool_team_id` and `status` will do (the
duplicate check passes lightweight records).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from crm.errors import NotFound, PermissionDenied
from leads import lifecycle
from leads.models import Lead

from .exceptions import CannotClaim, CannotRequestTransfer, NotOwned, OutOfScope


# --- roles and teams ------------------------------------------------------------------------
def managed_team_ids(user: User) -> set[int]:
    """The teams a manager runs (read once per user object)."""
    if not user.is_authenticated or not user.is_manager:
        return set()
    cached = getattr(user, "_managed_team_ids", None)
    if cached is None:
        cached = set(user.managed_teams.values_list("id", flat=True))
        user._managed_team_ids = cached
    return cached


def manages(manager: User, rep) -> bool:
    """True when `manager` may act for `rep`: an admin, or the manager of the rep's team."""
    if manager.is_admin:
        return True
    return (
        manager.is_manager and rep.team_id is not None and rep.team_id in managed_team_ids(manager)
    )


def acts_for(user: User, owner) -> bool:
    """The owner themself, the owner's manager, or an admin."""
    return owner.pk == user.pk or manages(user, owner)


def may_own(user) -> bool:
    """Only active reps and managers own customers."""
    return user.is_rep or user.is_manager


def is_manager_or_admin(user: User) -> bool:
    return user.is_manager or user.is_admin


# --- pools and visibility -------------------------------------------------------------------
def pool_team_ids(user: User) -> set[int]:
    teams = set(managed_team_ids(user))
    if user.team_id:
        teams.add(user.team_id)
    return teams


def pool_scope_q(user: User) -> Q:
    """Which pools a user sees (on Lead): the public pool plus their team's and managed teams'."""
    if user.is_admin:
        return Q()
    return Q(pool_team__isnull=True) | Q(pool_team_id__in=pool_team_ids(user))


def in_pool_scope(user: User, lead) -> bool:
    return user.is_admin or lead.pool_team_id is None or lead.pool_team_id in pool_team_ids(user)


def collaborates(user: User, period) -> bool:
    """The user helps the owner on this claim (协作人). Readers attach `collaborator_ids` to
    the period they read (only the asking user's, when they are one); without it: no."""
    return period is not None and user.pk in getattr(period, "collaborator_ids", ())


def can_see(user: User, lead, period) -> bool:
    """An owned lead: its owner, their manager, an admin and the owner's collaborators (for
    anyone else it does not exist); a pool lead: whoever sees that pool. Ownership comes
    first, so an owner always sees a lead that sits in another team's pool."""
    if period is None:
        return in_pool_scope(user, lead)
    return acts_for(user, period.owner) or collaborates(user, period)


def ensure_can_see(user: User, lead, period) -> None:
    if not can_see(user, lead, period):
        raise NotFound()


def can_see_contact_details(user: User, lead, period) -> bool:
    """Phones and e-mails of pool leads stay masked for reps until they claim the lead."""
    if user.is_admin or user.is_manager:
        return True
    return period is not None and (period.owner.pk == user.pk or collaborates(user, period))


# --- actions on a lead ----------------------------------------------------------------------
def can_claim(user: User, lead, period) -> bool:
    return may_own(user) and period is None and in_pool_scope(user, lead)


def ensure_may_claim(user: User) -> None:
    if not may_own(user):
        raise CannotClaim()


def ensure_in_pool_scope(user: User, lead) -> None:
    """A lead of a pool the user does not see does not exist for them. A rep may try any lead
    of a pool they see, owned or not: who owns it is all a refusal tells."""
    if not in_pool_scope(user, lead):
        raise NotFound()


def can_work(user: User, lead, period) -> bool:
    """Log follow-ups on it (and, unless it is won, release it): its owner, their manager."""
    return period is not None and acts_for(user, period.owner)


ONLY_OWNER = _("Only the owner, their manager or an admin may do this.")


def ensure_can_work(user: User, lead, period) -> None:
    """Refusals in the order the API answers them: not visible (404), then in the pool (409),
    then a collaborator, who may not (403)."""
    ensure_can_see(user, lead, period)
    if period is None:
        raise NotOwned()
    if not can_work(user, lead, period):
        raise PermissionDenied(ONLY_OWNER)


def can_log_followup(user: User, lead, period) -> bool:
    """The owner, their manager, an admin, and the owner's collaborators (whose follow-ups
    never extend the owner's protection)."""
    return can_work(user, lead, period) or collaborates(user, period)


def ensure_can_log_followup(user: User, lead, period) -> None:
    ensure_can_see(user, lead, period)
    if period is None:
        raise NotOwned()


def followup_extends_protection(user: User, period) -> bool:
    return acts_for(user, period.owner)


def can_manage_collaborators(user: User, lead, period) -> bool:
    """Invite or remove colleagues: the owner, their manager, an admin."""
    return can_work(user, lead, period)


def ensure_can_manage_collaborators(user: User, lead, period) -> None:
    ensure_can_work(user, lead, period)


def can_decide_credit_shares(user: User, period) -> bool:
    """The owner's manager (or an admin) approves or rejects a proposed credit split."""
    return period is not None and period.owner.pk != user.pk and manages(user, period.owner)


def can_release(user: User, lead, period) -> bool:
    """A won customer stays its owner's: only a manager's decision moves it (rule 8)."""
    return can_work(user, lead, period) and (
        lead.status != Lead.Status.WON or is_manager_or_admin(user)
    )


def can_edit(user: User, lead, period) -> bool:
    """An owned lead: its owner, their manager, an admin; a pool lead: whoever claims it, or a
    manager or admin who sees that pool."""
    if period is not None:
        return acts_for(user, period.owner)
    return is_manager_or_admin(user) and in_pool_scope(user, lead)


def ensure_can_edit(user: User, lead, period) -> None:
    ensure_can_see(user, lead, period)
    if not can_edit(user, lead, period):
        raise NotOwned() if period is None else PermissionDenied(ONLY_OWNER)


def can_change_status(user: User, lead, period) -> bool:
    """Move a customer through its lifecycle: as for editing it."""
    return can_edit(user, lead, period)


def ensure_can_change_status(user: User, lead, period) -> None:
    ensure_can_edit(user, lead, period)
    if lead.status == Lead.Status.WON and not can_reopen_won(user):
        raise PermissionDenied(_("Only a manager can reopen a won customer."))


def can_reopen_won(user: User) -> bool:
    return is_manager_or_admin(user)


def status_choices(user: User, lead, period) -> list[str]:
    """The statuses the user may move the customer to (the page's status control)."""
    if not can_change_status(user, lead, period):
        return []
    if lead.status == Lead.Status.WON and not can_reopen_won(user):
        return []
    return lifecycle.next_statuses(lead.status)


def can_work_deals(user: User, lead, period) -> bool:
    """Add, edit, win and lose a customer's deals: its owner, their manager, an admin; for a
    customer nobody owns, a manager or admin of its pool (whose win then credits nobody)."""
    if period is not None:
        return acts_for(user, period.owner)
    return is_manager_or_admin(user) and in_pool_scope(user, lead)


def ensure_can_work_deals(user: User, lead, period) -> None:
    ensure_can_see(user, lead, period)
    if not can_work_deals(user, lead, period):
        raise NotOwned() if period is None else PermissionDenied(ONLY_OWNER)


def can_correct_credit(user: User, lead, *, settling: bool) -> bool:
    """An admin corrects any won deal's credit; a manager settles a win that credited nobody
    (the customer had no owner), for a customer of their teams' pools."""
    if user.is_admin:
        return True
    return settling and user.is_manager and lead.pool_team_id in managed_team_ids(user)


def ensure_may_correct_credit(user: User, lead, *, settling: bool) -> None:
    if not can_correct_credit(user, lead, settling=settling):
        raise PermissionDenied()


def can_reassign(user: User, lead, period) -> bool:
    return is_manager_or_admin(user) and can_see(user, lead, period)


def ensure_can_reassign(user: User) -> None:
    if not is_manager_or_admin(user):
        raise PermissionDenied()


def ensure_may_receive(actor: User, target: User) -> None:
    """A manager gives customers only to reps and managers of their own teams."""
    if not actor.is_admin and target.team_id not in managed_team_ids(actor):
        raise OutOfScope()


# --- bulk moves (批量转移) ---------------------------------------------------------------------
def can_bulk_reassign(user: User) -> bool:
    """Move many customers at once: managers (their teams' customers) and admins."""
    return is_manager_or_admin(user)


def ensure_can_bulk_reassign(user: User) -> None:
    if not can_bulk_reassign(user):
        raise PermissionDenied()


def may_move_to_pool(user: User, team_id: int | None) -> bool:
    """The pool a manager moves customers into: the public pool or a pool of their teams."""
    return user.is_admin or team_id is None or team_id in managed_team_ids(user)


def bulk_reassignments_q(user: User) -> Q:
    """Which bulk moves a user sees (on BulkReassignment): those they started; all for an
    admin."""
    if user.is_admin:
        return Q()
    return Q(actor_id=user.pk)


def can_see_bulk_reassignment(user: User, job) -> bool:
    return user.is_admin or job.actor_id == user.pk


def can_merge(user: User, lead, period) -> bool:
    return is_manager_or_admin(user) and can_see(user, lead, period)


def ensure_may_merge(user: User) -> None:
    if not is_manager_or_admin(user):
        raise PermissionDenied()


def can_request_transfer(user: User, lead, period) -> bool:
    """Ask for a customer someone else owns (the server re-checks that the asker may know of
    it: see `assignments.services.transfers`)."""
    return may_own(user) and period is not None and period.owner.pk != user.pk


def ensure_may_request_transfer(user: User) -> None:
    if not may_own(user):
        raise CannotRequestTransfer()


def may_ask_for(user: User, lead, period) -> bool:
    """A customer the user may ask for: one they see, or one of a pool they see (trying to
    claim it would tell them who owns it: asking reveals nothing more)."""
    return can_see(user, lead, period) or in_pool_scope(user, lead)


# --- transfer decisions (转移审批) ------------------------------------------------------------
def transfer_requests_q(user: User) -> Q:
    """Which requests a user sees (on TransferRequest): their own; for a manager those for
    their teams' customers and those their reps made; all for an admin."""
    if user.is_admin:
        return Q()
    condition = Q(requester_id=user.pk)
    teams = managed_team_ids(user)
    if teams:
        condition |= Q(owner__team_id__in=teams) | Q(requester__team_id__in=teams)
    return condition


def can_see_transfer_request(user: User, request) -> bool:
    if user.is_admin or request.requester_id == user.pk:
        return True
    teams = managed_team_ids(user)
    return request.owner.team_id in teams or request.requester.team_id in teams


def can_decide_transfer(user: User, request) -> bool:
    """The owner's manager (the owner's side, across teams) or an admin."""
    return manages(user, request.owner)


def ensure_may_decide_transfer(user: User, request) -> None:
    if not can_see_transfer_request(user, request):
        raise NotFound()
    if not can_decide_transfer(user, request):
        raise PermissionDenied(_("Only the owner's manager or an admin decides this request."))


def collisions_q(user: User) -> Q:
    """Which collision records a user sees (on Collision): their own; for a manager also
    those of their teams' reps and those on their teams' reps' customers; all for an admin."""
    if user.is_admin:
        return Q()
    condition = Q(user_id=user.pk)
    teams = managed_team_ids(user)
    if teams:
        condition |= Q(user__team_id__in=teams) | Q(owner__team_id__in=teams)
    return condition


def can_see_lead_collisions(user: User, lead, period) -> bool:
    """A customer's collision records on its page: managers and admins who see it."""
    return is_manager_or_admin(user) and can_see(user, lead, period)


def can_see_transfer_inbox(user: User) -> bool:
    return is_manager_or_admin(user)


def ensure_may_withdraw_transfer(user: User, request) -> None:
    if not can_see_transfer_request(user, request):
        raise NotFound()
    if request.requester_id != user.pk:
        raise PermissionDenied(_("Only the rep who asked can withdraw a request."))


# --- disputes (撞单申诉) ----------------------------------------------------------------------
def disputes_q(user: User) -> Q:
    """Which disputes a user sees (on Dispute): those they filed and those against them; for
    a manager also those of their teams' reps (either side); all for an admin."""
    if user.is_admin:
        return Q()
    condition = Q(claimant_id=user.pk) | Q(owner_id=user.pk)
    teams = managed_team_ids(user)
    if teams:
        condition |= Q(owner__team_id__in=teams) | Q(claimant__team_id__in=teams)
    return condition


def can_see_dispute(user: User, dispute) -> bool:
    if user.is_admin or user.pk in (dispute.claimant_id, dispute.owner_id):
        return True
    teams = managed_team_ids(user)
    return dispute.owner.team_id in teams or dispute.claimant.team_id in teams


def can_rule_dispute(user: User, dispute) -> bool:
    """The owner's manager (the owner's side, across teams) or an admin, as for transfers."""
    return manages(user, dispute.owner)


def can_see_dispute_evidence(user: User, dispute) -> bool:
    """Both reps' records side by side: for the managers who see the dispute and admins, not
    for the reps (neither reads the other's follow-ups)."""
    return is_manager_or_admin(user) and can_see_dispute(user, dispute)


def ensure_may_file_dispute(user: User) -> None:
    if not may_own(user):
        raise PermissionDenied(_("Only sales reps and managers can dispute a customer."))


def ensure_may_rule_dispute(user: User, dispute) -> None:
    if not can_see_dispute(user, dispute):
        raise NotFound()
    if not can_rule_dispute(user, dispute):
        raise PermissionDenied(_("Only the owner's manager or an admin rules on this dispute."))


def ensure_may_withdraw_dispute(user: User, dispute) -> None:
    if not can_see_dispute(user, dispute):
        raise NotFound()
    if dispute.claimant_id != user.pk:
        raise PermissionDenied(_("Only the rep who filed a dispute can withdraw it."))


# --- creating customers ---------------------------------------------------------------------
def owns_what_they_create(user: User) -> bool:
    """A rep's new customer is theirs (and takes a claim slot); a manager's or an admin's
    goes to a pool unless they name an owner."""
    return user.is_rep


def ensure_may_create(actor: User, *, owner_id: int | None, pool_team_id: int | None) -> None:
    """A rep creates only for themself (into their own team's pool); a manager for the reps
    and pools of their teams; an admin for anyone."""
    if actor.is_rep:
        if owner_id not in (None, actor.pk):
            raise PermissionDenied()
    elif actor.is_manager or actor.is_admin:
        if pool_team_id is not None and not actor.is_admin:
            if pool_team_id not in managed_team_ids(actor):
                raise OutOfScope()
    else:
        raise PermissionDenied()


def ensure_may_create_for(actor: User, owner: User) -> None:
    if not actor.is_admin and owner.pk != actor.pk and owner.team_id not in managed_team_ids(actor):
        raise OutOfScope()


def can_import(user: User) -> bool:
    return is_manager_or_admin(user)


def ensure_can_import(user: User) -> None:
    if not can_import(user):
        raise PermissionDenied()


# --- lists and settings ---------------------------------------------------------------------
def can_see_team_lists(user: User) -> bool:
    return is_manager_or_admin(user)


def ensure_can_see_team_lists(user: User) -> None:
    if not can_see_team_lists(user):
        raise PermissionDenied()


# --- the dashboard (经理看板) -------------------------------------------------------------------
def can_see_dashboard(user: User) -> bool:
    """Managers (their teams' numbers) and admins (every team's)."""
    return is_manager_or_admin(user)


def ensure_can_see_dashboard(user: User) -> None:
    if not can_see_dashboard(user):
        raise PermissionDenied()


def dashboard_team_ids(user: User, team_id: int | None) -> set[int] | None:
    """The teams whose numbers `user` may read as asked (`team_id`, or when None all they
    may see); None means every team and everyone (an admin who names no team). A manager
    naming a team they do not run is refused (403, whether it exists or not, so the answer
    tells nothing about other teams); an admin naming no existing team gets a 404."""
    ensure_can_see_dashboard(user)
    if team_id is None:
        return None if user.is_admin else set(managed_team_ids(user))
    if user.is_admin:
        if not Team.objects.filter(pk=team_id).exists():
            raise NotFound()
        return {team_id}
    if team_id not in managed_team_ids(user):
        raise OutOfScope()
    return {team_id}


def can_administer(user: User) -> bool:
    """Users, teams, policies and the Django admin: admins."""
    return user.is_admin


def can_change_policies(user: User | None) -> bool:
    """Admins; None is the system (migrations, tests, scripts)."""
    return user is None or can_administer(user)


def ensure_can_change_policies(user: User | None) -> None:
    if not can_change_policies(user):
        raise PermissionDenied()


def can_read_team_policy(user: User, team) -> bool:
    return user.is_admin or user.team_id == team.pk or team.pk in managed_team_ids(user)


# --- territory rules (分配规则) ----------------------------------------------------------------
def can_manage_rules(user: User | None) -> bool:
    """Create, change, reorder, delete and preview territory rules: admins; None is the
    system (migrations, tests, scripts)."""
    return user is None or user.is_admin


def ensure_may_manage_rules(user: User | None) -> None:
    if not can_manage_rules(user):
        raise PermissionDenied(_("Only an admin can change the territory rules."))


def can_read_rules(user: User) -> bool:
    """The rules as stored (the API's list): managers and admins."""
    return is_manager_or_admin(user)


def ensure_may_read_rules(user: User) -> None:
    if not can_read_rules(user):
        raise PermissionDenied()
