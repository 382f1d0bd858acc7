"""partnerdesk settings: one file, every environment-dependent value read strictly.

Environment variables (all optional in development and the demo):

- ``PARTNERDESK_MODE``: ``development`` (default) or ``production``. Production requires
  ``SECRET_KEY`` and turns DEBUG off.
- ``DATABASE_URL``: ``sqlite:///path`` or ``postgres://user@host:port/name``; default is the
  SQLite file ``partnerdesk.sqlite3`` in the data folder.
- ``PARTNERDESK_DATA_DIR``: the data folder (SQLite file, uploads, mail spool); default
  ``./data`` below the working directory.
- ``PARTNERDESK_VENDOR_NAME``: the vendor's display name (default ``BSI``).
- ``PARTNERDESK_MAIL``: ``console``, ``file`` or ``smtp`` (with ``EMAIL_HOST`` …).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from partnerdesk.lib.env import (
    SettingsError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent

MODE = env_str("PARTNERDESK_MODE", "development")
if MODE not in ("development", "production"):
    raise SettingsError(f"PARTNERDESK_MODE={MODE!r} is unknown: use development or production")
PRODUCTION = MODE == "production"

DATA_DIR = Path(env_str("PARTNERDESK_DATA_DIR", str(Path.cwd() / "data"))).resolve()

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", "")
    if not SECRET_KEY:
        raise SettingsError("SECRET_KEY must be set when PARTNERDESK_MODE=production")
else:
    SECRET_KEY = env_str("SECRET_KEY", "partnerdesk-development-only-not-secret")

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

VENDOR_NAME = env_str("PARTNERDESK_VENDOR_NAME", "BSI")
# Absolute address of this installation, for links in e-mails and calendar files.
PARTNERDESK_BASE_URL = env_str("PARTNERDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Solutions nobody confirmed close themselves after this many days.
PARTNERDESK_AUTO_CLOSE_DAYS = env_int("PARTNERDESK_AUTO_CLOSE_DAYS", 10)
# A check due within this many hours is flagged "due soon".
PARTNERDESK_CHECK_WARNING_HOURS = env_int("PARTNERDESK_CHECK_WARNING_HOURS", 4)
PARTNERDESK_MAX_ATTACHMENT_MB = env_int("PARTNERDESK_MAX_ATTACHMENT_MB", 20)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "partnerdesk.parties",
    "partnerdesk.contracts",
    "partnerdesk.accounts",
    "partnerdesk.tickets",
    "partnerdesk.efforts",
    "partnerdesk.billing",
    "partnerdesk.schedule",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "partnerdesk.urls"
WSGI_APPLICATION = "partnerdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerdesk.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", "sqlite://"), data_dir=DATA_DIR),
}
if (
    DATABASES["default"]["ENGINE"].endswith("sqlite3")
    and DATABASES["default"]["NAME"] != ":memory:"
):
    # SQLite cannot create the folder of its file; the data folder is ours to make.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("PARTNERDESK_TEST_DB", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "parties.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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

LANGUAGE_CODE = "de-ch"
LANGUAGES = [("de-ch", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Swiss number and date conventions in both languages (see partnerdesk/formats/).
FORMAT_MODULE_PATH = ["partnerdesk.formats"]
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project's own static files (stylesheet, vendored htmx) live beside its templates.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Swagger UI sets inline style attributes; scripts stay strict.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Mail goes through Django's MAILERS. PARTNERDESK_MAIL: "console" (development default),
# "file" (into DATA_DIR/mail; the demo), or "smtp" (production default, EMAIL_* below).
MAIL = env_str("PARTNERDESK_MAIL", "smtp" if PRODUCTION else "console")
if MAIL == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=False),
                "timeout": 20,
            },
        }
    }
elif MAIL == "file":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
elif MAIL == "console":
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise SettingsError(f"PARTNERDESK_MAIL={MAIL!r} is unknown: use console, file or smtp")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "partnerdesk <noreply@partnerdesk.invalid>")

TASKS = {
    "default": {
        "BACKEND": env_str("PARTNERDESK_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own "django" logger has a console handler of its own in DEBUG; one line each.
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
