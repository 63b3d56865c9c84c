from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

POLICY_FIELDS = (
    "claim_limit",
    "protection_period",
    "followup_extension",
    "max_protection",
    "cooldown",
)

# The longest duration a policy may hold (3650 days): a date ten years out is still a date;
# P9999999D added to now is an OverflowError.
MAX_POLICY_DURATION = timedelta(days=3650)


class PoolPolicy(models.Model):
    """The global default (team empty) or a team's override. On a team policy an empty field
    means "inherit the global value"."""

    team = models.OneToOneField(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pool_policy",
    )
    claim_limit = models.PositiveIntegerField(_("claim limit"), null=True, blank=True)
    protection_period = models.DurationField(_("protection period"), null=True, blank=True)
    followup_extension = models.DurationField(_("extension per follow-up"), null=True, blank=True)
    max_protection = models.DurationField(_("maximum protection"), null=True, blank=True)
    cooldown = models.DurationField(_("cooldown after losing a lead"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pool policy")
        verbose_name_plural = _("pool policies")
        constraints = [
            # Exactly one global policy (team empty); at most one per team.
            models.UniqueConstraint(Coalesce("team", 0), name="one_policy_per_scope"),
            models.CheckConstraint(
                condition=Q(team__isnull=False)
                | Q(
                    claim_limit__isnull=False,
                    protection_period__isnull=False,
                    followup_extension__isnull=False,
                    max_protection__isnull=False,
                    cooldown__isnull=False,
                ),
                name="global_policy_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(self.team) if self.team_id else str(_("Global policy"))


DEFAULT_POLICY = {
    "claim_limit": 30,
    "protection_period": timedelta(days=7),
    "followup_extension": timedelta(days=3),
    "max_protection": timedelta(days=30),
    "cooldown": timedelta(days=3),
}


class Ownership(models.Model):
    """One period during which one rep owned one lead. The period with no `ended_at` is the
    open one; whether its owner still owns the lead (its protection, a won customer) is
    decided in one place, `assignments.live`, which every reader uses."""

    class EndKind(models.TextChoices):
        RELEASE = "release", _("Released")
        EXPIRE = "expire", _("Expired")
        REASSIGN = "reassign", _("Reassigned")
        MERGE = "merge", _("Merged")
        TRANSFER = "transfer", _("Transferred")

    # No single-column FK indexes: the composite and partial indexes below serve every read,
    # and each index is rewritten when a claim ends (the recycle sweep and claims pay for it).
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.PROTECT, related_name="ownerships", db_index=False
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="ownerships",
        db_index=False,
    )
    started_at = models.DateTimeField(default=timezone.now)
    protected_until = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_kind = models.CharField(max_length=10, choices=EndKind.choices, blank=True)

    class Meta:
        verbose_name = _("ownership")
        verbose_name_plural = _("ownerships")
        constraints = [
            # Rule 1 in the database: at most one open ownership period per lead.
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(ended_at__isnull=True),
                name="one_open_ownership_per_lead",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="ownership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(protected_until__gt=models.F("started_at")),
                name="ownership_protected_after_start",
            ),
        ]
        indexes = [
            # Live claims of one rep (claim limit) and the rep's own list.
            # The claim limit counts a rep's held slots from this index alone (lead_id is
            # there to skip won customers through `lead_won` without reading either table).
            models.Index(
                fields=["owner", "protected_until"],
                condition=Q(ended_at__isnull=True),
                include=["lead"],
                name="ownership_open_by_owner",
            ),
            # Recycling: open periods ordered by expiry. Empty sweeps stay ~0.3 ms.
            models.Index(
                fields=["protected_until"],
                condition=Q(ended_at__isnull=True),
                name="ownership_open_by_expiry",
            ),
            # Cooldown: when did this rep last lose this lead.
            models.Index(fields=["lead", "owner", "ended_at"], name="ownership_lead_owner"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.lead_id} → {self.owner_id} [{self.started_at:%Y-%m-%d}, {self.ended_at or '…'})"
        )


class OwnershipEvent(models.Model):
    """The append-only ownership history: one row per change of owner, written in the same
    transaction as the change. A database trigger refuses UPDATE and DELETE."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Claimed")
        RELEASE = "release", _("Released")
        EXPIRE = "expire", _("Expired")
        REASSIGN = "reassign", _("Reassigned")
        ASSIGN = "assign", _("Assigned")
        MERGE = "merge", _("Merged")
        # A manager approved a transfer request (`details` names the request).
        TRANSFER = "transfer", _("Transferred")
        # Not a change of owner: a creation or edit that overrode possible duplicates.
        CONFIRM = "confirm", _("Possible duplicate confirmed")
        # Not a change of owner: territory rules sent a new customer to a pool (`details`
        # explain which rule and why; an owner chosen by the rules is an `assign`).
        ROUTE = "route", _("Routed to a pool")

    # Read by lead (the (lead, at) index) or by new owner; the other FK indexes would only
    # slow the inserts of every claim and every recycled lead.
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.PROTECT, related_name="ownership_events", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Empty actor means the system (a background job or a rule).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ownership event")
        verbose_name_plural = _("ownership history")
        indexes = [
            models.Index(fields=["lead", "at"], name="event_lead_at"),
            # The dashboard's weeks of claims, releases, expiries and pool flow: a range of
            # `at` read from the index alone.
            models.Index(
                fields=["at"], include=["kind", "from_owner", "to_owner"], name="event_at_kinds"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.lead_id}"


class TransferRequest(models.Model):
    """A rep asks for a customer another rep owns (转移申请; typically after a refused claim
    or a `duplicate_owned` refusal), for the owner's manager to decide. Approving moves the
    customer under the lead's row lock; a request whose owner no longer holds the customer
    is closed as `stale` when that happens (see `assignments.services.transfers`)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("transfer request", "Pending")
        APPROVED = "approved", pgettext_lazy("transfer request", "Approved")
        REJECTED = "rejected", pgettext_lazy("transfer request", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("transfer request", "Withdrawn")
        STALE = "stale", pgettext_lazy("transfer request", "Owner changed")

    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.PROTECT, related_name="transfer_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="transfer_requests",
        db_index=False,  # (requester, created_at) below serves it
    )
    # Who owned the lead when the request was made.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    # What the rep tried to create when the duplicate check sent them here.
    attempted = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The decision: who (empty when the system closed it as stale), when, and why.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    # Approved above the requester's claim limit.
    override_limit = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "requester"],
                condition=Q(status="pending"),
                name="transfer_one_pending_per_rep",
            ),
            # Decided exactly when no longer pending.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="transfer_decided_when_closed",
            ),
        ]
        indexes = [
            # Inboxes and their counts read pending requests by owner.
            models.Index(
                fields=["owner", "created_at"],
                condition=Q(status="pending"),
                name="transfer_pending_by_owner",
            ),
            models.Index(fields=["requester", "created_at"], name="transfer_by_requester"),
        ]

    def __str__(self) -> str:
        return f"#{self.lead_id} → {self.requester_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Dispute(models.Model):
    """A dispute (撞单申诉): a rep who believes a customer another rep owns is theirs files a
    statement, with their own record of the same customer when they have one; the owner's
    manager (or an admin) weighs both reps' evidence side by side and rules. The ruling is
    final: on PostgreSQL a trigger refuses any change to a ruled dispute and any deletion;
    the history records and credit entries it causes name it."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("dispute", "Open")
        RULED = "ruled", pgettext_lazy("dispute", "Ruled")
        WITHDRAWN = "withdrawn", pgettext_lazy("dispute", "Withdrawn")
        STALE = "stale", pgettext_lazy("dispute", "Owner changed")

    class Ruling(models.TextChoices):
        KEEP = "keep", _("Keep with the owner")
        TRANSFER = "transfer", _("Transfer to the claimant")
        POOL = "pool", _("Return to the pool")
        MERGE = "merge", _("Merge the records")

    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="disputes")
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="disputes",
        db_index=False,  # (claimant, filed_at) below serves it
    )
    # Who owned the customer when the dispute was filed.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The claimant's own record of the same customer, if they have one.
    record = models.ForeignKey(
        "leads.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    statement = models.TextField(_("statement"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    filed_at = models.DateTimeField(default=timezone.now)
    # The ruling: what, by whom, when, why, and the credit split it wrote ([{rep, share}]).
    ruling = models.CharField(_("ruling"), max_length=10, choices=Ruling.choices, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    ruling_reason = models.TextField(_("reason"), blank=True)
    credit_split = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["lead", "claimant"],
                condition=Q(status="open"),
                name="dispute_one_open_per_rep",
            ),
            # Ruled exactly when it says what was ruled.
            models.CheckConstraint(
                condition=Q(status="ruled", ruled_at__isnull=False) & ~Q(ruling="")
                | ~Q(status="ruled") & Q(ruling=""),
                name="dispute_ruled_when_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["owner", "filed_at"], condition=Q(status="open"), name="dispute_open"
            ),
            models.Index(fields=["claimant", "filed_at"], name="dispute_by_claimant"),
        ]

    def __str__(self) -> str:
        return f"#{self.lead_id} ← {self.claimant_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Collision(models.Model):
    """The collision log (撞单记录): a refused claim, or a create or edit refused (or
    confirmed) because the customer already exists. Written after the refused transaction
    rolled back, in its own short one. Keeps no more than the refusal showed: who owned the
    customer, the duplicate check's reasons, and what identifies the attempted customer
    (name, city, registration code, website; never a phone number or an e-mail)."""

    class Code(models.TextChoices):
        ALREADY_OWNED = "already_owned", _("Claim refused: already owned")
        DUPLICATE_OWNED = "duplicate_owned", _("Duplicate of another rep's customer")
        DUPLICATE_IN_POOL = "duplicate_in_pool", _("Duplicate of a pool customer")
        DUPLICATE_OWN = "duplicate_own", _("Duplicate of one's own customer")
        POSSIBLE_DUPLICATE = "possible_duplicate", _("Possible duplicate")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The existing customer the attempt collided with.
    lead = models.ForeignKey(
        "leads.Lead", on_delete=models.PROTECT, related_name="collisions", db_index=False
    )
    # Its owner as the refusal named them (empty: in the pool).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    code = models.CharField(max_length=20, choices=Code.choices)
    # Duplicates: the attempted identity and the check's reasons (same_phone, ...).
    attempted = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    # A possible duplicate the user confirmed as a different customer (nothing was refused).
    confirmed = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("collision")
        verbose_name_plural = _("collision log")
        indexes = [
            models.Index(fields=["lead", "at"], name="collision_lead_at"),
            models.Index(fields=["user", "at"], name="collision_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.code} #{self.lead_id} by {self.user_id}"


class Collaborator(models.Model):
    """A colleague the owner invited to help on a customer (协作人) during one claim: they see
    it in full and log follow-ups (which never extend the owner's protection), without owning
    it. Tied to the owner's ownership period: when that period ends, so does the help."""

    period = models.ForeignKey(Ownership, on_delete=models.PROTECT, related_name="collaborators")
    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="collaborators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collaborations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "user"],
                condition=Q(removed_at__isnull=True),
                name="collaborator_once_per_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "lead"],
                condition=Q(removed_at__isnull=True),
                name="collaborator_active_by_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} helps on #{self.lead_id}"


class CreditAgreement(models.Model):
    """How a win's credit will be shared (业绩分配约定), agreed before the win: the owner proposes
    shares for themself and their collaborators (summing to 100%), the owner's manager approves
    or rejects. At most one is in force: the approved one of the owner's current claim."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Superseded")

    period = models.ForeignKey(Ownership, on_delete=models.PROTECT, related_name="agreements")
    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="agreements")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("credit agreement")
        verbose_name_plural = _("credit agreements")
        constraints = [
            # One open proposal and one agreement in force per claim.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status="proposed"),
                name="agreement_one_proposal_per_period",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status="approved"),
                name="agreement_one_in_force_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.lead_id} {self.status}"


class CreditAgreementShare(models.Model):
    agreement = models.ForeignKey(CreditAgreement, on_delete=models.CASCADE, related_name="shares")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-share", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "rep"], name="agreement_share_once"),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100), name="agreement_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep_id}: {self.share}%"


class Credit(models.Model):
    """The credit ledger (业绩): who earned which share of a won deal. Written in the win's
    transaction, under the lead's row lock, from the ownership history — never typed in.
    Append-only (a trigger refuses UPDATE and DELETE on PostgreSQL): a correction or a
    settlement appends a reversal of the entries in force and new shares summing to 100%."""

    class Kind(models.TextChoices):
        WIN = "win", _("Win")
        REVERSAL = "reversal", _("Reversal")
        CORRECTION = "correction", _("Correction")

    deal = models.ForeignKey("leads.Deal", on_delete=models.PROTECT, related_name="credits")
    lead = models.ForeignKey("leads.Lead", on_delete=models.PROTECT, related_name="credits")
    # Empty: nobody owned the customer at the win (for a manager to settle).
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credits",
        db_index=False,
    )
    # The rep's team when the credit was written (results by team).
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Percent of the deal; negative on a reversal.
    share = models.DecimalField(max_digits=6, decimal_places=2)
    amount = models.DecimalField(max_digits=16, decimal_places=2)
    currency = models.CharField(max_length=3)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The history record that made the credited owner the owner (wins), so the credit can be
    # checked against the history.
    ownership_event = models.ForeignKey(
        OwnershipEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        CreditAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The dispute whose ruling split this credit (撞单申诉).
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # Empty means the system (a win credits by the record, not by anyone's choice).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    # When the deal was won (results are counted by it) and when this entry was written.
    won_at = models.DateTimeField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        indexes = [
            models.Index(fields=["rep", "won_at"], name="credit_rep_won_at"),
            # A rep's entries, newest first (the credits API's cursor order).
            models.Index(fields=["rep", "id"], name="credit_rep_id"),
            models.Index(fields=["team", "won_at"], name="credit_team_won_at"),
            models.Index(fields=["deal", "at"], name="credit_deal_at"),
            models.Index(fields=["won_at"], name="credit_won_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.deal_id} → {self.rep_id}: {self.share}%"


class TerritoryRule(models.Model):
    """One territory rule (分配规则): conditions on a new customer (all must hold) and where a
    customer that meets them goes. Rules are tried in `position` order; the first that
    matches decides (`assignments.territory`). `version` counts the rule's saved changes: the
    history of every customer it routed names the version that routed it."""

    class Target(models.TextChoices):
        REP = "rep", _("A named rep")
        ROUND_ROBIN = "round_robin", _("A team, round robin")
        LEAST_LOADED = "least_loaded", _("A team, least loaded rep")
        TEAM_POOL = "team_pool", _("A team's pool")
        PUBLIC_POOL = "public_pool", _("The public pool")

    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # [{"field": "province", "op": "in", "value": ["浙江", "江苏"]}, ...] (validated by
    # `assignments.territory.conditions`).
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    target_kind = models.CharField(_("target"), max_length=16, choices=Target.choices)
    target_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    target_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="territory_rules",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("territory rule")
        verbose_name_plural = _("territory rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_kind="rep") & Q(target_rep__isnull=False))
                | (
                    Q(target_kind__in=["round_robin", "least_loaded", "team_pool"])
                    & Q(target_rep__isnull=True, target_team__isnull=False)
                )
                | (
                    Q(target_kind="public_pool")
                    & Q(target_rep__isnull=True, target_team__isnull=True)
                ),
                name="territory_rule_target_complete",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TerritoryRuleChange(models.Model):
    """Every change of the territory rules: who, when, what the rule was before and after
    (a reordering records the order before and after)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        REORDER = "reorder", _("Reordered")

    action = models.CharField(max_length=8, choices=Action.choices)
    # No foreign key: the record outlives a deleted rule.
    rule_id = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("territory rule change")
        verbose_name_plural = _("territory rule changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.rule_id}"


class RoutingState(models.Model):
    """A team's round-robin cursor: the rep the rules gave the last customer. Its row is the
    lock that serialises routing into the team (lock order: routing state, the chosen rep's
    row, the duplicate-key locks, the lead row)."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.team_id} → {self.last_rep_id}"


class BulkReassignment(models.Model):
    """A manager's bulk move (批量转移): many customers to one rep, round robin over chosen
    reps, or into a pool, with one reason, run in the background (see
    `assignments.services.bulk_reassign`). The leads and each one's owner at submission are
    its items, written when the job is submitted; each item records its outcome in the same
    transaction as its lead's move, so a worker killed mid-job resumes at the first pending
    item and moves nothing twice."""

    class Target(models.TextChoices):
        REP = "rep", _("A rep")
        ROUND_ROBIN = "round_robin", _("Round robin over chosen reps")
        POOL = "pool", _("A pool")

    class State(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("bulk move", "Queued")
        RUNNING = "running", pgettext_lazy("bulk move", "Running")
        DONE = "done", pgettext_lazy("bulk move", "Done")
        FAILED = "failed", pgettext_lazy("bulk move", "Stopped")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reason = models.TextField(_("reason"))
    target_kind = models.CharField(_("move to"), max_length=12, choices=Target.choices)
    # The reps, in the order the rotation takes them (one for `rep`).
    target_reps = models.JSONField(default=list, blank=True)
    # A pool target: the team's pool, or the public pool when empty.
    target_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Each move above the new owner's claim limit is recorded as such in its history record.
    override_limit = models.BooleanField(default=False)
    # What was selected: {"lead_ids": n} or {"filter": {...}} as submitted.
    source = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Round robin: how many leads the rotation has handed out (the next rep is this modulo
    # the number of reps), kept with the moves so that a resumed job continues the rotation.
    rotation = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with every chunk: a job queued or running whose heartbeat is old has lost its
    # worker (or its message) and is queued again by the periodic resume job.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    # Why a job stopped before its end (state `failed`).
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bulk move")
        verbose_name_plural = _("bulk moves")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total__gte=models.F("moved") + models.F("skipped") + models.F("failed")
                ),
                name="bulk_counts_add_up",
            ),
            models.CheckConstraint(
                condition=(Q(target_kind="pool") | Q(target_team__isnull=True)),
                name="bulk_team_only_for_pool",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="bulk_by_actor"),
            # The resume job reads the unfinished jobs only.
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(state__in=["queued", "running"]),
                name="bulk_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.target_kind} ({self.state})"

    @property
    def processed(self) -> int:
        return self.moved + self.skipped + self.failed

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return self.processed * 100 // self.total


class BulkReassignmentItem(models.Model):
    """One lead of a bulk move and what happened to it: pending until the job reaches it,
    then moved (with the history record of the move), skipped (its owner changed since the
    job was submitted, or there was nothing to do) or failed (with why)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("bulk move item", "Pending")
        MOVED = "moved", pgettext_lazy("bulk move item", "Moved")
        SKIPPED = "skipped", pgettext_lazy("bulk move item", "Skipped")
        FAILED = "failed", pgettext_lazy("bulk move item", "Failed")

    job = models.ForeignKey(
        BulkReassignment, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    position = models.PositiveIntegerField()
    # No database constraint: an id submitted that names no customer at all is reported (as
    # `not_found`, like one the manager may not see) instead of refusing the whole job.
    # Customers are never deleted, so every other item names one.
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The live owner when the job was submitted (empty: in a pool); a different owner when
    # the job reaches the lead means it changed meanwhile, and the lead is skipped.
    owner_before = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    code = models.CharField(max_length=32, blank=True)
    detail = models.TextField(blank=True)
    # The owner the move gave it (empty: into a pool, or not moved).
    owner_after = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The history record of the move.
    event = models.ForeignKey(
        OwnershipEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        verbose_name = _("bulk move item")
        verbose_name_plural = _("bulk move items")
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="bulk_item_position"),
            # A lead once per job: it is moved at most once by it.
            models.UniqueConstraint(fields=["job", "lead"], name="bulk_item_lead_once"),
            models.CheckConstraint(
                condition=Q(outcome="pending", processed_at__isnull=True)
                | (~Q(outcome="pending") & Q(processed_at__isnull=False)),
                name="bulk_item_processed_when_done",
            ),
            # Moved exactly when there is the history record of the move.
            models.CheckConstraint(
                condition=Q(outcome="moved", event__isnull=False)
                | (~Q(outcome="moved") & Q(event__isnull=True)),
                name="bulk_item_moved_has_event",
            ),
        ]
        indexes = [
            # The next chunk of a job: its pending items in order.
            models.Index(
                fields=["job", "position"],
                condition=Q(outcome="pending"),
                name="bulk_item_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.job_id}/{self.position} lead {self.lead_id}: {self.outcome}"


class ImportJob(models.Model):
    """An uploaded list of customers (导入) created row by row in the background (see
    `assignments.services.import_jobs`). The file is parsed when it is uploaded and its rows
    are stored with the job, so any worker on any machine can run it; each row's creation and
    its report line are written in one transaction, so a worker killed mid-job resumes at the
    first pending row and creates nothing twice. A page upload waits as a draft until its
    columns are mapped; an API upload starts at once."""

    class Destination(models.TextChoices):
        ROUTING = "routing", _("Route by the territory rules")
        PUBLIC_POOL = "public_pool", _("The public pool")
        TEAM_POOL = "team_pool", _("A team's pool")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("import", "Waiting for its columns")
        QUEUED = "queued", pgettext_lazy("import", "Queued")
        RUNNING = "running", pgettext_lazy("import", "Running")
        DONE = "done", pgettext_lazy("import", "Done")
        FAILED = "failed", pgettext_lazy("import", "Stopped")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=8)  # csv | xlsx
    # How the CSV was read (utf-8, utf-8-sig, gb18030); empty for XLSX.
    encoding = models.CharField(max_length=16, blank=True)
    # The header row as in the file, and the field each column goes to ("" ignores it).
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    destination = models.CharField(
        max_length=12, choices=Destination.choices, default=Destination.ROUTING
    )
    pool_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirm_weak_duplicates = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    total = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with every chunk: a queued or running job whose heartbeat is old has lost its
    # worker (or its message) and is queued again by the periodic resume job.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    total__gte=models.F("created")
                    + models.F("duplicates")
                    + models.F("invalid")
                    + models.F("failed")
                ),
                name="import_counts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(destination="team_pool", pool_team__isnull=False)
                | (~Q(destination="team_pool") & Q(pool_team__isnull=True)),
                name="import_team_only_for_team_pool",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="import_by_actor"),
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(state__in=["queued", "running"]),
                name="import_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} ({self.state})"

    @property
    def processed(self) -> int:
        return self.created + self.duplicates + self.invalid + self.failed

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return self.processed * 100 // self.total


class ImportRow(models.Model):
    """One data row of an import, as read from the file (`cells`, in the file's column
    order), and what became of it: pending until the job reaches it, then created (the
    customer, and the owner or pool it went to), duplicate (of which customer, owned by
    whom), invalid (which field, why) or failed."""

    class Outcome(models.TextChoices):
        PENDING = "pending", pgettext_lazy("import row", "Pending")
        CREATED = "created", pgettext_lazy("import row", "Created")
        DUPLICATE = "duplicate", pgettext_lazy("import row", "Duplicate")
        INVALID = "invalid", pgettext_lazy("import row", "Invalid")
        FAILED = "failed", pgettext_lazy("import row", "Failed")

    job = models.ForeignKey(
        ImportJob, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    # 1-based, as a spreadsheet numbers data rows below the header.
    number = models.PositiveIntegerField()
    cells = models.JSONField(default=list)
    outcome = models.CharField(max_length=9, choices=Outcome.choices, default=Outcome.PENDING)
    code = models.CharField(max_length=32, blank=True)
    detail = models.TextField(blank=True)
    # Created: the customer and where it went (an owner, or the pool of `pool_team`, or the
    # public pool when both are empty).
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    pool_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Duplicate: the matches as the importer was shown them (customer, company, owner).
    matches = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_row_number"),
            models.CheckConstraint(
                condition=Q(outcome="pending", processed_at__isnull=True)
                | (~Q(outcome="pending") & Q(processed_at__isnull=False)),
                name="import_row_processed_when_done",
            ),
            # Created exactly when there is the customer.
            models.CheckConstraint(
                condition=Q(outcome="created", lead__isnull=False)
                | (~Q(outcome="created") & Q(lead__isnull=True)),
                name="import_row_created_has_lead",
            ),
        ]
        indexes = [
            models.Index(
                fields=["job", "number"],
                condition=Q(outcome="pending"),
                name="import_row_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.job_id}/{self.number}: {self.outcome}"
