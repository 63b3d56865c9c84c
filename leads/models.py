from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def default_country() -> str:
    return settings.DEFAULT_COUNTRY


def default_currency() -> str:
    return settings.DEFAULT_CURRENCY


class BilingualLabel(models.Model):
    """An entry of a list admins edit (lost reasons, deal stages): a label in each language,
    shown in the reader's language."""

    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (translation.get_language() or "").startswith("zh") and self.name_zh:
            return self.name_zh
        return self.name_en or self.name_zh


class Lead(models.Model):
    """One real-world customer: the unit of ownership. Who owns it lives in
    `assignments.Ownership`, a narrow table, so that claims do not rewrite this wide row."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        QUALIFIED = "qualified", _("Qualified")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    class Size(models.TextChoices):
        MICRO = "1-9", _("1–9 employees")
        SMALL = "10-49", _("10–49 employees")
        MEDIUM = "50-249", _("50–249 employees")
        LARGE = "250-999", _("250–999 employees")
        ENTERPRISE = "1000+", _("1000+ employees")

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        INDIVIDUAL = "individual", _("Individual")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMPANY)
    # The company's name, or the person's for an individual customer.
    company_name = models.CharField(_("company name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    # An individual's identity document number (a company has its credit code instead).
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)
    # ISO 3166-1 alpha-2; phones are read as this country's numbers.
    country = models.CharField(_("country"), max_length=2, default=default_country)
    website = models.CharField(_("website"), max_length=200, blank=True)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    industry = models.CharField(_("industry"), max_length=80, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    source = models.CharField(_("source"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # The pool a lead returns to: a team's own pool, or the public pool when empty.
    pool_team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("pool"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pool_leads",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    # Set when a manager merged this lead into another: it then exists only as history.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_leads",
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["province", "city"]),
            models.Index(fields=["industry"]),
            models.Index(fields=["status"]),
            # Won customers: a claim's slot count asks whether any of the rep's claims is one
            # (an index probe that finds nothing for the usual customer, no row read).
            models.Index(fields=["id"], condition=Q(status="won"), name="lead_won"),
            # The dashboard's funnel: customers created in a date range (by whom, in the index).
            models.Index(fields=["created_at"], include=["created_by"], name="lead_created_at"),
        ]

    def __str__(self) -> str:
        return self.company_name


class Contact(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        CHAT = "chat", _("Chat")

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="followups")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("note"))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    next_step_at = models.DateField(_("next step date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["lead", "occurred_at"]),
            # The dashboard: follow-ups per rep per week over a date range (index only).
            models.Index(fields=["occurred_at"], include=["author"], name="followup_occurred_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class LeadKey(models.Model):
    """One normalised identifier of a lead ("phone:+8613800138000", "name:腾讯计算机系统", ...).

    A narrow table of its own: a duplicate check is one btree probe with every key of the
    candidate at once, and neither the wide lead row nor the hot ownership rows carry (and
    rewrite) these indexes."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="dedupe_keys")
    key = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "key"], name="leadkey_one_per_lead"),
        ]
        indexes = [models.Index(fields=["key"], name="leadkey_key")]

    def __str__(self) -> str:
        return self.key


class LeadName(models.Model):
    """The normalised company name of a lead, for similar-name matching. On PostgreSQL `brand`
    carries a trigram GIN index (migration); on SQLite its trigrams go to LeadNameGram."""

    lead = models.OneToOneField(
        Lead, on_delete=models.CASCADE, primary_key=True, related_name="dedupe_name"
    )
    core = models.CharField(max_length=200)
    brand = models.CharField(max_length=200)
    pinyin = models.CharField(max_length=400)
    city = models.CharField(max_length=60, blank=True)
    uscc = models.CharField(max_length=18, blank=True)
    # A person's name: matched exactly and only as weak evidence (no brand, no trigrams).
    individual = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.core


class LeadNameGram(models.Model):
    """SQLite's stand-in for pg_trgm's GIN index: one row per trigram of a lead's brand."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="+")
    gram = models.CharField(max_length=12)

    class Meta:
        indexes = [models.Index(fields=["gram"], name="leadnamegram_gram")]

    def __str__(self) -> str:
        return self.gram


class LostReason(BilingualLabel):
    """Why customers are lost: a list admins edit."""

    class Meta(BilingualLabel.Meta):
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")


class StatusChange(models.Model):
    """The append-only lifecycle history of a customer (线索状态): who moved it from which
    status to which, why, when. A database trigger refuses UPDATE and DELETE on PostgreSQL."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Lead.Status.choices)
    to_status = models.CharField(max_length=12, choices=Lead.Status.choices)
    # Empty means the system.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lost_reason = models.ForeignKey(
        LostReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    # The deal whose win made the customer won.
    deal = models.ForeignKey(
        "leads.Deal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [
            models.Index(fields=["lead", "at"], name="statuschange_lead_at"),
            # The dashboard's funnel: changes in a date range, by whom, to which status.
            models.Index(
                fields=["at"], include=["to_status", "lead", "actor"], name="statuschange_at"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.lead_id} {self.from_status} → {self.to_status}"


class DealStage(BilingualLabel):
    """The ordered stages of an open deal, each with its win probability: a list admins
    edit."""

    probability = models.PositiveSmallIntegerField(_("win probability (%)"), default=0)

    class Meta(BilingualLabel.Meta):
        verbose_name = _("deal stage")
        verbose_name_plural = _("deal stages")
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_100")
        ]


class Deal(models.Model):
    """An opportunity on a customer (商机): an amount in a currency, a stage, an expected close.
    Won or lost once; a won deal's credit is recorded in `assignments.Credit`."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="deals")
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    # ISO 4217.
    currency = models.CharField(_("currency"), max_length=3, default=default_currency)
    stage = models.ForeignKey(
        DealStage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=4, choices=Status.choices, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(fields=["lead", "status"], name="deal_lead_status"),
            # Today's work: open deals whose expected close has passed.
            models.Index(
                fields=["expected_close"], condition=Q(status="open"), name="deal_open_close"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="deal_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False)),
                name="deal_closed_when_won_or_lost",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Inquiry(models.Model):
    """A customer's inquiry handed in by another system (a web form, a partner) for a
    customer who is already on record: kept on that customer's timeline instead of a second
    record (撞单 prevented at the door)."""

    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="inquiries")
    # The source named by the API key that handed it in.
    source = models.CharField(_("source"), max_length=80)
    message = models.TextField(_("message"), blank=True)
    # What the form said about the customer and the person writing (as submitted).
    submitted = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["received_at", "id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["lead", "received_at"], name="inquiry_lead_at")]

    def __str__(self) -> str:
        return f"#{self.lead_id} {self.source}"


class ExportRecord(models.Model):
    """One export (导出) of customers: who, with which query parameters, in which format, how
    many rows and when. Written when the export starts and completed when its last row is
    sent (or when the download was cut short: `completed` stays false)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    scope = models.CharField(_("scope"), max_length=10)
    # The query parameters as given (the filters), so an export can be repeated and audited.
    params = models.JSONField(_("query parameters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    completed = models.BooleanField(_("completed"), default=False)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")
        indexes = [models.Index(fields=["user", "started_at"], name="exportrecord_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.format} {self.started_at:%Y-%m-%d %H:%M}"
