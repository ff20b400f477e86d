"""FactDB settings: one module, every deployment-specific value from the environment.

See `.env.example` for the variables. The defaults give a zero-setup local run on an
embedded SQLite database; production must set at least DJANGO_SECRET_KEY,
DJANGO_DEBUG=false, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only exists so a local checkout runs without set-up; it is
# refused whenever DEBUG is off.
_INSECURE_KEY = "django-insecure-local-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the history tables (history_user).
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factdb.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "factdb.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A writing transaction takes SQLite's write lock when it begins, so concurrent
    # writes queue (up to the timeout, in seconds) instead of failing when a reader
    # upgrades to a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # The tests' database is a file too (one per test run): an in-memory one
    # shared between threads locks whole tables and fails concurrent writers at
    # once instead of queueing them, unlike the file a deployment uses.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"factdb-test-{os.getpid()}.sqlite3")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `loaddata actors sources claims statements` finds the seed fixtures from any cwd.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

REST_FRAMEWORK = {
    # Scripts authenticate with a token; the browsable API uses the admin session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads published records; writing needs the model's add/change/delete
    # permission (editors), checked per view in claims.api.permissions.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.FactDBPagination",
    # drf-spectacular's AutoSchema, with anonymous reads and error responses.
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.FactDBAutoSchema",
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("FACTDB_THROTTLE_ANON", "120/minute"),
        "user": env_str("FACTDB_THROTTLE_USER", "1200/minute"),
    },
    "DATETIME_FORMAT": "iso-8601",
}

# "auto": PostgreSQL full-text search or SQLite FTS5, by database; "fallback" forces
# the plain substring backend (claims/search.py).
FACTDB_SEARCH_BACKEND = env_str("FACTDB_SEARCH_BACKEND", "auto")

# Imports (import_sources, POST /api/v1/sources/import/) refuse larger files.
_import_max_bytes = env_str("FACTDB_IMPORT_MAX_BYTES", str(5 * 1024 * 1024))
if not _import_max_bytes.isdigit() or int(_import_max_bytes) < 1:
    raise ImproperlyConfigured(
        f"FACTDB_IMPORT_MAX_BYTES must be a positive number of bytes, got "
        f"{_import_max_bytes!r}"
    )
FACTDB_IMPORT_MAX_BYTES = int(_import_max_bytes)

SPECTACULAR_SETTINGS = {
    "TITLE": "FactDB API",
    "DESCRIPTION": (
        "Who took which position on which contested claim or document, when, in "
        "answer to what, with the exact quotes that prove it. Read access is open "
        "for published records; editors write statements and citations with a token."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StanceEnum": "claims.stances.Stance",
        "ActorKindEnum": "claims.models.ActorKind",
        "SourceKindEnum": "claims.models.SourceKind",
        "VerificationEnum": "claims.models.Verification",
        "StatementStatusEnum": "claims.models.StatementStatus",
        "SuggestionStatusEnum": "claims.models.SuggestionStatus",
    },
}
