from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # A manager may run several teams; a team has one accountable manager.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_teams",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class NoClashUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # Superusers act as admins: give them the admin role so every rule sees one thing.
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        REP = "rep", _("Sales rep")
        MANAGER = "manager", _("Manager")
        ADMIN = "admin", _("Admin")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.REP)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    # Notification kinds this user does not want by e-mail (they still appear in the app).
    email_muted_kinds = models.JSONField(_("e-mail muted for"), default=list, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=16,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty means: follow the browser."),
    )

    # How many live claims routing may give this rep; empty means the team's claim limit.
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Empty means the team's claim limit."),
    )

    objects = NoClashUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # The role is the single source of truth for admin rights; the Django flags follow it.
        if self.is_superuser and not self.pk and self.role == self.Role.REP:
            self.role = self.Role.ADMIN
        self.is_staff = self.is_superuser = self.role == self.Role.ADMIN
        if not self.display_name:
            self.display_name = self.get_full_name() or self.username
        # set_password() leaves the new raw password here until the save: every door that
        # changes a password (page, admin, API, manage.py changepassword) comes through.
        password_changed = self.pk is not None and self._password is not None
        super().save(*args, **kwargs)
        if password_changed:
            # The user's API tokens die with the old password (sessions already do: Django
            # checks the session's password hash).
            apps.get_model("authtoken", "Token").objects.filter(user_id=self.pk).delete()

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == self.Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.is_active and self.role == self.Role.MANAGER

    @property
    def is_rep(self) -> bool:
        return self.is_active and self.role == self.Role.REP


class AwayPeriod(models.Model):
    """A time a rep is away (leave, training): routing gives them no new customers then."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="away_periods"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("away period")
        verbose_name_plural = _("away periods")
        indexes = [models.Index(fields=["user", "ends_at"], name="away_user_ends")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="away_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"


class ApiKey(models.Model):
    """A key another system (a web form, a partner) sends with the customers it hands in
    (`POST /api/v1/intake/`). One live key per source; only its SHA-256 is stored, the key
    itself is shown once, when it is created."""

    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=80)
    # The first characters of the key, to recognise it in lists (not secret enough to use).
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(revoked_at__isnull=True),
                name="apikey_one_live_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class Notification(models.Model):
    """The outbox and the in-app inbox at once: written in the same transaction as the event
    it reports, shown in the app straight away, e-mailed later by a periodic job. Nothing is
    lost when the broker is down: the row is the message."""

    class Kind(models.TextChoices):
        CLAIM_EXPIRED = "claim_expired", _("Claim expired")
        EXPIRY_REMINDER = "expiry_reminder", _("Claim about to expire")
        EXPIRY_ESCALATION = "expiry_escalation", _("A rep's claim is about to expire")
        REASSIGNED = "reassigned", _("Customer reassigned")
        TRANSFER_REQUESTED = "transfer_requested", _("Transfer requested")
        TRANSFER_DECIDED = "transfer_decided", _("Transfer request decided")
        COLLABORATION = "collaboration", _("Invited to help on a customer")
        CREDIT_SHARES_PROPOSED = "shares_proposed", _("Credit split proposed")
        CREDIT_SHARES_DECIDED = "shares_decided", _("Credit split decided")
        CREDIT_UNSETTLED = "credit_unsettled", _("A win credited nobody")
        NEXT_STEP_DUE = "next_step_due", _("Next step due")
        DISPUTE_FILED = "dispute_filed", _("Dispute filed")
        DISPUTE_RULED = "dispute_ruled", _("Dispute ruled")
        INQUIRY = "inquiry", _("New inquiry from a customer of yours")
        ROUTED = "routed", _("New customer routed to you")

    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Failed")

    # (user, created_at) below serves reads by user; no extra FK indexes on this hot insert.
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    payload = models.JSONField(default=dict, blank=True)
    # Makes "once per claim and threshold" a database fact: a second insert is ignored.
    dedupe_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        max_length=8, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    # After a failed send: not before this time (back-off); empty means due now.
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(email_status="pending"),
                name="notification_email_pending",
            ),
            models.Index(fields=["user", "created_at"], name="notification_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user}"


class AuditEvent(models.Model):
    """One security-relevant event: a sign-in (or a failed one), a sign-out, a lockout, a
    revoked token, or an admin's change to users, teams, pool policies or territory rules
    (who, when, which object, a summary of before and after). Append-only: written by
    `accounts.audit.record_event` in the same transaction as the change it records."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        LOCKOUT = "lockout", _("Locked out")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        USER_CHANGED = "user_changed", _("User changed")
        TEAM_CHANGED = "team_changed", _("Team changed")
        POLICY_CHANGED = "policy_changed", _("Pool policy changed")
        RULE_CHANGED = "rule_changed", _("Territory rule changed")
        API_KEY_CHANGED = "api_key_changed", _("API key changed")

    class Door(models.TextChoices):
        PAGE = "page", _("Sign-in page")
        TOKEN = "token", _("API token endpoint")
        ADMIN = "admin", _("Django admin")
        API = "api", _("API")
        CONSOLE = "console", _("Web pages")
        SYSTEM = "system", _("System")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    # Who did it (None: the system, or nobody signed in: a failed sign-in).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The username typed at a sign-in (kept even when no such user exists).
    username = models.CharField(_("username"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    door = models.CharField(_("door"), max_length=8, choices=Door.choices, blank=True)
    # What was changed: "user", "team", "policy", "territory_rule" and its id (no foreign
    # key: the record outlives the object).
    object_type = models.CharField(_("object type"), max_length=32, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=32, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_idx"),
            models.Index(fields=["kind", "-at"], name="audit_kind_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["username", "ip_address", "kind", "-at"], name="audit_login_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
