"""Settings, read from the environment.

- DATABASE_URL: default SQLite (WAL) in var/; postgres://… for PostgreSQL.
- SECRET_KEY: required in production; in development generated once into var/secret_key.
- ALLOWED_HOSTS: comma-separated.
- PARKLINK_ENV=production: hardened settings (HTTPS cookies, HSTS, CSP, secure headers).
- REDIS_URL: shared cache, change feed and task queue (several app servers); default local
  memory, no feed, the database task backend.
- PARKLINK_VAR_DIR: where the SQLite file, the secret and uploads live (default ./var).
"""

from __future__ import annotations

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PARKLINK_VAR_DIR", Path.cwd() / "var")).resolve()

ENV = os.environ.get("PARKLINK_ENV", "development")
PRODUCTION = ENV == "production"
TESTING = os.environ.get("PARKLINK_TESTING") == "1" or "pytest" in sys.modules


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret_key() -> str:
    """A development key generated once into var/ (never committed)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _dev_secret_key()

DEBUG = _env_bool("PARKLINK_DEBUG", not PRODUCTION and not TESTING)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "parklink.core",
    "parklink.parks",
    "parklink.orgs",
    "parklink.news",
    "parklink.chains",
    "parklink.search",
    "parklink.leads",
    "parklink.leases",
    "parklink.matching",
    "parklink.policies",
    "parklink.portal",
    "parklink.office",
    "parklink.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "parklink.core.middleware.InputHygieneMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "parklink.core.middleware.RequestLogMiddleware",
    "parklink.portal.middleware.BrandedErrorsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parklink.urls"
WSGI_APPLICATION = "parklink.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parklink.core.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'parklink.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _SQLITE_DEFAULT),
        conn_max_age=int(os.environ.get("PARKLINK_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not TESTING:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write
    # lock up front so concurrent writers queue on the busy timeout instead of failing.
    # Persistent connections are safe here: Django keeps one connection per thread (SQLite
    # objects never cross threads), WAL readers see every commit of other connections at
    # their next transaction, and health checks drop a broken one. Opening a connection
    # and running its PRAGMAs costs more than many page queries (docs/benchmarks.md).
    # cache_size: SQLite's page cache per connection (default 2 MiB) is smaller than the
    # rows the dashboard's joins visit at 100k leads / 50k leases; 64 MiB keeps them (pages
    # are allocated as read, so a small database uses what it needs). Negative = KiB.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("PARKLINK_CONN_MAX_AGE", "60"))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation is for long analytical queries: for the dashboard's aggregates over
    # tens of thousands of rows PostgreSQL's cost estimate passes jit_above_cost and it
    # spends ~12 ms compiling a 25 ms query (bench/dashboard.py --explain). Off per
    # connection; PARKLINK_PG_OPTIONS replaces these server options ("" for none).
    _pg_options = os.environ.get("PARKLINK_PG_OPTIONS", "-c jit=off")
    if _pg_options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", _pg_options)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, change feed, tasks ----------------------------------------------------------
# REDIS_URL turns on what several app servers need: the shared cache, the change feed that
# keeps every process's in-process indexes fresh (parklink/core/changefeed.py) and the
# Redis task queue (django-tasks-rq). Without it: local memory, no feed, database tasks.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (django-tasks; `parklink worker`) ---------------------------------
# The database backend is the embedded default; with REDIS_URL the queue lives in Redis
# (RQ through django-tasks-rq: no polling of a table, workers on any server), unless
# PARKLINK_TASKS=database keeps it in the database.
_TASKS_BACKEND = os.environ.get("PARKLINK_TASKS", "redis" if REDIS_URL else "database")
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif _TASKS_BACKEND == "redis" and REDIS_URL:
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login protection (django-axes, docs/security.md): after PARKLINK_LOGIN_FAILURE_LIMIT wrong
# passwords from one IP address, or for one user name from anywhere, /office/login/ and
# /admin/login/ refuse further attempts (HTTP 429, a Chinese/English page) for
# PARKLINK_LOGIN_COOLOFF_MINUTES. Attempts are recorded in the database (axes' tables).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PARKLINK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PARKLINK_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one trips the lock
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "parklink.core.lockout.lockout_response"
# The client IP is REMOTE_ADDR, as for lead rate limits: have the reverse proxy set it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = not TESTING
LOGIN_URL = "/office/login/"
LOGIN_REDIRECT_URL = "/office/"
LOGOUT_REDIRECT_URL = "/"

# --- I18N -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# ISO first in DATE_INPUT_FORMATS for every language: <input type="date"> round-trips.
FORMAT_MODULE_PATH = ["parklink.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION
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

# --- Limits ---------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email (console backend by default) -----------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "PARKLINK_EMAIL_BACKEND",
    "django.core.mail.backends.locmem.EmailBackend"
    if TESTING
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("PARKLINK_FROM_EMAIL", "ParkLink <noreply@parklink.local>")

# --- Product settings -----------------------------------------------------------------
PARKLINK = {
    # A listing not reconfirmed within this many days is stale: hidden from public search.
    "LISTING_STALE_DAYS": int(os.environ.get("PARKLINK_LISTING_STALE_DAYS", "30")),
    # Largest import file accepted (bytes).
    "IMPORT_MAX_BYTES": int(os.environ.get("PARKLINK_IMPORT_MAX_BYTES", str(20 * 1024 * 1024))),
    # In-process indexes (faceted space search, matching) follow changes by signal, by
    # updated_at and, with REDIS_URL, by the change feed. The faceted index is rebuilt in
    # full this often as a safety net against writes that leave no trace (deleted rows):
    # 600 s alone, once a day when the change feed tells it of every write. Tests rebuild
    # always.
    "SPACE_SEARCH_INDEX": _env_bool("PARKLINK_SPACE_SEARCH_INDEX", True),
    "SPACE_SEARCH_REBUILD_SECONDS": int(
        os.environ.get(
            "PARKLINK_INDEX_REBUILD_SECONDS",
            "0" if TESTING else ("86400" if REDIS_URL else "600"),
        )
    ),
    "SPACE_SEARCH_OVERLAP_SECONDS": 5,
    "MATCHING_REBUILD_SECONDS": int(
        os.environ.get("PARKLINK_INDEX_REBUILD_SECONDS", "0" if TESTING else "600")
    ),
    # Whole public pages cached for anonymous visitors (parklink/core/cache.py); a write to
    # public content invalidates them at once (every server with Redis), writes that send
    # no signal show after this many seconds. 0 turns the page cache off (tests).
    "PAGE_CACHE_SECONDS": int(
        os.environ.get(
            "PARKLINK_PAGE_CACHE_SECONDS", "0" if TESTING else ("60" if REDIS_URL else "5")
        )
    ),
    # The Redis change feed between processes (only with REDIS_URL).
    # Off under tests: a listener thread would write beside the test's transaction.
    "CHANGE_FEED": _env_bool("PARKLINK_CHANGE_FEED", not TESTING),
    # Matching weights and thresholds: overrides of parklink.matching.config.MatchConfig.
    "MATCHING": {},
    # Empty: the translated default name (ParkLink 产业园区招商对接平台).
    "SITE_NAME": os.environ.get("PARKLINK_SITE_NAME", ""),
    # The site-wide 招商 contact, shown where a park names no agent of its own.
    "HOTLINE": os.environ.get("PARKLINK_HOTLINE", "400-000-0000"),
    "CONTACT_NAME": os.environ.get("PARKLINK_CONTACT_NAME", ""),
    "CONTACT_MOBILE": os.environ.get("PARKLINK_CONTACT_MOBILE", ""),
    "CONTACT_WECHAT": os.environ.get("PARKLINK_CONTACT_WECHAT", ""),
    # Serve uploaded photos (MEDIA_ROOT) from the app itself (make run, one-box installs);
    # off where a web server in front serves /media/.
    "SERVE_MEDIA": _env_bool("PARKLINK_SERVE_MEDIA", True),
    # Django's technical 404/500 pages under DEBUG (developers only; visitors never).
    "TECHNICAL_ERRORS": _env_bool("PARKLINK_TECHNICAL_ERRORS", False),
}

# --- Security headers (hardened in production) ------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("PARKLINK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True

# --- Logging: one structured line per event on stdout ------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"kv": {"()": "parklink.core.logging.KeyValueFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "kv"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("PARKLINK_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "jieba": {"level": "WARNING"},
        # django-axes announces itself at every start (every `parklink` command); lockouts
        # and failed logins (axes.handlers, axes.signals) stay logged.
        "axes.apps": {"level": "WARNING"},
    },
}
