"""Claim Tracker settings, read from the environment.

One module, a few switches:

- ``DEBUG`` (off unless set to 1/true/yes/on),
- ``SECRET_KEY`` (required when DEBUG is off: there is no production default),
- ``DATABASE_URL`` (an SQLite file in ``var/`` by default; ``postgres://…`` for PostgreSQL),
- ``ALLOWED_HOSTS`` (comma-separated; localhost only by default).
"""

import ipaddress
import os
from datetime import timedelta
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
    "rest_framework_api_key",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "sources",
    "claims",
    "intake",
    "matching",
    "accounts",
    "notifications",
    "suggestions",
    "ops",
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
    # Database out of reach: 503 with Retry-After instead of 500 (common/outage.py).
    "common.outage.DatabaseOutageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A page shown to someone signed in (drafts): Cache-Control: private, no-store.
    "claims.pages.caching.SignedInPagesPrivateMiddleware",
    # Admin URLs' ids, filters and selections checked before any admin view (common/untrusted.py).
    "common.untrusted.UntrustedAdminInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the signed-in user on every field-level history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, an address past its rate of failed sign-ins waits (accounts/sign_in.py); then an
    # account paused at this address is refused (axes): both before any password is checked.
    "accounts.sign_in.AddressThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# How many proxies of this deployment's own stand in front of the app (each appends to
# X-Forwarded-For). 0: the header is ignored, whoever sends it. See common/client_ip.py.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Sign-in (accounts/sign_in.py). A newsroom signs in from one shared address, so no address is
# locked: SIGN_IN_FAILURE_LIMIT wrong passwords for one account *from one address* pause that
# account there for SIGN_IN_COOLOFF_MINUTES (django-axes; never a permanent lock, a success
# clears the count); an address past SIGN_IN_ADDRESS_FAILURE_RATE failed sign-ins waits out the
# rest of that window (a throttle, counted in the shared cache); SIGN_IN_TRUSTED_ADDRESSES (the
# office's addresses or networks) are never paused. The API's session comes from this sign-in, so
# it is guarded the same way; API tokens have their own failure throttle
# (accounts/authentication.py).
AXES_ENABLED = env_bool("SIGN_IN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# An attempt refused during a pause is not another failure: the pause ends when it said it would.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
AXES_WHITELIST_CALLABLE = "accounts.sign_in.from_trusted_address"
AXES_LOCKOUT_CALLABLE = "accounts.sign_in.paused_response"
AXES_HTTP_RESPONSE_CODE = 429
# django-axes logs each sign-in and its start; the test suite turns it off (Makefile TEST_ENV),
# so that its log does not fill the suite's output or follow pytest's closing line.
AXES_VERBOSE = env_bool("AXES_VERBOSE", default=True)
SIGN_IN_ADDRESS_FAILURE_RATE = os.environ.get("SIGN_IN_ADDRESS_FAILURE_RATE", "40/min")
SIGN_IN_TRUSTED_ADDRESSES = env_list("SIGN_IN_TRUSTED_ADDRESSES", "")
try:
    SIGN_IN_TRUSTED_NETWORKS = [
        ipaddress.ip_network(address, strict=False) for address in SIGN_IN_TRUSTED_ADDRESSES
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"SIGN_IN_TRUSTED_ADDRESSES must be addresses or networks (192.0.2.7, 192.0.2.0/24), "
        f"comma-separated: {error}"
    ) from None

# Field-level history is a record, not an undo button: nobody reverts through it.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A change's reason is kept whole (it is often a rationale of several sentences): a text field,
# not simple-history's default of 100 characters, which PostgreSQL refused and SQLite let through.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

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
# A connection is kept between requests on both databases: opening one cost a SQLite request a
# third of its time (the file opened, then the PRAGMAs above run again), a PostgreSQL request
# its connection handshake. The health check (conn_health_checks) drops one that broke.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate-limit counters (the API's limits, wrong tokens, failed sign-ins from an
# address), so it must be one that every worker process counts in together. Without CACHE_URL:
# a table in the app's own database (Django's database cache, counting atomically:
# common/cache.py), made by `manage.py prepare` (createcachetable). Several machines, or more
# requests than the database should count: CACHE_URL=redis://host:6379/0.
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
    CACHES = {
        "default": {"BACKEND": "common.cache.SharedDatabaseCache", "LOCATION": "tracker_cache"}
    }


# Background work (fetching, archiving, email) runs in a worker process, never in a request:
# the backport of Django 6's tasks framework with its database backend (the task rows live in
# the app's database, so a task enqueued inside a write commits or rolls back with it). make run
# starts one worker beside gunicorn (ops/serve.py); more run anywhere with the same settings:
# `manage.py db_worker` (README, "Background work").
# Queues: "default", "fetch" for what reaches out to other sites (article intake, source
# snapshots) and "email" (notifications, invitations), so that a desk can give each a worker of
# its own (--queue-name email).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "fetch", "email"],
    }
}

# Email (notifications, and the invitation that lets a new desk member set a password) is sent
# by the worker, never in a request (notifications/tasks.py). Without EMAIL_HOST it is written to
# the worker's output (the console backend); with it, sent through that SMTP server. No
# credential has a default: EMAIL_HOST_USER and EMAIL_HOST_PASSWORD come from the environment or
# are empty. EMAIL_TIMEOUT bounds each attempt, so a server that hangs delays the worker by
# seconds, and the email is tried again later.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both."
    )
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "Claim Tracker <claim-tracker@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The app's address as people open it, for the links in email (there is no request to take the
# host from in the worker).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# How long an invitation's set-password link works (Django's password-reset token).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("INVITATION_DAYS", "3")) * 24 * 3600

# Fetching web addresses users give (common/fetch.py: article intake, source snapshots). Every
# address a name resolves to must be public, each redirect is checked again, at most 5 of them;
# these bound the rest. FETCH_ALLOW_LOCAL_TEST_SERVER lets the test suite's own server on
# 127.0.0.1 (exactly that address) be fetched: never on in production (check --deploy warns).
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
# A form's body (everything but uploaded files, which stream to disk) may hold an article's whole
# pasted text: up to FETCH_MAX_BYTES of it, percent-encoded (up to three bytes sent for each), and
# the form's other fields. Django's 2.5 MB default refused a long pasted article with a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * FETCH_MAX_BYTES + 1024 * 1024
FETCH_CONNECT_TIMEOUT = float(os.environ.get("FETCH_CONNECT_TIMEOUT", "5"))
FETCH_READ_TIMEOUT = float(os.environ.get("FETCH_READ_TIMEOUT", "10"))
FETCH_TOTAL_TIMEOUT = float(os.environ.get("FETCH_TOTAL_TIMEOUT", "30"))
FETCH_ALLOWED_PORTS = tuple(int(port) for port in env_list("FETCH_ALLOWED_PORTS", "80,443"))
FETCH_ALLOW_LOCAL_TEST_SERVER = env_bool("FETCH_ALLOW_LOCAL_TEST_SERVER")
FETCH_USER_AGENT = os.environ.get(
    "FETCH_USER_AGENT",
    "ClaimTracker/1.0 (fact-checking desk)",
)

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
# In production (DEBUG off) WhiteNoise serves what collectstatic wrote to var/static: names that
# carry a hash of the content, compressed copies beside them, and, because a new content is a new
# name, a cache lifetime of ten years (WhiteNoise marks hashed files immutable). `make run` runs
# collectstatic first. With DEBUG on (make dev) the files come straight from the finders, no step.
# STATIC_MANIFEST=0 serves the plain names with DEBUG off too (the test suite and the benchmarks,
# which render pages without running collectstatic).
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

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
        "accounts.authentication.TokenAuthentication",
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
    # Rate limits count the address TRUSTED_PROXY_COUNT allows (0: the connection's own).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # One way to ask for a media type: Accept (a ?format= parameter was a second, undocumented
    # way that accepted anything).
    "URL_FORMAT_OVERRIDE": None,
}
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_ANON_RATE", "120/min"),
    "user": os.environ.get("API_USER_RATE", "1200/min"),
}
# Wrong, expired or revoked tokens from one address (accounts/authentication.py).
API_AUTH_FAILURE_RATE = os.environ.get("API_AUTH_FAILURE_RATE", "20/min")
# What a 503 for a database outage asks clients to wait before trying again.
OUTAGE_RETRY_AFTER_SECONDS = int(os.environ.get("OUTAGE_RETRY_AFTER_SECONDS", "5"))
# Seconds a shared cache (a CDN, a proxy) may keep an anonymous API read: short, because a
# published verdict can be corrected.
API_CACHE_MAX_AGE = int(os.environ.get("API_CACHE_MAX_AGE", "60"))
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(256 * 1024)))
# Bytes of public answers (the feed, list pages, status pages) each server process keeps to
# answer the same again for the same generation of the read model (claims.public.memory); 0
# keeps none.
PUBLIC_MEMORY_BYTES = int(os.environ.get("PUBLIC_MEMORY_BYTES", str(64 * 2**20)))

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
        "VersionKindEnum": "claims.models.VersionKind",
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
# Four eyes: where the desk has two or more editors, an editor does not approve a verdict they set
# or last changed themselves (claims/permissions.py). "on": always a second editor; "off": never
# (an approval without one is still recorded as such).
FOUR_EYES = os.environ.get("FOUR_EYES", "auto").strip().lower()
if FOUR_EYES not in {"auto", "on", "off"}:
    raise ImproperlyConfigured(f"FOUR_EYES must be auto, on or off; got {FOUR_EYES!r}.")
# The public sees the desk and its roles ("an editor of Claim Tracker"), never its staff's names,
# unless the desk publishes bylines.
PUBLIC_BYLINES = env_bool("PUBLIC_BYLINES")
# A source's snapshots are public by their date and hash; their stored copies (someone else's
# pages: copyright) only when the desk turns this on.
PUBLIC_SNAPSHOTS = env_bool("PUBLIC_SNAPSHOTS")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Behind a proxy that ends HTTPS (BEHIND_HTTPS_PROXY=1): trust its X-Forwarded-Proto, send plain
# HTTP to HTTPS, secure cookies. HSTS is a promise browsers keep for its whole lifetime, so it is
# never on by default: HSTS_SECONDS=31536000 (with HSTS_INCLUDE_SUBDOMAINS and HSTS_PRELOAD when
# every subdomain is HTTPS too) turns it on. README "Deployment" gives the whole environment that
# passes `check --deploy --fail-level WARNING`.
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=BEHIND_HTTPS_PROXY and not DEBUG)
# Load balancers ask /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", default=not DEBUG and BEHIND_HTTPS_PROXY
)
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
