"""Seeding the demo: create the planned customers through the services (so every claim has
its history), then let the demo reps claim some and log follow-ups on them.

Each service call is its own durable transaction: call `seed_demo_leads` outside any
`transaction.atomic` block."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from accounts.models import Team, User
from leads.models import Lead

from ..exceptions import (
    AlreadyOwned,
    ClaimLimitReached,
    DuplicateFound,
    InCooldown,
    PossibleDuplicate,
)
from ..services import claim_lead, create_lead, log_followup
from .plan import LeadSpec, build_plan


@dataclass
class SeedResult:
    created: int = 0
    existing: int = 0
    claimed: int = 0
    claims_refused: int = 0
    followups: int = 0
    duplicates_skipped: int = 0


def _give_statuses(created: list[tuple["LeadSpec", Lead]], *, claimed: set[int]) -> None:
    """Demo data only: every customer starts as `new`, and no page or API changes a status
    yet (the customer lifecycle is still to be built), so the demo sets its planned statuses
    directly, after the claims. A customer planned for a rep whose claim was refused stays
    `new` (a won customer always has its owner)."""
    by_status: dict[str, list[int]] = {}
    for spec, lead in created:
        if spec.claim_by is None or lead.pk in claimed:
            by_status.setdefault(spec.fields["status"], []).append(lead.pk)
    for status, lead_ids in by_status.items():
        if status != Lead.Status.NEW:
            Lead.objects.filter(pk__in=lead_ids).update(status=status)


def seed_demo_leads(
    *,
    admin: User,
    teams: Sequence[Team],
    reps: Sequence[User],
    log: Callable[[str], None] | None = None,
) -> SeedResult:
    """Create the demo leads that do not exist yet (pool leads by the admin, team-pool leads by
    each team's manager), then let the reps claim some and log follow-ups on them."""
    team_index = {team.pk: i for i, team in enumerate(teams)}
    specs = build_plan(
        team_count=len(teams), rep_teams=[team_index.get(rep.team_id) for rep in reps]
    )
    names = [s.fields["company_name"] for s in specs]
    existing = set(
        Lead.objects.filter(company_name__in=names).values_list("company_name", flat=True)
    )
    result = SeedResult(existing=len(existing))

    created: list[tuple[LeadSpec, Lead]] = []
    for spec in specs:
        if spec.fields["company_name"] in existing:
            continue
        team = teams[spec.pool] if spec.pool is not None else None
        actor = team.manager if team is not None and team.manager is not None else admin
        fields = {k: v for k, v in spec.fields.items() if k != "status"}
        arguments = {
            "actor": actor,
            "contacts": spec.contacts,
            "pool_team_id": team.pk if team is not None else None,
            **fields,
        }
        try:
            lead = create_lead(**arguments)
        except PossibleDuplicate:
            # Look-alike names happen in real lists too: confirmed, and so recorded.
            lead = create_lead(confirm_duplicate=True, **arguments)
        except DuplicateFound:
            result.duplicates_skipped += 1
            continue
        created.append((spec, lead))
    result.created = len(created)

    claimed: set[int] = set()
    for spec, lead in created:
        if spec.claim_by is None:
            continue
        rep = reps[spec.claim_by]
        try:
            claim_lead(lead_id=lead.pk, actor=rep)
        except (ClaimLimitReached, AlreadyOwned, InCooldown):
            result.claims_refused += 1
            continue
        result.claimed += 1
        claimed.add(lead.pk)
        for followup in spec.followups:
            log_followup(lead_id=lead.pk, actor=rep, **followup)
            result.followups += 1
    _give_statuses(created, claimed=claimed)

    if log is not None:
        if result.created:
            log(
                f"Demo leads: {result.created} created ({result.existing} already there), "
                f"{result.claimed} claimed by reps ({result.claims_refused} refused), "
                f"{result.followups} follow-ups."
            )
        else:
            log(f"Demo leads: all {result.existing} already there, nothing created.")
    return result
