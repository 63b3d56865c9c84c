"""Seeding the demo: create the planned customers through the services (so every claim has
its history), then let the demo reps claim some and log follow-ups on them.

Each service call is its own durable transaction: call `seed_demo_leads` outside any
`transaction.atomic` block."""

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Team, User
from leads.models import Lead
from leads.selectors import list_lost_reasons

from ..exceptions import (
    AlreadyOwned,
    ClaimLimitReached,
    DuplicateFound,
    InCooldown,
    PossibleDuplicate,
)
from ..services import (
    change_status,
    claim_lead,
    create_deal,
    create_lead,
    file_dispute,
    log_followup,
    request_transfer,
    win_deal,
)
from .plan import LeadSpec, build_plan


@dataclass
class SeedResult:
    created: int = 0
    existing: int = 0
    claimed: int = 0
    claims_refused: int = 0
    followups: int = 0
    duplicates_skipped: int = 0
    won: int = 0
    transfer_requests: int = 0
    disputes: int = 0


def _advance(created: list[tuple[LeadSpec, Lead]], *, claimed: dict[int, User], admin: User) -> int:
    """Move the customers to their planned statuses through the lifecycle: a won one by a
    won deal (so its credit is on record), a lost one with a reason. Pool customers are
    moved by the admin; a customer planned for a rep whose claim was refused stays new.
    Returns how many deals were won."""
    reason = list_lost_reasons().first()
    won = 0
    for spec, lead in created:
        status = spec.fields["status"]
        if status == Lead.Status.NEW or (spec.claim_by is not None and lead.pk not in claimed):
            continue
        actor = claimed.get(lead.pk, admin)
        if status == Lead.Status.WON:
            # A stable amount per customer: 5,000 to 500,000 in steps of 1,000.
            amount = Decimal(5000 + (zlib.crc32(lead.company_name.encode()) % 496) * 1000)
            deal = create_deal(lead_id=lead.pk, actor=actor, title=_deal_title(lead), amount=amount)
            win_deal(deal_id=deal.pk, actor=actor)
            won += 1
        elif status == Lead.Status.LOST:
            change_status(
                lead_id=lead.pk,
                actor=actor,
                status=status,
                reason="No budget this year.",
                lost_reason_id=reason.pk,
            )
        else:
            change_status(lead_id=lead.pk, actor=actor, status=status)
    return won


def _dispute_one(claimed: dict[int, User], reps: Sequence[User]) -> int:
    """A rep's claim on a won customer a teammate holds is refused (the collision log keeps
    it); they dispute it, so the managers have a dispute (撞单申诉) to rule on, with a credit
    to split. Returns how many disputes were filed (0 or 1)."""
    won = Lead.objects.filter(pk__in=claimed, status=Lead.Status.WON)
    for lead in won.order_by("-pk"):
        owner = claimed[lead.pk]
        claimant = next((r for r in reps if r.team_id == owner.team_id and r.pk != owner.pk), None)
        if claimant is None:
            continue
        try:
            claim_lead(lead_id=lead.pk, actor=claimant)
        except AlreadyOwned:
            file_dispute(
                lead_id=lead.pk,
                actor=claimant,
                statement="这家客户是我去年在行业展会上开发的，报价单也是我发的。",
            )
            return 1
    return 0


def _ask_for_one(claimed: dict[int, User], reps: Sequence[User]) -> int:
    """One rep asks for a customer a teammate holds, so the managers' inbox (待审批) has a
    request to decide. Returns how many requests were made (0 or 1)."""
    open_leads = Lead.objects.filter(pk__in=claimed).exclude(status=Lead.Status.WON)
    for lead in open_leads.order_by("pk"):
        owner = claimed[lead.pk]
        asker = next((r for r in reps if r.team_id == owner.team_id and r.pk != owner.pk), None)
        if asker is not None:
            request_transfer(
                lead_id=lead.pk,
                actor=asker,
                reason="我上个月在展会上见过他们的采购负责人，一直在跟进。",
            )
            return 1
    return 0


def _deal_title(lead: Lead) -> str:
    return (
        "年度服务合同"
        if any("\u4e00" <= ch <= "\u9fff" for ch in lead.company_name)
        else ("Annual service contract")
    )


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

    claimed: dict[int, User] = {}
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
        claimed[lead.pk] = rep
        for followup in spec.followups:
            log_followup(lead_id=lead.pk, actor=rep, **followup)
            result.followups += 1
    result.won = _advance(created, claimed=claimed, admin=admin)
    result.transfer_requests = _ask_for_one(claimed, reps)
    result.disputes = _dispute_one(claimed, reps)

    if log is not None:
        if result.created:
            log(
                f"Demo leads: {result.created} created ({result.existing} already there), "
                f"{result.claimed} claimed by reps ({result.claims_refused} refused), "
                f"{result.followups} follow-ups, {result.won} deals won, "
                f"{result.transfer_requests} transfer request to decide, "
                f"{result.disputes} dispute to rule on."
            )
        else:
            log(f"Demo leads: all {result.existing} already there, nothing created.")
    return result
