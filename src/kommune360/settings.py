"""The one settings module of kommune360.

Everything that differs between a laptop, CI and production comes from environment
variables (see the configuration table in README.md). Nothing here reads a file other
than the generated secret key in the data folder.
"""

import os
import secrets
import tempfile
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent

env = environ.Env()

# Under pytest (which sets PYTEST_VERSION) the defaults suit tests: a throw-away data
# folder, tasks run at once, no HTTPS redirect, no page cache and no shared parts (their
# own tests turn them on). Explicit variables win.
if "PYTEST_VERSION" in os.environ:
    for name, value in {
        "SECRET_KEY": "tests-only-" + "x" * 50,
        "KOMMUNE360_TASKS": "immediate",
        "SECURE_SSL_REDIRECT": "false",
        "PAGE_CACHE_SECONDS": "0",
        "SHARED_PARTS_SECONDS": "0",
        "KOMMUNE360_DATA_DIR": tempfile.mkdtemp(prefix="kommune360-test-"),
    }.items():
        os.environ.setdefault(name, value)

DEBUG = env.bool("DEBUG", default=False)
DATA_DIR = Path(env.str("KOMMUNE360_DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    if key := env.str("SECRET_KEY", default=""):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see README, 'Konfiguration')."
        )
    # Development only: a key generated once and kept in the data folder, so that
    # sessions survive a restart of `make run`.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Development follows the port `make run` serves on (PORT); production sets SITE_URL.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip(
    "/"
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    # kommune360: core first, then accounts, then the capability apps.
    "kommune360.core",
    "kommune360.accounts",
    "kommune360.editorial",
    "kommune360.atlas",
    "kommune360.newsletter",
    "kommune360.participation",
    "kommune360.events",
    "kommune360.learning",
    "kommune360.training_requests",
    "kommune360.network",
    "kommune360.impact",
    "kommune360.api",
    "kommune360.awards",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
    "django_htmx",
    "csp",
]

MIDDLEWARE = [
    "kommune360.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kommune360.core.cache.AnonymousPageCacheMiddleware",
    "kommune360.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kommune360.api.middleware.ApiMiddleware",
    "kommune360.core.shared_parts.SharedLayoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kommune360.core.http.RejectNulMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kommune360.accounts.second_factor.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "kommune360.urls"
WSGI_APPLICATION = "kommune360.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kommune360.core.context_processors.layout",
                "kommune360.accounts.context_processors.staff",
            ],
        },
    },
]
FORM_RENDERER = "kommune360.core.forms.KernFormRenderer"

# --- Data ----------------------------------------------------------------------------

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the
    # write lock at BEGIN, so two writers queue instead of failing with "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
# Connections stay open between requests (per thread). With SQLite this matters most:
# closing the last connection to the database checkpoints its WAL file, which made
# every logged-in request (it reads the session) cost tens of milliseconds.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Everything several servers must agree on lives here: rate-limit counters, the
    # page cache and its generation, shared parts, the scheduler's marks, sessions,
    # the newsletter's sending journal and the task queue (docs/operations.md).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One machine without Redis: the web processes share rate-limit counters, the
    # scheduler's marks and the page cache's generation through files in the data
    # folder; the rendered pages themselves stay in each process's memory ("pages").
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            # (tests: one folder per pytest-xdist worker, which share the data folder)
            "LOCATION": str(DATA_DIR / "cache" / os.environ.get("PYTEST_XDIST_WORKER", "")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        },
        # Wagtail writes each rendition it uses to this cache on every request: a file
        # written per image and page view in the shared folder, here kept in memory.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "renditions",
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        },
    }

# Whole pages for anonymous visitors are cached this many seconds (0 turns it off);
# every publish invalidates them at once (kommune360.core.cache).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# What pages show everyone alike (layout, marked fragments) is kept this many seconds
# for logged-in visitors too, emptied with the page cache (kommune360.core.shared_parts).
SHARED_PARTS_SECONDS = env.int("SHARED_PARTS_SECONDS", default=600)
# Adds the bare view /__bench__/bare that bench/http.py compares pages with.
KOMMUNE360_BENCH = env.bool("KOMMUNE360_BENCH", default=False)

# --- Background work -------------------------------------------------------------------

_tasks_backend = env.str("KOMMUNE360_TASKS", default="rq" if REDIS_URL else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
        "QUEUES": ["default"],
    }
}
if _tasks_backend == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# --- Mail ------------------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "kommune360.core.mail.EmlFileBackend"
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="kommune360 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 30

# Newsletter sending (docs/newsletter.md, "Sending").
NEWSLETTER_FROM_EMAIL = env.str("NEWSLETTER_FROM_EMAIL", default="")
NEWSLETTER_CONNECTIONS = env.int("NEWSLETTER_CONNECTIONS", default=4)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=200)
NEWSLETTER_RATE_LIMIT = env.float("NEWSLETTER_RATE_LIMIT", default=0)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=5)
NEWSLETTER_RETRY_BASE_SECONDS = env.int("NEWSLETTER_RETRY_BASE_SECONDS", default=60)
NEWSLETTER_PAUSE_AFTER_ERRORS = env.int("NEWSLETTER_PAUSE_AFTER_ERRORS", default=25)
NEWSLETTER_WORKER_TIMEOUT = env.int("NEWSLETTER_WORKER_TIMEOUT", default=120)
NEWSLETTER_JOURNAL_DIR = env.str("NEWSLETTER_JOURNAL_DIR", default="")
# Bounce webhook (docs/newsletter.md, "Bounces"): the provider's name as in anymail's URLs
# (postmark, brevo, mailgun, ...); only its webhook answers. Every ANYMAIL_* variable
# becomes that django-anymail setting: ANYMAIL_WEBHOOK_SECRET (user:password) or the
# provider's signature key, e.g. ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY.
NEWSLETTER_BOUNCE_PROVIDER = env.str("NEWSLETTER_BOUNCE_PROVIDER", default="").lower()
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and value
}

# --- Accounts ------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:overview"
ACCOUNT_ADAPTER = "kommune360.accounts.adapter.AccountAdapter"


def _account_forms(**classes):
    """allauth's form keys → the variants in accounts/forms.py, which give empty
    required fields the site's messages (core.forms.RequiredMessages)."""
    return {key: f"kommune360.accounts.forms.{name}" for key, name in classes.items()}


ACCOUNT_FORMS = _account_forms(
    login="LoginForm",
    signup="SignupForm",
    add_email="AddEmailForm",
    change_password="ChangePasswordForm",
    set_password="SetPasswordForm",
    reset_password="ResetPasswordForm",
    reset_password_from_key="ResetPasswordKeyForm",
    request_login_code="RequestLoginCodeForm",
    confirm_login_code="ConfirmLoginCodeForm",
    reauthenticate="ReauthenticateForm",
    confirm_reauthentication_code="ConfirmReauthenticationCodeForm",
)
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Rate limits on login and sign-up (allauth counts them in the cache).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="kommune360")
MFA_ADAPTER = "kommune360.accounts.adapter.MFAAdapter"
MFA_FORMS = _account_forms(
    authenticate="AuthenticateCodeForm",
    reauthenticate="ReauthenticateCodeForm",
    activate_totp="ActivateTOTPForm",
    deactivate_totp="DeactivateTOTPForm",
    generate_recovery_codes="GenerateRecoveryCodesForm",
)
# Keys that encrypt TOTP secrets at rest (accounts.mfa_secrets); SECRET_KEY when unset.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
# Staff reach the admin only with a second factor (accounts.second_factor); off for
# development only (`make run` turns it off so that the demo logins work).
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=True)
KOMMUNE360_STAFF_PATH_PREFIXES = ["/admin/", "/django-admin/"]

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
# Dates by language: templates and code name a format, each language defines it
# (kommune360/formats/de|en/formats.py, core.dates).
FORMAT_MODULE_PATH = ["kommune360.formats"]
# Editors translate pages (decision 0080): German pages, and an English tree whose
# pages show the German one (an alias) until translated.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static files and media ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end packages from npm (package.json), served by this site, never by a CDN.
STATICFILES_DIRS = [
    ("vendor/kern", BASE_DIR / "node_modules/@kern-ux/native/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/fonts", BASE_DIR / "build/fonts"),  # made by `make install` (core/fonts.py)
]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = DATA_DIR / "media"
# Every stored file goes through one of these (core/storage.py); `kommune360 backup`
# saves them with the database (docs/operations.md). "private" has no URL: a view that
# checks access serves its files (cohort material, decision 0062).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "kommune360.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Several servers (docs/operations.md, decision 0130): both storages in one bucket of an
# S3-compatible object storage, under media/ and private/. Public media keep their
# addresses under MEDIA_URL, which the reverse proxy forwards to the bucket's media/.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    _s3 = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": False,
    }
    STORAGES["default"] = {
        "BACKEND": "kommune360.core.storage.MediaS3Storage",
        # A bucket policy that lets anyone read media/* is the better way; where the
        # service has none, S3_MEDIA_ACL=public-read marks each public file instead.
        "OPTIONS": {
            **_s3,
            "location": "media",
            "default_acl": env.str("S3_MEDIA_ACL", default="") or None,
        },
    }
    STORAGES["private"] = {
        "BACKEND": "kommune360.core.storage.PrivateS3Storage",
        "OPTIONS": {**_s3, "location": "private"},
    }
WHITENOISE_KEEP_ONLY_HASHED_FILES = False
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file an import accepts; core/uploads.py has the other limits (what a
# zip-based file may unpack to) with their defaults.
UPLOAD_MAX_BYTES = env.int("KOMMUNE360_UPLOAD_MAX_MB", default=5) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "kommune360"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# PostgreSQL stems German words in the admin search; SQLite ignores SEARCH_CONFIG (the
# public site search has its own German index, editorial decision 0033).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "german"}
}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "png": "webp", "jpeg": "webp", "gif": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip", "mp3"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_FINDERS = []  # embeds would load third-party content
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_USAGE_COUNT_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True

# --- Security ----------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits and counters count per visitor address: behind reverse proxies it is taken
# from the forwarding header the proxies you run append to (their number). One setting
# for allauth's login limits and the site's own (kommune360.core.visitor reads it).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int(
    "TRUSTED_PROXY_COUNT", default=int(env.bool("SECURE_PROXY_SSL_HEADER", default=False))
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The admin would load avatars from gravatar.com; no page requests another host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No script runs unless it is a file served by this site: no inline script, no eval.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# The Wagtail admin renders some inline <script> and style="" (InlinePanel, date
# pickers) and shows previews in a frame: its own, separate policy (core.security,
# docs/decisions/0002-admin-csp.md). Still no eval and nothing from other hosts.
KOMMUNE360_ADMIN_CSP_PREFIXES = ["/admin/"]
KOMMUNE360_ADMIN_CSP = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-ancestors": [SELF],
    "frame-src": [SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Operators' endpoints (kommune360.operations): /healthz?deep=1 and /metrics answer only
# with "Authorization: Bearer <OPERATIONS_TOKEN>"; without a token they answer 404.
OPERATIONS_TOKEN = env.str("OPERATIONS_TOKEN", default="")
# Where visitors get the source code of the version this site runs (the AGPL asks the
# operator to offer it); the footer links to it when it is set.
SOURCE_CODE_URL = env.str("SOURCE_CODE_URL", default="")

# Navigation labels for the areas that exist are contributed by the apps themselves
# (kommune360.core.registry); this is only the fallback name of the network.
KOMMUNE360_DEFAULT_NETWORK_NAME = _("Kommune 360°")
