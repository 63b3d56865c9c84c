"""The duplicate check as people see it: the records' matches (`leads.dedupe`) with who owns
each of them now, by the one definition of a live owner (`assignments.live`)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from leads.dedupe.identity import Identity, identity_of_lead
from leads.dedupe.matching import STRONG, Match, MatchedLead
from leads.dedupe.matching import find_duplicates as find_matching_records
from leads.models import Lead

from .. import live
from ..models import Ownership


@dataclass(frozen=True, slots=True)
class MatchOwner:
    """Just what a duplicate notice shows and the access rules need."""

    pk: int
    display_name: str
    team_id: int | None


@dataclass(frozen=True, slots=True)
class MatchPeriod:
    owner: MatchOwner
    started_at: datetime
    protected_until: datetime

    @property
    def owner_id(self) -> int:
        return self.owner.pk


@dataclass(frozen=True)
class OwnedMatch:
    """A match and the live ownership of the matched customer (None: in the pool)."""

    match: Match
    period: MatchPeriod | None

    @property
    def lead(self) -> MatchedLead:
        return self.match.lead

    @property
    def level(self) -> str:
        return self.match.level

    @property
    def strong(self) -> bool:
        return self.match.level == STRONG

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def reasons(self) -> list[str]:
        return self.match.reasons

    @property
    def owner(self) -> MatchOwner | None:
        return self.period.owner if self.period else None

    @property
    def protected_until(self) -> datetime | None:
        return self.period.protected_until if self.period else None

    def as_dict(self) -> dict:
        """As the API shows it: who owns the customer and until when, never its contact
        details."""
        owner = self.owner
        return {
            "lead": self.lead.pk,
            "company_name": self.lead.company_name,
            "city": self.lead.city,
            "level": self.level,
            "score": self.score,
            "reasons": self.reasons,
            "owner": {"id": owner.pk, "display_name": owner.display_name} if owner else None,
            "protected_until": self.protected_until,
        }


def find_duplicates(
    identity: Identity, *, exclude: tuple[int, ...] = (), now: datetime | None = None
) -> list[OwnedMatch]:
    """Strong matches first, then weak, each by score, with their live owners."""
    matches = find_matching_records(identity, exclude=exclude)
    if not matches:
        return []
    now = now or timezone.now()
    status = {m.lead.pk: m.lead.status for m in matches}
    # One probe of the one-open-period-per-lead index per candidate.
    open_periods = Ownership.objects.filter(lead_id__in=list(status), ended_at__isnull=True)
    periods = {}
    for lead_id, owner_id, name, team_id, started, until in open_periods.values_list(
        "lead_id",
        "owner_id",
        "owner__display_name",
        "owner__team_id",
        "started_at",
        "protected_until",
    ):
        if live.is_live(protected_until=until, lead_status=status[lead_id], now=now):
            periods[lead_id] = MatchPeriod(
                owner=MatchOwner(pk=owner_id, display_name=name, team_id=team_id),
                started_at=started,
                protected_until=until,
            )
    return [OwnedMatch(match=m, period=periods.get(m.lead.pk)) for m in matches]


def find_duplicates_of_lead(lead: Lead) -> list[OwnedMatch]:
    """The other records that look like a stored lead (what a manager merges from)."""
    return find_duplicates(identity_of_lead(lead), exclude=(lead.pk,))
