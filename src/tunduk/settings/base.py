"""Django settings for the central role, built from one reading of the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from tunduk import limits
from tunduk.settings.env import Environment

# Classes that are generic only in django-stubs become subscriptable at run time too, so
# views and forms can name their model (``ListView[Element]``, ``ModelForm[Element]``).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
ENV = Environment.read(BASE_DIR)
ENV.data_dir.mkdir(parents=True, exist_ok=True)

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
    "tunduk.core",
    "tunduk.accounts",
    "tunduk.workdays",
    "tunduk.registry",
    "tunduk.journaling",
    "tunduk.catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registry:dashboard"
LOGOUT_REDIRECT_URL = "registry:element-list"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
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
