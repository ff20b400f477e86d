"""FactDB settings: one module, every deployment-specific value from the environment.

See `.env.example` for the variables. The defaults give a zero-setup local run on an
embedded SQLite database; production must set at least DJANGO_SECRET_KEY,
DJANGO_DEBUG=false, DJANGO_ALLOWED_HOSTS and DATABASE_URL.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
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


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = env_str(name, "").strip()
    if value == "":
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, got {value!r}"
        )
    return int(value)


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only exists so a local checkout runs without set-up; it is
# refused whenever DEBUG is off.
_INSECURE_KEY = "django-insecure-local-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", _INSECURE_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Origins (https://factdb.example.org) allowed to POST forms from another host.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# HTTPS only whenever DEBUG is off; `manage.py check --deploy --fail-level WARNING`
# passes with these defaults (tests/test_production.py). Each can be overridden.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Behind a proxy that terminates TLS: the header it sets to "https" on secure
# requests (e.g. X-Forwarded-Proto). Set it only if the proxy always overwrites it.
_proxy_ssl_header = env_str("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "DJANGO_SECURE_COOKIES", not DEBUG
)
# No script reads either cookie: the admin's forms and Swagger UI get the CSRF
# token from the page.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int(
    "DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# Content Security Policy (django-csp; Django 5.2 has none of its own): everything
# from FactDB itself, no inline script anywhere (Swagger UI runs from a separate
# script, SpectacularSwaggerSplitView, and draws icons from data: URIs). The admin
# and the API's pages also allow inline styles (factdb/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: `runserver` serves static files through WhiteNoise too.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "import_export",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files leave before sessions, auth or database routing are touched.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reads that must see this request's writes stay on the primary database.
    "factdb.db_routers.PrimaryForWritersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "factdb.security.ContentSecurityPolicyMiddleware",
    # Records who made each change in the history tables (history_user).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
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
    {
        # The public pages (claims/jinja2/public/): claims/public/environment.py
        # says why they render with Jinja2.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "claims.public.environment.environment"},
    },
]

WSGI_APPLICATION = "factdb.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env_str("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is checked before each request reuses it, so a worker
        # recovers from a database restart without answering a 500 first.
        conn_health_checks=True,
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

# PostgreSQL planner settings for FactDB's queries (docs/benchmarks.md): JIT
# compilation costs more than it saves on reads that run in milliseconds once well
# planned; the statement and export queries join more tables than the default
# collapse limits (8) let the planner reorder; and a random read costs about what a
# sequential one does when the data is in memory or on SSD (the default 4 assumes
# spinning disks, and makes search walk 140,000 statements in id order rather than
# read the 7,000 its index finds). Sent as a startup parameter, which PgBouncer
# refuses: behind one (DATABASE_POOLED), set them with ALTER DATABASE.
POSTGRES_OPTIONS = env_str(
    "DATABASE_POSTGRES_OPTIONS",
    "-c jit=off -c join_collapse_limit=16 -c from_collapse_limit=16 "
    "-c random_page_cost=1.1",
)

# Read replicas (PostgreSQL streaming replicas of DATABASE_URL), comma-separated:
# reads go to them and writes to the primary (factdb/db_routers.py). In tests a
# replica mirrors the primary's test database.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    DATABASES[f"replica_{_number}"] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES[f"replica_{_number}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["factdb.db_routers.PrimaryReplicaRouter"]

# Behind a transaction-pooling PgBouncer, a server-side cursor cannot outlive the
# transaction that opened it: exports then stream with client-side cursors.
DATABASE_POOLED = env_bool("DATABASE_POOLED", False)
for _database in DATABASES.values():
    if DATABASE_POOLED:
        _database["DISABLE_SERVER_SIDE_CURSORS"] = True
    elif _database["ENGINE"] == "django.db.backends.postgresql" and POSTGRES_OPTIONS:
        _database.setdefault("OPTIONS", {})["options"] = POSTGRES_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# `loaddata actors sources claims statements` finds the seed fixtures from any cwd.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# `dumpdata` writes times to the microsecond (Django's JSON cuts them to
# milliseconds), so a JSON backup restores every row exactly (docs/reliability.md).
SERIALIZATION_MODULES = {"json": "claims.backup_json"}

# Argon2 hashes new passwords; a password stored with an older hasher below is
# rehashed with Argon2 at its owner's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-axes: after FACTDB_LOGIN_FAILURE_LIMIT failed logins for one username from
# one address, that pair is refused (429) for FACTDB_LOGIN_COOLOFF_MINUTES, even
# with the right password; `manage.py axes_reset` lifts every lockout at once. The
# attempts are kept in the database, shared by all worker processes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTDB_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("FACTDB_LOGIN_COOLOFF_MINUTES", 15, minimum=1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address the API's rate limits use (FACTDB_PROXY_COUNT), not a spoofable header.
AXES_CLIENT_IP_CALLABLE = "claims.api.throttling.client_address"
AXES_RESET_ON_SUCCESS = True

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
# `manage.py collectstatic` fills it; WhiteNoise serves it.
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production, compressed files with content hashes in their names, cached
    # forever by browsers (needs collectstatic); while debugging (and in tests),
    # the app directories as they are, found afresh on each request.
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG

# The default cache is a database table (created by migration 0009_cache_table), so
# the API's throttle counters are shared by every worker process and server; a
# counter's write is one upsert (factdb/cache.py).
CACHES = {
    "default": {
        "BACKEND": "factdb.cache.UpsertDatabaseCache",
        "LOCATION": "factdb_cache",
        # One row per client and rate, and per kept claim page; culled (the oldest
        # third) past this.
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# A claim's timeline with this many statements or more, its public page and its
# API JSON, is kept rendered in the cache until what it shows changes
# (claims/caching.py).
TIMELINE_CACHE_STATEMENTS = env_int("FACTDB_TIMELINE_CACHE_STATEMENTS", 100, minimum=1)

REST_FRAMEWORK = {
    # Scripts authenticate with a token; the browsable API uses the admin session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A view that names no permission is refused to everyone: each view states its
    # own (claims/api/views.py; tests/test_production.py checks every route).
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.DenyAll"],
    # orjson writes the same bytes as DRF's JSONRenderer, twenty times faster (8 ms
    # of a large claim's timeline; docs/benchmarks.md).
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # DRF's, with a 400 for JSON nested too deeply to parse.
    "DEFAULT_PARSER_CLASSES": [
        "claims.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.FactDBPagination",
    # drf-spectacular's AutoSchema, with anonymous reads and error responses.
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.FactDBAutoSchema",
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "claims.api.throttling.UserRateThrottle",
    ],
    # Clients are told apart by address: REMOTE_ADDR, or behind FACTDB_PROXY_COUNT
    # reverse proxies the address the outermost one saw, from X-Forwarded-For (which
    # a client could otherwise set to anything to escape its limit).
    "NUM_PROXIES": env_int("FACTDB_PROXY_COUNT", 0),
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("FACTDB_THROTTLE_ANON", "120/minute"),
        "user": env_str("FACTDB_THROTTLE_USER", "1200/minute"),
    },
    "DATETIME_FORMAT": "iso-8601",
}

# A request body (other than uploaded files) larger than this is refused, by the API
# with a 413 saying so. Django's default, set here so it can be changed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int(
    "DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1
)

# "auto": PostgreSQL full-text search or SQLite FTS5, by database; "fallback" forces
# the plain substring backend (claims/search.py).
FACTDB_SEARCH_BACKEND = env_str("FACTDB_SEARCH_BACKEND", "auto")

# Imports (import_sources, POST /api/v1/sources/import/, the admin's CSV import)
# refuse larger files.
_import_max_bytes = env_str("FACTDB_IMPORT_MAX_BYTES", str(5 * 1024 * 1024))
if not _import_max_bytes.isdigit() or int(_import_max_bytes) < 1:
    raise ImproperlyConfigured(
        f"FACTDB_IMPORT_MAX_BYTES must be a positive number of bytes, got "
        f"{_import_max_bytes!r}"
    )
FACTDB_IMPORT_MAX_BYTES = int(_import_max_bytes)

# Bulk CSV export and import of actors and sources in the admin (django-import-export,
# claims/admin/resources.py). Viewers export; importing needs the change permission
# (and add, checked by the admin). One transaction per import: a file with any bad
# row writes nothing. IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off: it deletes a
# leading "=" (and ignores + - @); the resources neutralise formulae reversibly.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

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
    # Writes are documented as JSON, which can say null; form data (the browsable
    # API's forms) is still accepted.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "StanceEnum": "claims.stances.Stance",
        "ActorKindEnum": "claims.models.ActorKind",
        "SourceKindEnum": "claims.models.SourceKind",
        "VerificationEnum": "claims.models.Verification",
        "StatementStatusEnum": "claims.models.StatementStatus",
        "SuggestionStatusEnum": "claims.models.SuggestionStatus",
    },
}
