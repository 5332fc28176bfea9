"""Settings for courtinfo, read from the environment (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production settings (DJANGO_DEBUG off) refuse to start "
            "without a secret key; set DJANGO_SECRET_KEY, or DJANGO_DEBUG=1 for local work."
        )
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# Origins (scheme and host) whose forms may post here, e.g. https://courtinfo.example.org.
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_filters",
    "reversion",
    "axes",
    "csp",
    "courtinfo",
    "claims",
]

MIDDLEWARE = [
    # First, so that its duration covers every other middleware.
    "courtinfo.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the Host header: load balancers and container probes ask by address.
    "courtinfo.health.HealthCheckMiddleware",
    # ETags and 304s for every GET that may be cached (never the admin's no-store pages).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "claims.middleware.ActingUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a sign-in refused for a lockout into the lockout page; axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "courtinfo.urls"
WSGI_APPLICATION = "courtinfo.wsgi.application"

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
                "courtinfo.context_processors.site",
            ],
        },
    },
]

# Persistent connections (seconds a connection is kept), checked before reuse so a restarted
# database costs one reconnect rather than one failed request. 0 opens one per request.
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'courtinfo.sqlite3'}",
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
# A read-only copy of the database (streaming replication): the public pages read from it, the
# admin and the workflow never do (courtinfo.db_router). Tests treat it as the primary's mirror.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
COURTINFO_READ_FROM_REPLICA = "replica" in DATABASES
DATABASE_ROUTERS = ["courtinfo.db_router.PublicReadRouter"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Keep the default test database in memory but make the dev file wait for writers.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
    }
else:
    # One cache per process; enough rendered pages for a national site's question pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("COURTINFO_CACHE_MAX_ENTRIES", "3000"))},
        }
    }

# Sessions (the admin's only) live in the database, through the shared cache when there is one:
# any app server can answer any request, and none keeps state of its own.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if os.environ.get("CACHE_URL")
    else "django.contrib.sessions.backends.db"
)

# --- Public pages in caches (courtinfo.caching) ---------------------------------------------------
# Rendered pages are kept in this cache under the generation of what is live, so a withdrawal
# is never served from it; entries of past generations age out after this many seconds.
COURTINFO_PAGE_CACHE = "default"
COURTINFO_PAGE_CACHE_SECONDS = int(os.environ.get("COURTINFO_PAGE_CACHE_SECONDS", "86400"))
# Browsers and shared caches (a CDN): how long they may keep a page before asking again (an
# ETag makes asking cheap), and how long a shared cache may serve it while it asks. A withdrawal
# reaches readers behind a CDN after at most s-maxage + stale-while-revalidate seconds, unless
# the CDN is told to purge.
COURTINFO_PUBLIC_MAX_AGE = int(os.environ.get("COURTINFO_PUBLIC_MAX_AGE", "300"))
COURTINFO_SHARED_MAX_AGE = int(os.environ.get("COURTINFO_SHARED_MAX_AGE", "300"))
COURTINFO_STALE_WHILE_REVALIDATE = int(os.environ.get("COURTINFO_STALE_WHILE_REVALIDATE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English is the language answers are written and verified in; Spanish pages live under /es/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# With debug off, `collectstatic` writes hashed, compressed copies and WhiteNoise serves them with
# far-future cache headers. With debug on, files come straight from the apps, unhashed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "admin:login"

# Sign-in throttling (django-axes). The axes backend comes first so that a locked-out sign-in is
# refused before any password is checked. A lockout holds for one username from one address:
# guessing one account's password from one place is stopped, while nobody can lock a colleague
# out from elsewhere, and people sharing an office address are not locked out with the guesser.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("COURTINFO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("COURTINFO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# Legal information goes stale: every publication is due for re-review after this many days.
COURTINFO_REVIEW_INTERVAL_DAYS = int(os.environ.get("COURTINFO_REVIEW_INTERVAL_DAYS", "180"))
# Demo mode marks every public page as demonstration data (see `make run`).
COURTINFO_DEMO = _env_bool("COURTINFO_DEMO")
# Public search reads legal citations in a query through this function (text -> normalised
# citations, other words); named here because courtinfo imports nothing from claims.
COURTINFO_CITATION_NORMALIZER = "claims.citations.split_query"

# --- Import limits: the admin's import page and import_qa ---------------------------------------
# The files of one upload together, in bytes; refused before the body is read.
COURTINFO_IMPORT_MAX_UPLOAD_BYTES = int(
    os.environ.get("COURTINFO_IMPORT_MAX_UPLOAD_BYTES", "2000000")
)
# Questions in one document (the seed has 20).
COURTINFO_IMPORT_MAX_QUESTIONS = int(os.environ.get("COURTINFO_IMPORT_MAX_QUESTIONS", "100"))
# Files in one upload: Django's own limit, set here because the import page states it.
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# --- end of import limits ------------------------------------------------------------------------

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only, no
# inline code, no framing, forms post here only. The admin needs nothing more: Django's admin
# has no inline script or style attribute, its icons are files and its widgets set styles
# through the DOM (which a policy does not restrict).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# --- Archiving sources: claims.evidence.archive_source and manage.py archive_sources -------------
# The most bytes one fetched or uploaded copy may have, and how long one fetch may wait.
COURTINFO_ARCHIVE_MAX_BYTES = int(os.environ.get("COURTINFO_ARCHIVE_MAX_BYTES", "10000000"))
COURTINFO_ARCHIVE_TIMEOUT_SECONDS = float(os.environ.get("COURTINFO_ARCHIVE_TIMEOUT_SECONDS", "20"))
# Fetching from private, loopback or link-local addresses would let a source URL reach the
# server's own network; only a test or a closed intranet turns this on.
COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS = _env_bool("COURTINFO_ARCHIVE_ALLOW_PRIVATE_HOSTS")


# E-mail: EMAIL_URL (smtp://user:password@host:587, smtp+ssl://…:465, console:) or the usual
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS; with debug on and
# neither given, messages are printed to the console.
def _email_settings(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme in {"console", "locmem", "dummy"}:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ValueError(
            f"EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp, smtp+ssl or console."
        )
    ssl = parts.scheme == "smtp+ssl"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[parts.scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": ssl,
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
    }


if os.environ.get("EMAIL_URL"):
    globals().update(_email_settings(os.environ["EMAIL_URL"]))
elif os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = _env_bool("EMAIL_USE_SSL")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "courtinfo <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as people reach it, for links in e-mails.
COURTINFO_SITE_URL = os.environ.get("COURTINFO_SITE_URL", "http://127.0.0.1:8000")

# Reader reports: a submit sooner than MIN_SECONDS after the form was served is a script, one
# later than MAX_AGE_SECONDS a stale page; one address sends at most LIMIT per WINDOW_SECONDS.
COURTINFO_REPORT_MIN_SECONDS = float(os.environ.get("COURTINFO_REPORT_MIN_SECONDS", "3"))
COURTINFO_REPORT_MAX_AGE_SECONDS = int(os.environ.get("COURTINFO_REPORT_MAX_AGE_SECONDS", "21600"))
COURTINFO_REPORT_LIMIT = int(os.environ.get("COURTINFO_REPORT_LIMIT", "5"))
COURTINFO_REPORT_WINDOW_SECONDS = int(os.environ.get("COURTINFO_REPORT_WINDOW_SECONDS", "3600"))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Probes ask over plain HTTP from inside the network (the container's HEALTHCHECK).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Only a proxy that sets X-Forwarded-Proto itself (and drops the client's) may be trusted with it;
# otherwise any client could declare its plain-HTTP request secure.
if _env_bool("DJANGO_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# One JSON object a line on standard output: a line per request (courtinfo.requests) and per
# workflow event (claims.events), and warnings and errors from everything else.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "courtinfo.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "courtinfo.logs.StdoutHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "courtinfo.requests": {"level": os.environ.get("COURTINFO_REQUEST_LOG_LEVEL", "INFO")},
        "claims.events": {"level": os.environ.get("COURTINFO_EVENT_LOG_LEVEL", "INFO")},
    },
}
