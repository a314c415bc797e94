"""Hanout settings.

Everything that differs between one shop computer and a chain comes from the
environment; the code never branches on "which setup" beyond this file.

    HANOUT_DATA_DIR       where the SQLite database, media, private files and the
                          generated secret key live (default: the user's data folder)
    DATABASE_URL          default sqlite:///<data dir>/hanout.sqlite3
    DATABASE_REPLICA_URL  optional, PostgreSQL only: a read replica for the reports
    REDIS_URL             optional: channels-redis, Huey on Redis, shared cache
    HANOUT_ALLOWED_HOSTS  comma-separated, default "127.0.0.1,localhost"
    HANOUT_DEBUG          "1" for development error pages (never in production)
    HANOUT_BACKUP_DIR     where backups go: a folder or s3://bucket/prefix (default <data dir>/backups)
    HANOUT_BACKUP_TIME    daily backup time "HH:MM" (server's local time) or "off"
                          (default 03:00 with SQLite, off with PostgreSQL)
    HANOUT_BACKUP_KEY, HANOUT_BACKUP_KEY_FILE   encrypt the backups with this key
    HANOUT_SYNC_ALLOW_HTTP  "1" lets a store reach its hub over plain http:// (same network)
    HANOUT_SYNC_BATCH     changes a store sends to its hub per request (default 2000)
    EMAIL_URL-like parts  HANOUT_EMAIL_HOST, _PORT, _USER, _PASSWORD, _USE_TLS,
                          _USE_SSL, HANOUT_DEFAULT_FROM_EMAIL
"""

import os
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(env("HANOUT_DATA_DIR") or platformdirs.user_data_dir("hanout", appauthor=False))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Read the secret key from the environment or from the data directory.

    On first start a random key is written next to the database (mode 600), so
    no secret ever lives in the code or the repository.
    """
    if env("HANOUT_SECRET_KEY"):
        return env("HANOUT_SECRET_KEY")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("HANOUT_DEBUG")
TESTING = env_bool("HANOUT_TESTING")
ALLOWED_HOSTS = [h.strip() for h in env("HANOUT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env("HANOUT_CSRF_TRUSTED_ORIGINS").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "django.forms",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "hanout.core",
    "hanout.accounts",
    "hanout.notifications",
    "hanout.catalog",
    "hanout.suppliers",
    "hanout.inventory",
    "hanout.pos",
    "hanout.customers",
    "hanout.purchasing",
    "hanout.sales",
    "hanout.webhooks",
    "hanout.expenses",
    "hanout.reports",
    "hanout.referrals",
    "hanout.chat",
    "hanout.marketplace",
    "hanout.sync",
]

MIDDLEWARE = [
    "hanout.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hanout.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hanout.core.middleware.CurrentBusinessMiddleware",
]

ROOT_URLCONF = "hanout.urls"
ASGI_APPLICATION = "hanout.asgi.application"
WSGI_APPLICATION = "hanout.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hanout.core.context_processors.shell",
            ],
            "builtins": ["hanout.core.templatetags.punctuation"],
        },
    }
]

# --- Database -------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hanout.sqlite3'}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend plus a first-come, first-served write lock, so
    # writers queue instead of sleeping in SQLite's busy handler (see the module).
    DATABASES["default"]["ENGINE"] = "hanout.core.sqlite"
    # Django's default test database for SQLite, said out loud: tools that recognise
    # SQLite by its ENGINE string (pytest-django's per-worker names) read it here.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    DATABASES["default"]["OPTIONS"] = {
        # Every atomic() is BEGIN IMMEDIATE: writers queue instead of deadlocking
        # when a reader upgrades to a writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 5,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=5000;PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Sync views under uvicorn run in a thread pool (HANOUT_HTTP_THREADS, 8 by
    # default, see core/asgi.py): a pool, not persistent per-thread connections,
    # keeps the number of clients bounded. max_size must stay >= the threads.
    DATABASES["default"].setdefault("OPTIONS", {})
    if not TESTING:
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 4, "max_size": 16}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# A read replica for the reports (docs/adr/0010-read-replica.md): same engine and options
# as the primary, never migrated, a mirror of the primary in tests. Only the report tables'
# reads go there (hanout.reports.db.ReportsRouter); without it nothing changes.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
REPORTS_DATABASE = "default"
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL: DATABASE_URL must be a postgres:// URL "
            "(a SQLite database has no replica; unset DATABASE_REPLICA_URL)."
        )
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a postgres:// URL.")
    _replica["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], **_replica.get("OPTIONS", {})}
    _replica["CONN_MAX_AGE"] = 0
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
    REPORTS_DATABASE = "replica"
DATABASE_ROUTERS = ["hanout.reports.db.ReportsRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: channels, jobs, cache --------------------------------------------------------

REDIS_URL = env("REDIS_URL")

# A chat hub's channel carries every chat message for its whole process (hanout.chat.hub):
# it gets more room than a socket's channel (100).
HUB_CAPACITY = {"*!chat-hub-*": 10_000}

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "channel_capacity": HUB_CAPACITY},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hanout",
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "hanout",
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    # Channels' in-memory layer, sweeping for expired entries once a second, not on every
    # receive (hanout.core.channel_layers: the stock one is quadratic in open sockets).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "hanout.core.channel_layers.SweptInMemoryChannelLayer",
            "CONFIG": {"channel_capacity": HUB_CAPACITY},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "hanout",
        "filename": str(DATA_DIR / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# --- Auth ---------------------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "hanout.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hanout] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hanout"
# The desktop app signs in through allauth's headless API for apps
# (/_allauth/app/v1/…: password, one-time code, TOTP, with its rate limits),
# then makes itself a personal API token with that session (docs/adr/0013).
HEADLESS_CLIENTS = ("app",)

# --- Internationalisation -----------------------------------------------------------------

LANG_INFO["zgh"] = {
    "bidi": False,
    "code": "zgh",
    "name": "Standard Moroccan Tamazight",
    "name_local": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
}
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("zgh", _("Tamazight")),
]
# Our catalogs first; locale_vendor holds Tamazight for allauth (which ships none).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and media files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Identity documents and other owner-only files: never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if TESTING or DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
IDENTITY_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024

# How many days of register history `hanout demo` makes (daily for the last two months,
# weekly before); 0 for none.
DEMO_SALES_HISTORY_DAYS = int(env("HANOUT_DEMO_HISTORY_DAYS", "400"))

# --- Email ----------------------------------------------------------------------------------

# Every message goes through a background job; the job hands it to the real
# delivery backend. Without an SMTP host, delivery prints to the server's log.
EMAIL_BACKEND = "hanout.core.mail.QueuedEmailBackend"
EMAIL_HOST = env("HANOUT_EMAIL_HOST")
EMAIL_PORT = int(env("HANOUT_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("HANOUT_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("HANOUT_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("HANOUT_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("HANOUT_EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
HANOUT_EMAIL_DELIVERY_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("HANOUT_DEFAULT_FROM_EMAIL", "Hanout <no-reply@hanout.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hanout.accounts.authentication.ApiTokenAuthentication",
        "hanout.accounts.authentication.AppSessionAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hanout.core.permissions.ModulePermission"],
    "DEFAULT_PAGINATION_CLASS": "hanout.core.api.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "hanout.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "hanout.core.api.exception_handler",
    # Anonymous API calls (no or bad token) are limited per IP.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hanout API",
    "DESCRIPTION": (
        "Retail operations: businesses, shops, staff, permissions, the audit log, the catalog, "
        "suppliers and the stock ledger. "
        "Authenticate with a personal API token: `Authorization: Token <key>`. "
        "Every 4xx response has the shape "
        '`{"error": {"code": ..., "message": ..., "fields": {...}}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Operation ids and tags from the path after /api/v1/ ("shops_list", tag "shops").
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "hanout.core.permissions.Role",
        "LevelEnum": "hanout.core.permissions.Level",
        "TrustLevelEnum": "hanout.customers.models.TrustLevel",
        "ModuleEnum": "hanout.core.permissions.Module",
        "BarcodeKindEnum": "hanout.catalog.models.BarcodeKind",
        "UnitEnum": "hanout.catalog.models.Unit",
        "LocationKindEnum": "hanout.inventory.models.LocationKind",
        "MovementReasonEnum": "hanout.inventory.models.MovementReason",
        "CountStatusEnum": "hanout.inventory.models.CountStatus",
        "PermissionRequestStatusEnum": "hanout.accounts.models.PermissionRequestStatus",
        "PaymentLinkStatusEnum": "hanout.pos.models.PaymentLinkStatus",
        "SaleKindEnum": "hanout.pos.models.SaleKind",
        "LineKindEnum": "hanout.pos.models.LineKind",
        "CashMovementKindEnum": "hanout.pos.models.CashMovementKind",
        "PrinterKindEnum": "hanout.pos.models.PrinterKind",
        "SessionStatusEnum": "hanout.pos.models.SessionStatus",
        "PaymentMethodEnum": "hanout.pos.models.PaymentMethod",
        "SupplierPaymentMethodEnum": "hanout.purchasing.models.SupplierPaymentMethod",
        "RefundMethodEnum": "hanout.sales.models.RefundMethod",
        "OrderStatusEnum": "hanout.sales.models.OrderStatus",
        "POStatusEnum": "hanout.purchasing.models.POStatus",
        "InvoiceKindEnum": "hanout.sales.models.InvoiceKind",
        "ReturnDispositionEnum": "hanout.sales.models.ReturnDisposition",
        "WebhookDeliveryStatusEnum": "hanout.webhooks.models.DeliveryStatus",
        "FrequencyEnum": "hanout.expenses.models.Frequency",
        "LanguageEnum": "hanout.settings.LANGUAGES",
        "WalletEntryKindEnum": "hanout.marketplace.models.EntryKind",
        "WalletRequestKindEnum": "hanout.marketplace.models.RequestKind",
        "WalletRequestStatusEnum": "hanout.marketplace.models.RequestStatus",
        "ListingStatusEnum": "hanout.marketplace.models.ListingStatus",
        "ListingCategoryEnum": "hanout.marketplace.models.ListingCategory",
        "OfferStatusEnum": "hanout.marketplace.models.OfferStatus",
        "PurchaseStatusEnum": "hanout.marketplace.models.PurchaseStatus",
    },
}

# --- Security -------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind TLS (the chain setup), turn these on through the environment.
SECURE_SSL_REDIRECT = env_bool("HANOUT_SECURE_SSL_REDIRECT")
SESSION_COOKIE_SECURE = env_bool("HANOUT_SECURE_COOKIES")
CSRF_COOKIE_SECURE = env_bool("HANOUT_SECURE_COOKIES")
SECURE_HSTS_SECONDS = int(env("HANOUT_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env("HANOUT_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Bootstrap and htmx set style attributes; no inline scripts are allowed.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Deployment checks that do not apply to a loopback-only shop computer without TLS
# are silenced only when TLS is not configured; see docs/operator.md.
SILENCED_SYSTEM_CHECKS = []
if not env_bool("HANOUT_SECURE_COOKIES"):
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("HANOUT_LOG_LEVEL", "INFO")},
    # The job consumer installs its own handler on "huey": do not print twice.
    "loggers": {"django.db.backends": {"level": "INFO"}, "huey": {"propagate": False}},
}
HANOUT_PUBLIC_URL = env("HANOUT_PUBLIC_URL", "http://127.0.0.1:8000")
# The register's phone payments: the provider (`test` is built in and needs no outside
# service), the counter's card terminal, and where customers' phones reach the pay page
# (empty: the address the register used).
HANOUT_PAYMENT_PROVIDER = env("HANOUT_PAYMENT_PROVIDER", "test")
HANOUT_CARD_TERMINAL = env("HANOUT_CARD_TERMINAL", "manual")
HANOUT_PAY_BASE_URL = env("HANOUT_PAY_BASE_URL", "")
# Outgoing webhooks (docs/webhooks.md): private/loopback targets and plain http are refused
# unless allowed here (a receiver on the same network); each request waits this many seconds.
WEBHOOKS_ALLOW_PRIVATE = env_bool("HANOUT_WEBHOOKS_ALLOW_PRIVATE")
WEBHOOKS_ALLOW_HTTP = env_bool("HANOUT_WEBHOOKS_ALLOW_HTTP")
WEBHOOKS_TIMEOUT = float(env("HANOUT_WEBHOOKS_TIMEOUT", "5"))
# Backups (docs/adr/0014-backups.md): where, when (a daily time in the server's local time,
# or "off"; a shop on SQLite gets a nightly backup without asking, a PostgreSQL chain has
# its own), with the media folders or not, and the owner's key to encrypt them.
HANOUT_BACKUP_DIR = env("HANOUT_BACKUP_DIR") or str(DATA_DIR / "backups")
HANOUT_BACKUP_TIME = env(
    "HANOUT_BACKUP_TIME",
    "03:00" if DATABASES["default"]["ENGINE"] == "hanout.core.sqlite" else "off",
)
HANOUT_BACKUP_MEDIA = env_bool("HANOUT_BACKUP_MEDIA", True)
HANOUT_BACKUP_KEY = env("HANOUT_BACKUP_KEY")
HANOUT_BACKUP_KEY_FILE = env("HANOUT_BACKUP_KEY_FILE")
# Store → hub sync (docs/adr/0015-store-hub-sync.md): changes per request, and plain
# http:// to the hub only when allowed (a hub on the same network; https otherwise).
HANOUT_SYNC_BATCH = int(env("HANOUT_SYNC_BATCH", "2000"))
HANOUT_SYNC_ALLOW_HTTP = env_bool("HANOUT_SYNC_ALLOW_HTTP")
ACCOUNT_FORMS = {"signup": "hanout.accounts.forms.ManagerSignupForm"}
# The manager's name and phone: in the web's form above and in the headless signup
# the desktop app uses (allauth builds both on this class).
ACCOUNT_SIGNUP_FORM_CLASS = "hanout.accounts.forms_signup.ManagerDetailsForm"
FORM_RENDERER = "hanout.core.forms_renderer.BootstrapFormRenderer"
FORMAT_MODULE_PATH = ["hanout.formats"]
