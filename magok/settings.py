"""Settings for the Magok portal.

This is the only module that reads the environment. Every variable goes through one of
the small ``env_*`` helpers below, which fail loudly on a value they cannot read.

Defaults serve local use (``make run``): a SQLite file, an embedded file-system task
broker and a local-memory cache, so no service is needed. ``DJANGO_ENV=production``
refuses to start without a secret key, a PostgreSQL database and allowed hosts.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when DJANGO_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-for-local-use-never-in-production-0123456789"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when DJANGO_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Where the site is reached from outside; used in e-mails and calendar feeds.
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin, with the staff home (backoffice.sites.StaffAdminSite) as admin.site.
    "backoffice.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "accounts",
    "companies",
    "events",
    "programs",
    "meetings",
    "hiring",
    "notifications",
    "legal",
    "backoffice",
    "audit",
    "digest",
    "magok",
]

MIDDLEWARE = [
    # Health checks come by the container's address: answered before the Host check (magok/health.py).
    "magok.health.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body; after LocaleMiddleware, so that the 413 page is translated.
    "magok.uploads.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "magok.urls"
WSGI_APPLICATION = "magok.wsgi.application"

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
                "django.template.context_processors.tz",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Production keeps a connection open across requests (seconds; 0 closes it after each
# request). A kept connection can die under it (PostgreSQL restarted, a proxy's idle
# timeout): the health check tests it before the first query of a request and reconnects,
# so the first request after a restart does not fail.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0)
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL or "", conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from None
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL when DJANGO_ENV=production")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django works in UTC on the connection; a server whose default TimeZone is anything else
    # (Etc/UTC included) costs a SET TIME ZONE round trip on every new connection. Asking for
    # UTC in the startup packet makes that check pass without the extra command.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c timezone=UTC")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is shared by the web server and the task worker.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task broker ------------------------------------------------------------
# Anonymous visitors' pages are cached whole for this long (seconds; 0: off), invalidated at
# once by any change to what they show (magok/pagecache.py). Only what changes with time alone
# (registration opening, an e-mail hold expiring) can be this much late.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 if PRODUCTION else 0, minimum=0)
REDIS_URL = env_str("REDIS_URL")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required when DJANGO_ENV=production")
if REDIS_URL:
    # A Redis outage makes the cache miss instead of failing requests (see magok/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "magok.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # Signed-in requests read their session from Redis instead of the database, which stays the
    # record (magok/sessions.py: how an outage is handled). Not with the local-memory cache: each
    # process would keep its own copy, and a logout in one would not reach the others.
    SESSION_ENGINE = "magok.sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The site's menus and footer ({% cache %} in templates/base.html): they depend only on the
# code, the language and the page's name, so each process keeps its own copy, for good.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Time limits need the prefork pool (the default). The hard limit kills a task's process;
# the soft limit, a little earlier, lets it stop cleanly.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - max(1, min(30, CELERY_TASK_TIME_LIMIT // 5))
# Redis hands a message that was delivered but not acknowledged to another worker after
# the visibility timeout. With late acknowledgement a message stays unacknowledged while
# its task runs, so the longest task must finish well inside it, or it runs twice.
# Celery's Redis docs ask for the same value in three places: the broker transport options,
# the result backend transport options and ``visibility_timeout`` itself (this setting,
# read through the CELERY_ namespace). There is no result backend today; the value is set
# anyway so that adding one cannot silently shorten it.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT")

BROKER_DIR = BASE_DIR / "var" / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    # Embedded broker: messages are files in var/broker, so `make run` needs no server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # The exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_ENABLE_UTC = True
# A message is acknowledged after its task ran, so a worker that dies mid-task loses nothing.
CELERY_TASK_ACKS_LATE = True
# Re-deliver the message when the process running it dies (SIGKILL, OOM) only for tasks that
# are safe to run twice; those opt in with ``reject_on_worker_lost=True`` on the task.
CELERY_TASK_REJECT_ON_WORKER_LOST = False
# One message reserved per process: a killed worker strands at most one message per process.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On a broker connection loss the late-acknowledged messages in hand go back to the queue;
# stop their tasks instead of letting them run on and be run a second time elsewhere.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request while the broker is down or hung: the outbox
# keeps the work and the sweeper sends it later. The connection timeout is Celery's; the
# Redis transport needs its own socket timeouts as well, or a Redis that accepts
# connections and never answers (stopped process, full network buffer) blocks forever.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
BROKER_SOCKET_TIMEOUT = env_int("BROKER_SOCKET_TIMEOUT", 3)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        socket_connect_timeout=CELERY_BROKER_CONNECTION_TIMEOUT,
        socket_timeout=BROKER_SOCKET_TIMEOUT,
        # Opening a channel tries twice, at once, instead of retrying for the whole
        # connection timeout: a refused connection costs a request well under a second.
        # (The worker's own reconnect loop uses broker_connection_max_retries instead.)
        max_retries=1,
        interval_start=0,
    )
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# After a beat restart or outage, a crontab run missed by less than this is still sent;
# older ones are dropped (the daily jobs catch up by themselves on their next run).
CELERY_BEAT_CRON_STARTING_DEADLINE = env_int("CELERY_BEAT_CRON_STARTING_DEADLINE", 600)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- Outbox (notifications) -------------------------------------------------------------
# One e-mail send is a task of its own with a short hard time limit. A claim older than
# OUTBOX_STALE_CLAIM_SECONDS therefore belongs to a process that is dead, and the sweeper
# may take the e-mail over without racing a live sender. The stale time is what an e-mail
# waits after its sender was killed (plus up to one sweep interval), so both are short; the
# margin between them covers the pool's time-limit timer and clock skew between hosts.
OUTBOX_SEND_TIME_LIMIT = env_int("OUTBOX_SEND_TIME_LIMIT", 60)
OUTBOX_STALE_CLAIM_SECONDS = env_int("OUTBOX_STALE_CLAIM_SECONDS", 90)
# The sweeper leaves fresh e-mails to the send task that was prompted after commit.
OUTBOX_SWEEP_AFTER_SECONDS = env_int("OUTBOX_SWEEP_AFTER_SECONDS", 60)
if OUTBOX_STALE_CLAIM_SECONDS <= OUTBOX_SEND_TIME_LIMIT:
    raise ImproperlyConfigured("OUTBOX_STALE_CLAIM_SECONDS must be longer than OUTBOX_SEND_TIME_LIMIT")
if OUTBOX_SEND_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured("OUTBOX_SEND_TIME_LIMIT must be shorter than CELERY_VISIBILITY_TIMEOUT")
_SEND_LIMITS = {
    "time_limit": OUTBOX_SEND_TIME_LIMIT,
    "soft_time_limit": OUTBOX_SEND_TIME_LIMIT - max(1, OUTBOX_SEND_TIME_LIMIT // 5),
}
# A chunk (send_emails) claims its e-mails when it starts and gives back what it has not sent
# after half the limit, so no claim it holds is older than the limit either.
CELERY_TASK_ANNOTATIONS = {
    "notifications.tasks.send_email": _SEND_LIMITS,
    "notifications.tasks.send_emails": _SEND_LIMITS,
}

# --- Event registration ---------------------------------------------------------------
# How long a request waits for an event's seat lock before it answers "busy, try again"
# instead of holding a web worker (PostgreSQL's lock_timeout; SQLite has none).
EVENT_LOCK_TIMEOUT_MS = env_int("EVENT_LOCK_TIMEOUT_MS", 3000, minimum=1)
# A registration without an account waits for its address to be proven by a link in an
# e-mail. It holds a seat for EVENT_PENDING_HOLD_MINUTES only; the link stays valid for
# EVENT_CONFIRM_LINK_HOURS (confirmed later, it gets a seat if one is free, else the waitlist).
EVENT_PENDING_HOLD_MINUTES = env_int("EVENT_PENDING_HOLD_MINUTES", 30, minimum=1)
EVENT_CONFIRM_LINK_HOURS = env_int("EVENT_CONFIRM_LINK_HOURS", 24, minimum=1)
# The ticket and one-click cancel links in registration e-mails are signed and expire this
# many days after the e-mail was written (each reminder carries fresh ones); a cancel is
# refused anyway once the event has started.
EVENT_EMAIL_LINK_DAYS = env_int("EVENT_EMAIL_LINK_DAYS", 120, minimum=1)

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.throttle.LoginThrottleBackend",
    # Loads the user and their approved membership in one query (accounts/backends.py).
    "accounts.backends.ModelBackend",
    # Sessions made before the line above name this backend: kept so that they still load
    # (a user must not be signed out by a deploy). It never checks a password (the one above
    # ends the chain on a refusal); drop it once SESSION_COOKIE_AGE has passed since the deploy.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). Rate limits and the login lockout key on that address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Lock an e-mail address out for a while after repeated failed logins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
# A refused attempt during a lockout does not restart it: an attacker cannot keep it going.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Beyond the (e-mail, address) pair: failures per account from any address and per address
# for any account make each further attempt wait, doubling from LOGIN_THROTTLE_DELAY_SECONDS
# up to LOGIN_THROTTLE_MAX_MINUTES (accounts/throttle.py).
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 10, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
LOGIN_THROTTLE_DELAY_SECONDS = env_int("LOGIN_THROTTLE_DELAY_SECONDS", 30, minimum=1)
LOGIN_THROTTLE_MAX_MINUTES = env_int("LOGIN_THROTTLE_MAX_MINUTES", 15, minimum=1)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 60, minimum=1)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "magok_language"
# Dates with the weekday: 2019년 12월 11일 (수).
FORMAT_MODULE_PATH = ["magok.formats"]

# --- Static and uploaded files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
# Files that only a company and SBA staff may see (programme documents); never served
# from a public URL, only through a view that checks permission.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Refused while they arrive (magok/uploads.py): a file over UPLOAD_MAX_BYTES is not kept past
# the limit and its form says it is too large; a request declaring more than REQUEST_MAX_BYTES
# answers 413 unread. The reverse proxy should refuse bodies above REQUEST_MAX_BYTES first
# (SECURITY.md). UPLOAD_MAX_BYTES is at least the largest limit of a form (documents: 10 MiB).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 64 * 1024 * 1024)
if REQUEST_MAX_BYTES < UPLOAD_MAX_BYTES:
    raise ImproperlyConfigured("REQUEST_MAX_BYTES must be at least UPLOAD_MAX_BYTES")
FILE_UPLOAD_HANDLERS = [
    "magok.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
if EMAIL_TIMEOUT >= OUTBOX_SEND_TIME_LIMIT:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be shorter than OUTBOX_SEND_TIME_LIMIT")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "마곡 포털 <noreply@magok.sba.seoul.kr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------
# API writes sent with an Idempotency-Key header are answered once and replayed for this long.
IDEMPOTENCY_KEY_TTL_HOURS = 24

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's, with the membership read in the token's query (accounts/backends.py).
        "accounts.backends.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON nested beyond a limit is a 400, not a RecursionError (magok/inputs.py).
    "DEFAULT_PARSER_CLASSES": [
        "magok.inputs.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "magok.throttles.AnonymousRateThrottle",
        "magok.throttles.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # A DomainError from a service answers 400/409 with {"detail", "code"} (magok/errors.py).
    "EXCEPTION_HANDLER": "magok.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Magok portal API",
    "DESCRIPTION": "Tenant companies, events and support programmes of the Magok Industrial Complex (SBA).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field with different choices: name their enums.
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "PositionStatusEnum": "hiring.models.Position.Status",
        "JobApplicationStatusEnum": "hiring.models.JobApplication.Status",
        "JobApplicationResultEnum": "hiring.models.JobApplication.Result",
        "ConsultationOutcomeResultEnum": "meetings.models.ConsultationOutcome.Result",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "magok.api.add_error_responses",
    ],
}

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# django-csp 4: scripts and styles only from our own origin; no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
