from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    company_name = models.CharField(_("company name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
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
        indexes = [models.Index(fields=["lead", "occurred_at"])]

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
