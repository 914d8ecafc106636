"""Django settings for Acopagro, read from environment variables.

Environment:
- DEBUG (0/1, default 0). SECRET_KEY is required unless DEBUG=1.
- DATABASE_URL: unset means an SQLite file in the project folder; `postgres://...` for PostgreSQL.
- ALLOWED_HOSTS: comma-separated (default: localhost names when DEBUG, none otherwise).
- CSRF_TRUSTED_ORIGINS: comma-separated origins behind a proxy.
- SECURE_SSL: 1 behind HTTPS to turn on secure cookies, HSTS and the HTTPS redirect.
- EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
  DEFAULT_FROM_EMAIL: the SMTP server for password-reset mail (console output when DEBUG=1).
- API_TOKEN_TTL_HOURS: lifetime of an API token (default 720, 30 days).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from acopagro.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG=1"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "axes",
    # Background jobs: Django 6's Tasks interface (django-tasks) kept in the database.
    "django_tasks",
    "django_tasks_db",
    # The bottom layer, the domain apps, then the apps composing them (docs/architecture.md).
    "core",
    "members",
    "plantings",
    "credits",
    "reports",
    "imports",
    "api",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Slides the session expiry with activity, saving the session at most once a minute.
    "core.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a lost database into the friendly 503 page (see core/middleware.py).
    "core.middleware.DatabaseUnavailableMiddleware",
    # An admin POST refreshes the summaries once, after all its rows (see core/middleware.py).
    "core.middleware.AdminBatchMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "acopagro.urls"

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
                "core.context_processors.fragment_cache",
            ],
        },
    },
]

WSGI_APPLICATION = "acopagro.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must give a quick 503 page, not a hung worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite in WAL mode lets the dev server read while a long seed or import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.CachedPermissionsBackend",  # ModelBackend, its permission sets cached
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Spanish first, the cooperative's language; English and French for
# partners and buyers. LocaleMiddleware follows the browser's Accept-Language.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English")), ("fr", _("French"))]
# locale_vendor: Spanish for django-simple-history's admin pages (the package has none), in a folder
# makemessages never writes to (an app's own locale/ would collect that app's strings); listed
# here so it wins over other apps' different uses of the same words ("Created" as a date).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
# Spanish numbers and dates are Peru's (1,234.56; dd/mm/yyyy), not Spain's: core/formats/es and
# es_PE, found before Django's own modules. A browser set to es-PE gets "es" (its catalogue).
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party assets come from npm packages installed by `npm ci`, never from a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # Leaflet for the map of plots, from the XStatic-Leaflet wheel (requirements.txt).
    ("vendor/leaflet", __import__("xstatic.pkg.leaflet", fromlist=["BASE_DIR"]).BASE_DIR),
]
# Map base layer (tile URL template); empty: plots on a blank background, nothing fetched.
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
# Files users upload (import files between preview and confirmation) go through Django's storage
# API, in a private folder outside the static files; readable by the app's user only.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", "") or BASE_DIR / "media")
MEDIA_URL = "/media/"  # never served: nothing under MEDIA_ROOT is public
# Days after recording a monitoring visit during which its technician may still correct or
# cancel it (managers can at any time); plantings.services.can_correct_visit.
VISIT_CORRECTION_DAYS = env_int("VISIT_CORRECTION_DAYS", 30)

# Plot boundaries (members/geometry.py) and the EUDR export.
PLOT_BOUNDARY_MAX_VERTICES = env_int("PLOT_BOUNDARY_MAX_VERTICES", 2000)
PLOT_BOUNDARY_MAX_POINT_DISTANCE_M = env_int("PLOT_BOUNDARY_MAX_POINT_DISTANCE_M", 500)
PLOT_BOUNDARY_ALLOW_HOLES = env_bool("PLOT_BOUNDARY_ALLOW_HOLES", False)
# Polygon area against declared area_ha: beyond this share the plot page warns.
PLOT_AREA_TOLERANCE_PCT = env_int("PLOT_AREA_TOLERANCE_PCT", 20)
# Shared area below which two boundaries only touch (GPS error along a common edge).
PLOT_OVERLAP_TOLERANCE_M2 = env_int("PLOT_OVERLAP_TOLERANCE_M2", 100)
# TRACES refuses a geolocation file over 25 MB; each exported file stays under this size.
EUDR_EXPORT_MAX_BYTES = env_int("EUDR_EXPORT_MAX_BYTES", 24 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded import files waiting for their preview and confirmation (imports/uploads.py).
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Modes set here, not by FILE_UPLOAD_PERMISSIONS: collectstatic would apply that one to
        # the static files too, which the image's unprivileged user must read.
        "OPTIONS": {
            "location": MEDIA_ROOT / "imports-pending",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    # Files built by the background jobs (big report exports, verification packages), kept
    # until `manage.py clean_exports` removes them (reports/jobs.py).
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": MEDIA_ROOT / "exports",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissions"],
    # DRF's parsers, with deeply nested JSON a 400 rather than a RecursionError (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
# API tokens (django-rest-knox, api/tokens.py): only a digest is stored; each token expires
# after API_TOKEN_TTL_HOURS and can be revoked. Header as before: `Authorization: Token <token>`.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 30 * 24)),
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_LIMIT_PER_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Acopagro API",
    "DESCRIPTION": "Producer registry and reforestation carbon-credit programme of Acopagro.",
    "VERSION": "1.0.0",
    # A plot's land use and its land use on 31 Dec 2020 share one set of choices.
    "ENUM_NAME_OVERRIDES": {"LandUseEnum": "members.models.Plot.LandUse"},
}

# Security headers that are safe everywhere; HTTPS-only ones follow SECURE_SSL.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Expiry after inactivity: the age counts from the last save, which SessionRefreshMiddleware
# renews at most once a minute (saving on every request cost a write per page). Django's own
# database sessions.
SESSION_SAVE_EVERY_REQUEST = False

# Report figures are cached, keyed by the generations of the data they read (core/changes.py,
# reports/cache.py). With REDIS_URL (or CACHE_URL) set, every worker and container shares
# one Redis cache (production, docker-compose.yml, make bench, CI); otherwise each process keeps
# its own local memory (make run). Nothing may be correct only inside one process.
CACHE_URL = env_str("REDIS_URL", "") or env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL / CACHE_URL must be a redis://, rediss:// or unix:// URL; got {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "acopagro"),
        }
    }
else:
    # Django's default of 300 entries is too few for a navbar per user and page.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }

# Background jobs (docs/architecture.md, "Background jobs"): the database backend of django-tasks,
# run by `manage.py db_worker` (make run starts one beside the server; docker-compose.yml runs a
# `worker` service). TASKS_BACKEND=immediate runs each job inline in the request instead.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate; got {TASKS_BACKEND!r}"
    )
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
# A job no worker has moved for this long (its worker was killed) is queued again; the import is
# one transaction, so nothing of the first run was written.
IMPORT_JOB_STALL_MINUTES = env_int("IMPORT_JOB_STALL_MINUTES", 30)
# Export jobs (reports/jobs.py): a job whose row has not moved for this long is queued again;
# finished files are kept this long, then removed by `clean_exports` (and at each new job).
EXPORT_JOB_STALL_MINUTES = env_int("EXPORT_JOB_STALL_MINUTES", 30)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
# Report downloads with more rows than this (all tables together) are built by a job; smaller
# ones in the request, in about a second at most on 2 busy cores (measured 2026-12-01: CSV of
# 20,000 rows 0.23 s; XLSX of the 600-member demo's members report 0.72 s; its PDF 10.5 s).
EXPORT_SYNC_MAX_ROWS = {
    "csv": env_int("EXPORT_SYNC_MAX_ROWS_CSV", 20000),
    "xlsx": env_int("EXPORT_SYNC_MAX_ROWS_XLSX", 1000),
    "pdf": env_int("EXPORT_SYNC_MAX_ROWS_PDF", 100),
}

if env_bool("SECURE_SSL", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer's health probe speaks plain HTTP inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4): no inline script or style anywhere; every script and
# stylesheet is a static file of our own. core.middleware relaxes only style attributes on
# /admin/ pages of third-party apps and inside SVG charts, never scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's CSS draws its icons (select arrows, toggler) as data: SVG images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login lockout (django-axes): 5 failures for one username from one address lock that pair for
# 15 minutes. Keyed on the pair, so one office behind a shared address is not locked out by one
# person's typos, and a username that does not exist locks exactly like one that does.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_VERBOSE = False
# Behind TRUSTED_PROXY_COUNT load balancers the client address comes from X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_ip"

# Request bodies: a form or JSON body above 5 MB is refused (400) before it is parsed; files are
# limited by the upload forms (20 MB for imports) and, before anything reaches a worker, by the
# proxy's body limit (docs/deploy.md: client_max_body_size 25m).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 5)

# Mail, for password resets: printed on the console under DEBUG=1 (`make run`), sent through the
# SMTP server of EMAIL_HOST in production (`check --deploy` warns when it is unset: core/checks.py).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Acopagro <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
