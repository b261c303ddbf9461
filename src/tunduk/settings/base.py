"""Django settings for the central role, built from one reading of the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.settings.env import Environment
from tunduk.settings.login import LoginEnvironment

# Classes that are generic only in django-stubs become subscriptable at run time too, so
# views and forms can name their model (``ListView[Element]``, ``ModelForm[Element]``).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
ENV = Environment.read(BASE_DIR)
# Owner-only: it holds the SQLite database (password hashes, personal-field salts), uploads
# and keys.
ENV.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

DEBUG = ENV.debug
SECRET_KEY = ENV.secret_key
ALLOWED_HOSTS = ENV.allowed_hosts
SITE_URL = ENV.site_url

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_q",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN (CSP 'self')
    "tunduk.core",
    "tunduk.accounts",
    "tunduk.workdays",
    "tunduk.registry",
    "tunduk.journaling",
    "tunduk.notifications",
    "tunduk.catalog",
    "tunduk.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, before anything reads the body (issue 7 finding 5).
    "tunduk.core.bounds.RequestBoundsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tunduk.urls"
WSGI_APPLICATION = "tunduk.wsgi.application"

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
                "tunduk.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so the web process and
    # the worker (checkpoints every minute) wait for each other instead of failing with
    # "database is locked" when a read lock cannot be upgraded.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif ENV.statement_timeout_seconds > 0:
    # No statement, and so no request, holds the database longer than this (issue 7 (5));
    # 0 turns it off, e.g. for a long data migration run by hand.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={ENV.statement_timeout_seconds * 1000}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:dashboard"
LOGOUT_REDIRECT_URL = "registry:element-list"

_PASSWORDS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": f"{_PASSWORDS}.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "email", "full_name")},
    },
    {"NAME": f"{_PASSWORDS}.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": f"{_PASSWORDS}.CommonPasswordValidator"},
    {"NAME": f"{_PASSWORDS}.NumericPasswordValidator"},
]

# Transport and browser security. With debug off `tunduk check --deploy` reports nothing;
# development serves plain HTTP on 127.0.0.1, so the TLS-only parts are off there.
# The TLS-terminating proxy sets this header and must drop it from clients' requests.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + ENV.proxy_ssl_header.upper().replace("-", "_"), "https")
    if ENV.proxy_ssl_header
    else None
)
SECURE_SSL_REDIRECT = not DEBUG
SECURE_HSTS_SECONDS = ENV.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "tunduk.core.error_pages.csrf_failure"  # the site's layout, translated
SESSION_COOKIE_SAMESITE = "Lax"
# An idle timeout: every request saves the session, so the age counts from the last one.
SESSION_COOKIE_AGE = ENV.session_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
# Scripts and styles come from our static files only; no inline code, no other origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Bishkek"
# A deadline in calendar days that ends on a day off moves to the next working day
# (docs/workdays.md names the general rule on terms); the operator may turn it off.
CALENDAR_DEADLINES_END_ON_WORKING_DAY = ENV.calendar_deadlines_end_on_working_day
USE_I18N = True
# One date format per language, a 24-hour clock everywhere (tunduk.core.formats).
FORMAT_MODULE_PATH = ["tunduk.core.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # the project's own CSS, beside the apps' static/
STATIC_ROOT = ENV.data_dir / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = ENV.data_dir / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = ENV.email_backend
DEFAULT_FROM_EMAIL = ENV.default_from_email

# Background work: django-q2 with its ORM broker runs on SQLite and PostgreSQL alike.
Q_CLUSTER = {
    "name": "tunduk",
    "workers": 1,
    "timeout": 300,
    "retry": 600,
    "orm": "default",
    "catch_up": False,
}

# ---- Request bounds (issue 7 finding 5) ------------------------------------------------
# Every number comes from tunduk.limits; tunduk.core.bounds answers 413 above them.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.REQUEST_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = limits.UPLOAD_IN_MEMORY_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = limits.REQUEST_FIELDS
DATA_UPLOAD_MAX_NUMBER_FILES = limits.REQUEST_FILES
# Registry document attachments (000 §20.12, §20.17, §28) and signed agreements.
DOCUMENT_MAX_BYTES = limits.DOCUMENT_BYTES
# ---- end of request bounds ---------------------------------------------------------------

TUNDUK_JOURNAL_SIGNING_KEY = ENV.journal_signing_key
TUNDUK_JOURNAL_ORIGIN = ENV.journal_origin
# Verifier keys of the independent witnesses whose cosignatures the journal accepts.
TUNDUK_JOURNAL_WITNESSES = ENV.journal_witnesses
# Seconds between signed checkpoints while the log grows; `journal verify` also fails when
# the newest checkpoint is older than this and later entries exist (issue 7, finding 2).
TUNDUK_JOURNAL_CHECKPOINT_INTERVAL = ENV.journal_checkpoint_interval
TUNDUK_INSTANCE = ENV.instance  # the X-Road instance code of this exchange (e.g. KG)
# In development the journal signs with a key generated under the data directory and
# time-stamps with the in-process TSA of tunduk.trust; production configures both.
TUNDUK_DEVELOPMENT_TRUST = ENV.debug
TUNDUK_JOURNAL_KEY_FILE = ENV.data_dir / "journal-signer.key"
TUNDUK_TSA_URL = ENV.tsa_url
TUNDUK_TSA_ROOTS = ENV.tsa_roots
TUNDUK_TSA_STATE_DIR = ENV.data_dir / "tsa"  # the development TSA's keys
TUNDUK_CA_STATE_DIR = ENV.data_dir / "ca"  # the CA issuing participants' certificates
TUNDUK_GLOBALCONF_KEY_DIR = ENV.data_dir / "globalconf"  # the configuration-signing key

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

# --- Sign-in protection and anonymous-form rate limits (issue 7, finding 4) ---------------
# Read from TUNDUK_LOGIN_*, TUNDUK_STAFF_TWO_FACTOR, TUNDUK_TRUSTED_PROXY_COUNT,
# TUNDUK_APPLICATION_RATE and TUNDUK_CACHE_* by tunduk.settings.login.
LOGIN_ENV = LoginEnvironment.read()
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
# Axes' middleware turns a lockout noticed during the view into the lockout page; last.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
# Axes refuses a locked-out account or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Either criterion alone locks: the account from every address, the address for every account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = LOGIN_ENV.failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_ENV.cooloff_minutes)
# Axes' own reset on success would also clear the address's failures, so an attacker
# signing in to their own account between guesses at another would never be locked;
# tunduk.accounts.signals clears only the signed-in account's failures instead.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "tunduk.core.http.client_ip"
AXES_LOCKOUT_CALLABLE = "tunduk.accounts.signin.locked_out"
AXES_VERBOSE = False  # failures are in the audit trail and axes' own tables, not the log
TUNDUK_TRUSTED_PROXY_COUNT = LOGIN_ENV.trusted_proxy_count
TUNDUK_STAFF_TWO_FACTOR = LOGIN_ENV.staff_two_factor_required
OTP_TOTP_ISSUER = "Tunduk"
# A shared cache (Redis, memcached) is needed for the limit to hold across worker processes.
CACHES = {"default": {"BACKEND": LOGIN_ENV.cache_backend, "LOCATION": LOGIN_ENV.cache_location}}
# django-ratelimit is used as a library (tunduk.registry.throttling), not as an installed
# app: its system check refuses the per-process default cache a single process is fine with.
TUNDUK_APPLICATION_RATE = LOGIN_ENV.application_rate
# Password-reset requests per client address (tunduk.accounts.password_reset).
TUNDUK_PASSWORD_RESET_RATE = "5/h"
PASSWORD_RESET_TIMEOUT = 60 * 60  # a reset link works for one hour
# --- end of sign-in protection ------------------------------------------------------------
