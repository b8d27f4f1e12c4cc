"""Settings for the newcomer KPI dashboard.

Everything that differs between a laptop and production comes from environment variables
(see .env.example). With no variables set, the app runs in debug mode on SQLite.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_str,
    redis_database,
)
from config.logs import logging_config
from config.sentry import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "The environment variable SECRET_KEY is required when DEBUG is off "
            "(at least 32 random characters)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "simple_history",
    "django_tasks_db",
    "accounts",
    "metrics",
    "guidance",
]

MIDDLEWARE = [
    "config.health.HealthCheckMiddleware",
    "config.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.preferences",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Persistent connections, checked before each request reuses one, so that a connection broken
# by a database restart is replaced instead of failing the request (0 closes after each one).
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60)
try:
    # Connections are kept for CONN_MAX_AGE seconds and checked before reuse, so that a database
    # restart costs the requests made while it is down and not the first one after it.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(
        f"The environment variable DATABASE_URL is not valid: {error}"
    ) from None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Repeated failed log-ins are slowed per username *and* address, for a finite time.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_VERBOSE = False
# One key per person however the address is typed, and the client's own IP behind the proxy.
AXES_USERNAME_CALLABLE = "accounts.addresses.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_ip"

# --- Behind a proxy -------------------------------------------------------------------------
# How many proxies in front of the app append to X-Forwarded-For (the deployment's TLS proxy
# is one). 0 reads the connection's address: right when clients reach the app directly.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("The environment variable TRUSTED_PROXY_COUNT must be 0 or more.")

# --- Rate limits (django-ratelimit on the default cache) -------------------------------------
# Per action, two limits: per person (the account, or the address typed when logged out) and
# per client IP. The IP limit is wider: a family or a refugee centre may share one address.
RATE_LIMITS = {
    "login": {"user": "10/15m", "ip": "60/15m"},
    "signup": {"user": "3/h", "ip": "20/h"},
    "password_reset": {"user": "3/h", "ip": "20/h"},
    "invitation": {"user": "20/h", "ip": "60/h"},
    "comment": {"user": "60/h", "ip": "200/h"},
    "upload": {"user": "20/h", "ip": "60/h"},
}
RATELIMIT_IP_META_KEY = "accounts.addresses.client_ip"
# The local-memory cache counts per process: enough for one server and for tests; the
# deployment's shared cache (Redis, through Django's own backend) holds across servers.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("ar", "العربية"),
    ("uk", "Українська"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_LANGUAGES = ("en", "fr", "nl", "ar", "uk")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_SAMESITE: Final = "Lax"

# Without REDIS_URL each process keeps its own cache in memory (the embedded default). With it,
# every app server shares Redis: the dashboard's kept cards (metrics/dashboard/cache.py, in a Redis
# database of their own so that forgetting them leaves the rest alone), the default cache and
# the sessions, which are written through to the database and so outlive a Redis restart.
REDIS_URL = env_str("REDIS_URL", "")
# Raise it when metrics.dashboard.cache.RenderedBoard or its fragments change shape: no server
# then reads boards of the old shape from the shared cache.
DASHBOARD_CACHE_VERSION = 2
if REDIS_URL:
    # A Redis that is down fails the request at once instead of holding a worker.
    _REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kpi",
            "OPTIONS": _REDIS_OPTIONS,
        },
        "dashboard": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_database(REDIS_URL, offset=1),
            "KEY_PREFIX": "board",
            "TIMEOUT": 3600,
            "OPTIONS": _REDIS_OPTIONS,
            "VERSION": DASHBOARD_CACHE_VERSION,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "dashboard": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dashboard",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 200},
            "VERSION": DASHBOARD_CACHE_VERSION,
        },
    }

# Background work (every email) goes through Django's tasks framework. "immediate" runs it in
# the request, as on a laptop; "database" queues it in PostgreSQL for `manage.py db_worker`, in
# the same transaction as the write that caused it.
TASKS_BACKEND = env_choice(
    "TASKS_BACKEND", ["immediate", "database"], "immediate" if DEBUG else "database"
)
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django.tasks.backends.immediate.ImmediateBackend",
    }
}
# A failed email is tried again after 1, 2, 4 … minutes, at most an hour apart: 12 attempts
# span about a day and a half before it is given up (and logged as an error).
EMAIL_RETRY_ATTEMPTS = env_int("EMAIL_RETRY_ATTEMPTS", 12)
EMAIL_RETRY_DELAY = env_float("EMAIL_RETRY_DELAY", 60.0)
EMAIL_RETRY_MAX_DELAY = env_float("EMAIL_RETRY_MAX_DELAY", 3600.0)
# A sales list larger than this (bytes) is kept in the database and read by a task: the upload
# is answered at once with a page that refreshes until the preview is ready. Smaller ones are
# read in the request. A kept upload waits at most STORED_UPLOAD_SECONDS for its owner.
LEDGER_TASK_BYTES = env_int("LEDGER_TASK_BYTES", 1024 * 1024)
STORED_UPLOAD_SECONDS = env_int("STORED_UPLOAD_SECONDS", 3600)

STATIC_URL = "/static/"
# Where collectstatic puts the files whitenoise serves (the Dockerfile runs it at build time).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/plotly", BASE_DIR / "node_modules" / "plotly.js-basic-dist-min"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console by default; SMTP when EMAIL_BACKEND names it.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAIL_OPTIONS: dict[str, object] = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _MAIL_OPTIONS = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", default=True),
        # Seconds to wait for the mail server before the attempt fails and is tried again.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _MAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Newcomer KPI <no-reply@localhost>")
# Where the site is reached from outside, for the links in emails sent without a request
# (reminders from cron, invitations, comment notices), e.g. https://kpi.example.org
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

# JSON lines (one per request, see config/logs.py) unless DEBUG, where plain text reads better.
LOG_JSON = env_bool("LOG_JSON", default=not DEBUG)
LOGGING = logging_config(
    json=LOG_JSON,
    level=env_str("LOG_LEVEL", "WARNING"),
    requests=env_bool("LOG_REQUESTS", default=LOG_JSON),
)

# Error reports, only when a DSN is given, and with no personal data (config/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE", ""),
        traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0),
    )

# django-debug-toolbar, from the dev dependency group, on a laptop and only when asked for.
if DEBUG and env_bool("DEBUG_TOOLBAR", default=False):
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(3, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]

PRODUCT_NAME = _("Newcomer KPI")
