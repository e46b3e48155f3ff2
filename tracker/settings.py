"""Claim Tracker settings, read from the environment.

One module, a few switches:

- ``DEBUG`` (off unless set to 1/true/yes/on),
- ``SECRET_KEY`` (required when DEBUG is off: there is no production default),
- ``DATABASE_URL`` (an SQLite file in ``var/`` by default; ``postgres://…`` for PostgreSQL),
- ``ALLOWED_HOSTS`` (comma-separated; localhost only by default).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}."
    )


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (for example the output of: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=1 for local development."
        )
    # A development key only: it is refused above whenever DEBUG is off.
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # CORS before anything that answers by itself (common.api.cors: any origin reads, trusted
    # origins write).
    "common.api.cors.PublicReadCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware: an API write without its trailing slash is a 404 naming the URL,
    # not APPEND_SLASH's redirect; a body over the limit is a 413 before it is read.
    "common.api.middleware.APIRequestMiddleware",
    # ETags, 304s, Cache-Control and Vary on API responses (after the views and authentication).
    "common.api.caching.APICachingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every field-level history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Field-level history is a record, not an undo button: nobody reverts through it.
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The status pages' template tags live with the pages (claims/pages/), not in an app's
            # templatetags folder.
            "libraries": {
                "pages": "claims.pages.templatetags.pages",
                "highlights": "claims.pages.templatetags.highlights",
            },
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"


# Database: SQLite unless DATABASE_URL says otherwise.
# var/ holds what the app writes locally (the SQLite file, collected static files); never in git.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_health_checks=True)}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock when a
        # transaction starts instead of upgrading a read lock half-way (the upgrade is what fails
        # with "database is locked" when two people save at once); the busy timeout makes the
        # second writer wait its turn instead of failing.
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests run on a file, as the app does, not in memory: concurrent writers from several
    # threads then meet the same locking (WAL, busy timeout) that two people saving at once do.
    # SQLITE_TEST_DB lets two suites run side by side without sharing one file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_DB", str(BASE_DIR / "var" / "test-db.sqlite3"))
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the API's rate-limit counters. One process: its own memory. Several app
# servers behind a load balancer: set CACHE_URL=redis://host:6379/0 so they count together.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must be a redis:// (or rediss://, unix://) address; got {CACHE_URL!r}."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
# WhiteNoise serves static files straight from the finders, so there is no collectstatic step
# between a checkout and a running app, with DEBUG on or off.
WHITENOISE_USE_FINDERS = True

# Content Security Policy: everything from this app, nothing inline that could run, nothing
# from anywhere else (no CDN, no web fonts from the net). JSON-LD blocks are data, not scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The REST API (claims/api/, common/api/).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.ReadAnyoneWriteByRole"],
    "DEFAULT_PARSER_CLASSES": ["common.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["common.api.renderers.ORJSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.StableCursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "common.api.filtering.StrictQueryFilterBackend",
        "common.api.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.throttles.AnonymousThrottle",
        "common.api.throttles.AccountThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": "common.api.metadata.WriteShapeMetadata",
    "EXCEPTION_HANDLER": "common.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    # One way to ask for a media type: Accept (a ?format= parameter was a second, undocumented
    # way that accepted anything).
    "URL_FORMAT_OVERRIDE": None,
}
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_ANON_RATE", "120/min"),
    "user": os.environ.get("API_USER_RATE", "1200/min"),
}
# Seconds a shared cache (a CDN, a proxy) may keep an anonymous API read: short, because a
# published verdict can be corrected.
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(256 * 1024)))

SPECTACULAR_SETTINGS = {
    "TITLE": "Claim Tracker API",
    "DESCRIPTION": (
        "Articles taken apart into checkable claims, the evidence for and against each, and the "
        "verdicts editors have published. Anonymous clients read published verdicts; a token "
        "(`Authorization: Token <key>`, from `python manage.py issue_token USER`) reads by role "
        "and writes. Every error has one shape: `{type, status, detail, errors?}`."
    ),
    "VERSION": "1.0.0",
    # Tags and operation ids by resource (claims_create, not v1_claims_create).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Headers (ETag, Location, Retry-After), 304/406/415, anonymous reads and parameter bounds
    # for every operation (common.api.schema.postprocess).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ConfirmationStateEnum": "claims.models.ConfirmationState",
        "ReviewStateEnum": "claims.models.ReviewState",
        "OutletKindEnum": "sources.models.OutletKind",
        "SourceKindEnum": "sources.models.SourceKind",
    },
}

# CORS on /api/ (common.api.cors): any origin reads anonymously; only these origins send
# credentials and write.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOWED_ORIGINS = env_list("CORS_TRUSTED_ORIGINS", "")
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-match",
    "if-modified-since",
    "if-none-match",
    "x-csrftoken",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Location", "Retry-After"]

# Who publishes the verdicts: named as the author of every ClaimReview.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Claim Tracker")
PUBLISHER_URL = os.environ.get("PUBLISHER_URL", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", default=not DEBUG and bool(SECURE_PROXY_SSL_HEADER)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
