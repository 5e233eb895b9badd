"""Django settings for Attract. Everything a deployment changes comes from ATTRACT_* variables."""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from attract.core.database_config import default_database
from attract.core.environment import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "ninja",
    "attract.core",
    "attract.accounts",
    "django_tasks",
    "django_tasks_db",
    "attract.jobs",
    "attract.people",
    "attract.pipeline",
    "attract.transfer",
    "attract.attraction",
    "attract.engagement",
    "attract.partners",
    "attract.aftercare",
    "attract.reports",
    "attract.mail",
    "attract.webhooks",
    "attract.web",
    "attract.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "attract.core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "attract.web.middleware.FirstRunMiddleware",
    "attract.core.middleware.UserTimezoneMiddleware",
    # Last, so that a locked-out attempt is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "attract.urls"
WSGI_APPLICATION = "attract.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "attract.web.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
# SQLite by default: one file under var/, with WAL, IMMEDIATE transactions and a busy timeout
# (attract/core/database_config.py) — and so is any SQLite file named in ATTRACT_DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {"default": default_database(url=DATABASE_URL, var_dir=VAR_DIR)}
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:today"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (attract/accounts/throttling.py): after 5 failures for one account, from
# whatever addresses, or 20 from one client address, over whatever accounts, log-in waits 15
# minutes — for that account, or from that address.
ATTRACT_LOGIN_LIMITS = {
    "username": env_int("LOGIN_FAILURE_LIMIT", 5),
    "ip_address": env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20),
}
if min(ATTRACT_LOGIN_LIMITS.values()) < 1:
    raise ImproperlyConfigured(
        "ATTRACT_LOGIN_FAILURE_LIMIT and ATTRACT_LOGIN_ADDRESS_FAILURE_LIMIT must be 1 or more."
    )
AXES_HANDLER = "attract.accounts.throttling.LoginLockoutHandler"
AXES_FAILURE_LIMIT = ATTRACT_LOGIN_LIMITS["username"]
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address: the proxy header is read only when the request comes from one of the
# trusted proxies (attract/accounts/client_address.py).
ATTRACT_TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
ATTRACT_CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "attract.accounts.client_address.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Emails are case-insensitive, so the failure count must be too.
AXES_USERNAME_CALLABLE = "attract.accounts.throttling.axes_username"
AXES_VERBOSE = False

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
ATTRACT_CURRENCY = env_str("CURRENCY", "USD")
# The name the exit survey and published testimonials speak in (aftercare).
ATTRACT_BUSINESS_NAME = env_str("BUSINESS_NAME", "")
# Region used to read phone numbers written without a country code.
ATTRACT_PHONE_REGION = env_str("PHONE_REGION", "US")
# Engagement: a deal is Pull when the prospect reached out, or replied within the quick-reply
# time, inside the window; we aim to answer an inbound message within the target.
ATTRACT_PULL_WINDOW_DAYS = env_int("PULL_WINDOW_DAYS", 30)
ATTRACT_QUICK_REPLY_HOURS = env_int("QUICK_REPLY_HOURS", 48)
ATTRACT_RESPONSE_TARGET_WORKING_HOURS = env_int("RESPONSE_TARGET_WORKING_HOURS", 4)

# --- Background work ----------------------------------------------------------------------
# Django's Tasks API (the django-tasks backport) with its database backend: the queue is a
# table, so it works on SQLite and PostgreSQL alike and needs no broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task is tried again after 30 s, 2 min, 8 min, 32 min… up to this many attempts.
ATTRACT_JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 5)
ATTRACT_JOB_FIRST_RETRY_SECONDS = env_int("JOB_FIRST_RETRY_SECONDS", 30)
# A worker writes a heartbeat this often; one silent for six beats is taken for dead and its
# running task is put back in the queue.
ATTRACT_WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
# Finished tasks (and, later, other finished work) are forgotten after this many days.
ATTRACT_JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 30)
# Webhooks: a receiver has this long to answer; a refused delivery is tried again after 30 s,
# 1 min, 2 min… (at most every 2 hours) for a day, then failed; after this many failed
# deliveries in a row the subscription is switched off and its owner told.
ATTRACT_WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
ATTRACT_WEBHOOKS_FIRST_RETRY_SECONDS = env_int("WEBHOOKS_FIRST_RETRY_SECONDS", 30)
ATTRACT_WEBHOOKS_RETRY_HOURS = env_int("WEBHOOKS_RETRY_HOURS", 24)
ATTRACT_WEBHOOKS_DISABLE_AFTER = env_int("WEBHOOKS_DISABLE_AFTER", 3)
# Allow webhook URLs on private, loopback and link-local addresses (a receiver on your own
# network). Off by default: a subscription must not reach into the server's network.
ATTRACT_WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
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
# Tests and `attract serve` both collect static files first; in DEBUG whitenoise serves
# them straight from the apps.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email ------------------------------------------------------------------------------
_email_url = env_str("EMAIL_URL", "console://")
if _email_url.startswith("console:"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url.startswith(("smtp:", "smtps:", "submission:")):
    from urllib.parse import unquote, urlparse

    _parsed = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or (465 if _parsed.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_SSL = _parsed.scheme == "smtps"
    EMAIL_USE_TLS = _parsed.scheme == "submission"
    # ?timeout=SECONDS: how long a silent server is waited for (default 30), so a send
    # fails with a clear message instead of hanging the worker.
    from urllib.parse import parse_qs

    _timeout = parse_qs(_parsed.query).get("timeout", ["30"])[0]
    if not _timeout.isdigit() or not 0 < int(_timeout) <= 600:
        raise ImproperlyConfigured(
            f"ATTRACT_EMAIL_URL: timeout={_timeout!r} is not a number of seconds (1-600)"
        )
    EMAIL_TIMEOUT = int(_timeout)
else:
    raise ImproperlyConfigured(
        f"ATTRACT_EMAIL_URL={_email_url!r}: use console://, smtp://, smtps:// or submission://"
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "attract@localhost")
# Where the links in e-mail sent by the worker point (unsubscribe, exit survey) when no web
# request is there to tell: the address people reach Attract at.
ATTRACT_BASE_URL = env_str("BASE_URL", "http://localhost:8000").rstrip("/")

# --- Security ---------------------------------------------------------------------------
SECURE_HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
# Load balancers probe over plain HTTP on the private side of the TLS proxy: a redirect to
# https would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script, style, image and font comes from this
# site, and none is inline — behaviour hangs on data-* attributes in our static JS, htmx runs
# without eval or its injected <style> (its meta config in base.html). So injected markup
# cannot run, load or style anything even if an escaping mistake let it through.
# data: images: Swagger UI (the API docs page, django-ninja's bundled copy) draws its select
# arrows and icons with data: URLs in its stylesheet; an image cannot run anything.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
NINJA_PAGINATION_PER_PAGE = 50
