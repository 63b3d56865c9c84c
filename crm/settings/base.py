"""NoClash CRM settings, all read from environment variables through django-environ.

`DATABASE_URL` unset selects the embedded default (a SQLite file under `var/`);
`REDIS_URL` unset selects a Celery broker on the local file system under `var/`.
With `DEBUG` off the process refuses to start without `SECRET_KEY` and `ALLOWED_HOSTS`.
"""

import re
from datetime import timedelta
from pathlib import Path

import babel.numbers
import environ
import phonenumbers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("NOCLASH_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-used-with-debug-off")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    # Production: no default for anything secret or host-related; fail at start-up.
    if not env.str("SECRET_KEY", default=""):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not env.list("ALLOWED_HOSTS", default=[]):
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "accounts",
    "leads",
    "assignments",
]

MIDDLEWARE = [
    "crm.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crm.security.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    # After the user and their language are known, so the 400 page is theirs.
    "crm.middleware.HostileInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: it turns a sign-in refused for a lockout into the lockout page (axes' flag).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "crm.urls"
WSGI_APPLICATION = "crm.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "assignments.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# Similar-name candidates (duplicate check): brands at least this trigram-similar.
DEDUPE_BRAND_SIMILARITY = 0.5
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    # Persistent connections: a new backend and login per request cost ~5x in claim throughput.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # Similar-name search: the trigram GIN index answers `%` at this threshold (see
        # leads/dedupe/matching.py); set per connection, no extra round trip.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (
            options.get("options", "")
            + f" -c pg_trgm.similarity_threshold={DEDUPE_BRAND_SIMILARITY}"
        ).strip()
else:
    # Embedded default. WAL lets readers run beside the single writer; IMMEDIATE makes every
    # transaction take the write lock at BEGIN, so two claims serialise instead of both
    # reading "no owner" and one failing later with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("SQLITE_PATH", default=str(VAR_DIR / "noclash.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;"
                ),
            },
            "TEST": {"NAME": str(VAR_DIR / "test_noclash.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The claim-limit index carries lead_id (INCLUDE) for PostgreSQL's index-only count; SQLite
# builds the index without it, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Off on purpose: a request-wide transaction would hold a lead's row lock while a page renders.
ATOMIC_REQUESTS = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in, lockout, sessions, tokens (abuse) ----------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out (username, IP) before the password is even checked.
    "accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]


def _minutes(name: str, default: int) -> timedelta:
    value = env.int(name, default=default)
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1 (minutes).")
    return timedelta(minutes=value)


# Lockout (django-axes, database handler: every web process sees the same counts). Keyed by
# the combination (username, IP): a guesser is stopped, but someone typing a colleague's name
# from elsewhere cannot lock that colleague out of their own desk. LOGIN_FAILURE_LIMIT wrong
# passwords lock that pair out for LOGIN_COOLOFF_MINUTES; each further lockout of the same
# pair within LOGIN_LOCKOUT_MEMORY_HOURS doubles the cool-off, up to LOGIN_COOLOFF_MAX_MINUTES
# (accounts.lockout.cool_off). Attempts made while locked out neither count nor extend it,
# so the "try again at" the page shows stays true.
AXES_ENABLED = env.bool("LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT must be at least 1.")
LOGIN_COOLOFF = _minutes("LOGIN_COOLOFF_MINUTES", 15)
LOGIN_COOLOFF_MAX = _minutes("LOGIN_COOLOFF_MAX_MINUTES", 24 * 60)
LOGIN_LOCKOUT_MEMORY = timedelta(hours=env.int("LOGIN_LOCKOUT_MEMORY_HOURS", default=24))
if LOGIN_COOLOFF_MAX < LOGIN_COOLOFF:
    raise ImproperlyConfigured("LOGIN_COOLOFF_MAX_MINUTES must not be below LOGIN_COOLOFF_MINUTES.")
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "accounts.lockout_views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
# Successful sign-ins are in accounts.AuditEvent; axes' own access log would repeat them.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Behind a reverse proxy: how many proxies append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Page sessions: signed out after SESSION_IDLE_MINUTES without a request, and after
# SESSION_MAX_AGE_HOURS whatever happens (accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = _minutes("SESSION_IDLE_MINUTES", 120)
SESSION_MAX_AGE = timedelta(hours=env.int("SESSION_MAX_AGE_HOURS", default=12))
SESSION_COOKIE_AGE = int(SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_SAVE_EVERY_REQUEST = False

# API tokens live API_TOKEN_TTL_DAYS from when they were issued (absolute: no write per
# request to track idleness); a new one is issued at the next POST /api/v1/auth/token/.
API_TOKEN_TTL = timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30))
if API_TOKEN_TTL <= timedelta(0):
    raise ImproperlyConfigured("API_TOKEN_TTL_DAYS must be at least 1.")

# --- Languages ----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["crm.api.parsers.BoundedJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "crm.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "crm.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Only views that set `throttle_scope` are throttled (API_THROTTLE_RATES).
    "DEFAULT_THROTTLE_CLASSES": ["accounts.api.throttles.UserScopeRateThrottle"],
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )


def _rate(name: str, default: str) -> str | None:
    """A throttle rate from the environment: "<n>/<second|minute|hour|day>"; empty or "off"
    turns the throttle off (None)."""
    value = env.str(name, default=default).strip()
    if value.lower() in ("", "off"):
        return None
    if re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        return value
    raise ImproperlyConfigured(f"{name} {value!r} is not like '60/minute' (or 'off').")


# Customers handed in by other systems (POST /api/v1/intake/): requests per API key.
INTAKE_THROTTLE_RATE = _rate("INTAKE_THROTTLE_RATE", "60/minute")
# Requests per user to the API views that set this `throttle_scope`
# (accounts.api.throttles.UserScopeRateThrottle). Generous: a person working fast never meets
# them; a script hammering one endpoint does (429 `throttled` with Retry-After).
API_THROTTLE_RATES = {
    "claims": _rate("THROTTLE_CLAIMS", "120/minute"),
    "duplicate_checks": _rate("THROTTLE_DUPLICATE_CHECKS", "240/minute"),
    "transfer_requests": _rate("THROTTLE_TRANSFER_REQUESTS", "30/minute"),
    "imports": _rate("THROTTLE_IMPORTS", "20/hour"),
    "exports": _rate("THROTTLE_EXPORTS", "30/hour"),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "NoClash CRM API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "FollowUpKindEnum": "leads.models.FollowUp.Kind",
        "OwnershipEventKindEnum": "assignments.models.OwnershipEvent.Kind",
        "NotificationKindEnum": "accounts.models.Notification.Kind",
        "LeadStatusEnum": "leads.models.Lead.Status",
        "LeadKindEnum": "leads.models.Lead.Kind",
        "DealStatusEnum": "leads.models.Deal.Status",
        "CreditKindEnum": "assignments.models.Credit.Kind",
        "CreditAgreementStatusEnum": "assignments.models.CreditAgreement.Status",
        "NewLeadStatusEnum": "assignments.api.customer_serializers.NEW_LEAD_STATUS",
        "TransferRequestStatusEnum": "assignments.models.TransferRequest.Status",
        "DisputeStatusEnum": "assignments.models.Dispute.Status",
        "DisputeRulingEnum": "assignments.models.Dispute.Ruling",
        "BulkReassignmentStateEnum": "assignments.models.BulkReassignment.State",
        "ImportJobStateEnum": "assignments.models.ImportJob.State",
    },
}

# --- Celery -------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# API throttle counts (accounts.api.throttles) are shared by every web process through
# Redis when it is there; the embedded default runs one web process, and memory is enough.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A slow or lost Redis must not hold a request: the throttle then lets it through.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # max_retries 0: publishing fails at once when Redis is down (the outbox keeps the work)
    # instead of holding a web request for seconds while kombu retries the connection.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
else:
    # Embedded default: kombu's file-system transport needs no server. It delivers at most
    # once, so every task must be re-derivable from the database (which it is: periodic jobs
    # re-scan the database rather than trust messages).
    _broker_dir = VAR_DIR / "celery-broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Periodic jobs live in the database (django-celery-beat): admins change intervals in the
# admin. Run exactly one beat.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}

# --- Claim lifecycle jobs -----------------------------------------------------------------
# Defaults for the periodic jobs created at migrate time (changeable later in the admin).
RECYCLE_INTERVAL_SECONDS = env.int("RECYCLE_INTERVAL_SECONDS", default=60)
REMINDER_INTERVAL_SECONDS = env.int("REMINDER_INTERVAL_SECONDS", default=300)
DELIVERY_INTERVAL_SECONDS = env.int("DELIVERY_INTERVAL_SECONDS", default=60)
RECYCLE_BATCH_SIZE = env.int("RECYCLE_BATCH_SIZE", default=1000)
# The owner is reminded this long before the claim expires; their manager a bit later.
CLAIM_REMINDER_BEFORE = timedelta(hours=env.int("CLAIM_REMINDER_HOURS", default=48))
CLAIM_ESCALATION_BEFORE = timedelta(hours=env.int("CLAIM_ESCALATION_HOURS", default=24))
# Next steps due today are reminded once the local time (TIME_ZONE) reaches this hour; the
# job runs every NEXT_STEP_REMINDER_INTERVAL_SECONDS and reminds each step once.
NEXT_STEP_REMINDER_HOUR = env.int("NEXT_STEP_REMINDER_HOUR", default=8)
NEXT_STEP_REMINDER_INTERVAL_SECONDS = env.int("NEXT_STEP_REMINDER_INTERVAL_SECONDS", default=900)

# --- Bulk moves (批量转移) -------------------------------------------------------------------
# Leads moved per transaction (each under its own row lock, all held for the chunk: a rep
# claiming one of them waits at most that long); a task works this many seconds, then hands
# over to a fresh one; a job queued or running without progress for BULK_REASSIGN_STALL_SECONDS
# is queued again by a periodic job (its worker died, or the broker lost its message).
BULK_REASSIGN_CHUNK_SIZE = env.int("BULK_REASSIGN_CHUNK_SIZE", default=500)
BULK_REASSIGN_TASK_SECONDS = env.int("BULK_REASSIGN_TASK_SECONDS", default=30)
BULK_REASSIGN_STALL_SECONDS = env.int("BULK_REASSIGN_STALL_SECONDS", default=60)
BULK_REASSIGN_RESUME_INTERVAL_SECONDS = env.int("BULK_REASSIGN_RESUME_INTERVAL_SECONDS", default=30)
BULK_REASSIGN_MAX_LEADS = env.int("BULK_REASSIGN_MAX_LEADS", default=100_000)
# A pause between chunks. SQLite has one write lock and its waiters poll for it (every 100 ms
# at most): without a pause a long job would hold it almost all the time and a rep's claim
# could wait out its 30 s timeout. PostgreSQL queues lock waiters, so it needs none.
BULK_REASSIGN_PAUSE_SECONDS = env.float(
    "BULK_REASSIGN_PAUSE_SECONDS",
    default=0.0 if "postgresql" in DATABASES["default"]["ENGINE"] else 0.1,
)

# --- Imports (导入) ---------------------------------------------------------------------------
# An uploaded file is read when it arrives and its rows are stored with the job (any worker
# can run it). Each row is created in its own transaction, with its report line (several rows
# in one would take reps' rows and routing states out of the one lock order); a task works
# IMPORT_TASK_SECONDS, then hands over; a job without progress for IMPORT_STALL_SECONDS is
# queued again by a periodic job.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_TASK_SECONDS = env.int("IMPORT_TASK_SECONDS", default=30)
IMPORT_STALL_SECONDS = env.int("IMPORT_STALL_SECONDS", default=60)
IMPORT_RESUME_INTERVAL_SECONDS = env.int("IMPORT_RESUME_INTERVAL_SECONDS", default=30)
# As for bulk moves: SQLite's single write lock needs a pause between chunks.
IMPORT_PAUSE_SECONDS = env.float(
    "IMPORT_PAUSE_SECONDS",
    default=0.0 if "postgresql" in DATABASES["default"]["ENGINE"] else 0.05,
)

# --- Duplicate check (查重) ------------------------------------------------------------------
# Phones written without a country code are read as numbers of this region (ISO 3166 code).
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="CN").upper()
if PHONE_DEFAULT_REGION not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(f"PHONE_DEFAULT_REGION {PHONE_DEFAULT_REGION!r} is not a region.")
# A new customer's country (ISO 3166-1 alpha-2) when neither it nor its city says otherwise;
# its phones are read as that country's numbers.
DEFAULT_COUNTRY = env.str("DEFAULT_COUNTRY", default=PHONE_DEFAULT_REGION).upper()
if DEFAULT_COUNTRY not in phonenumbers.SUPPORTED_REGIONS:
    raise ImproperlyConfigured(f"DEFAULT_COUNTRY {DEFAULT_COUNTRY!r} is not a country code.")
# Deal amounts without a currency are in this one (ISO 4217).
DEFAULT_CURRENCY = env.str("DEFAULT_CURRENCY", default="CNY").upper()
if DEFAULT_CURRENCY not in babel.numbers.list_currencies():
    raise ImproperlyConfigured(f"DEFAULT_CURRENCY {DEFAULT_CURRENCY!r} is not an ISO 4217 code.")

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NoClash CRM <noreply@localhost>")

# --- Security (production) ----------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts only from our own static files (no inline
# script, no eval), styles from our files too (the templates carry no style attribute;
# scripts set sizes through the CSSOM, which CSP does not restrict). The Swagger page
# (drf-spectacular's template has an inline script) is left out of the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the product never uses are switched off for every page.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # 4xx answers (a lost claim race is a 409) are normal outcomes, not warnings: log 5xx only.
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Failed sign-ins and lockouts are warnings; axes' per-request notes are not.
        "axes": {"level": "WARNING"},
    },
}

# --- Backups (embedded SQLite only) -------------------------------------------------------
# Beat backs the database up every night at BACKUP_HOUR (TIME_ZONE) into BACKUP_DIR and
# deletes backups older than BACKUP_KEEP_DAYS. On PostgreSQL the job only says pg_dump's turn.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_HOUR = env.int("BACKUP_HOUR", default=3)
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=14)

# Exports (导出): customers read and written per batch of this many rows (memory stays flat
# however many rows an export has).
EXPORT_BATCH_SIZE = env.int("EXPORT_BATCH_SIZE", default=2000)
if EXPORT_BATCH_SIZE < 1:
    raise ImproperlyConfigured("EXPORT_BATCH_SIZE must be at least 1.")
