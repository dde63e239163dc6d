"""Settings shared by every environment, read from ACCORD_* environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("ACCORD_DATA_DIR", Path.cwd() / "data")).resolve()


def private_data_dir() -> None:
    """Make the data directory (database, secret key, uploads) for its owner only: 0700."""
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    if DATA_DIR.stat().st_mode & 0o077:
        try:
            DATA_DIR.chmod(0o700)
        except PermissionError:  # not ours to change; the files in it are still 0600
            pass


def private_file(path: Path) -> None:
    """Create `path` readable by its owner only (0600), or take group and other access away."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


DEBUG = env_bool("ACCORD_DEBUG", False)


def secret_key() -> str:
    """ACCORD_SECRET_KEY, else a random key kept in the data directory (made on first use)."""
    key = os.environ.get("ACCORD_SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    private_data_dir()
    if path.exists():
        private_file(path)  # a key made by an older Accord may be readable by others
    else:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = secret_key()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ACCORD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    # Django's admin, on a site that asks for the second factor when ACCORD_REQUIRE_2FA is on.
    "accord.core.admin_apps.AccordAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "django_tables2",
    "template_partials",
    "simple_history",
    "ninja",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "accord.core",
    "accord.journal",
    "accord.registry",
    "accord.taxonomy",
    "accord.meetings",
    "accord.knowledge",
    "accord.search",
    "accord.analytics",
    "accord.importers",
]

MIDDLEWARE = [
    # First, so that its one log line per request times and sees everything below it.
    "accord.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and API answers (whitenoise serves static files pre-compressed and
    # returns before this runs). Above everything that writes the body; Django's adds random
    # bytes to each gzip header against BREACH (4.2+).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accord.core.middleware.LoginRequiredMiddleware",
    # Security (see "Security" in README.md): CSP, Permissions-Policy, required 2FA, lockout.
    "csp.middleware.CSPMiddleware",
    "accord.core.security.PermissionsPolicyMiddleware",
    "accord.core.security.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page or JSON.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "accord.urls"

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
                "django.template.context_processors.i18n",
                "accord.core.context_processors.workspace",
                # Last: a page being kept for its audience gets holes for the per-user parts.
                "accord.core.pagecache.holes",
            ],
        },
    },
]

WSGI_APPLICATION = "accord.wsgi.application"


def database_config() -> dict:
    url = os.environ.get("ACCORD_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60)
    else:
        # The data directory holds the database and uploads; a new install starts without one.
        private_data_dir()
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "accord.sqlite3")}
    if "postgresql" in config["ENGINE"]:
        # No JIT: it compiled every search and list query (the planner overestimates the
        # visibility subqueries), 3.7 s of compiling for 1.2 s of work (bench/RESULTS.md).
        options = config.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if name and name != ":memory:" and not name.startswith("file:"):
            # Made 0600 before SQLite opens it: its -wal and -shm files then take that mode too
            # (accord/core/apps.py tightens the files of an existing database).
            if Path(name).parent.is_dir():
                private_file(Path(name))
        config.setdefault("OPTIONS", {})
        config["OPTIONS"].update(
            {
                # WAL lets readers go on while one writer writes; the busy timeout makes a
                # second writer wait instead of failing with "database is locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The workspace's organizations, which core's models point to without naming the app (like
# AUTH_USER_MODEL). Not swappable: the migrations name registry.Organization.
ACCORD_ORGANIZATION_MODEL = "registry.Organization"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Security: login lockout, client address, sessions, CSP, two-factor -------------------
# django-axes checks the lockout first, then Django's model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "accord.core.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Reverse proxies in front of Accord that append the client to X-Forwarded-For. With 0 (the
# default) the header is ignored and the client is REMOTE_ADDR, so it cannot be forged.
ACCORD_TRUSTED_PROXIES = int(os.environ.get("ACCORD_TRUSTED_PROXIES", "0"))
NINJA_NUM_PROXIES = ACCORD_TRUSTED_PROXIES
# Failures are counted in the database, so every gunicorn worker and server sees them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("ACCORD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ACCORD_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accord.core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "accord.core.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Password attempts on POST /api/v1/auth/token per client address, across all usernames.
ACCORD_LOGIN_RATE = os.environ.get("ACCORD_LOGIN_RATE", "20/m")
# Bearer tokens made by POST /api/v1/auth/token live this long; one per name and user.
ACCORD_LOGIN_TOKEN_DAYS = int(os.environ.get("ACCORD_LOGIN_TOKEN_DAYS", "30"))

# A session unused for this long is logged out: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 60 * int(os.environ.get("ACCORD_SESSION_IDLE_MINUTES", "60"))
SESSION_SAVE_EVERY_REQUEST = True

# Administrators and editors must log in with a TOTP code (and set one up first).
ACCORD_REQUIRE_2FA = env_bool("ACCORD_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Accord"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # 'unsafe-inline' for styles only: the world map SVG carries its own <style> and the
        # map legend's swatches take their data-driven colours from style attributes. Scripts
        # stay 'self' only, which is what stops injected markup from running.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# --- end of security block -----------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["accord.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"
# Uploaded files, like the database, are for the account that runs Accord only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "media/"
# The largest file a meeting attachment may be (bytes); 20 MB unless set.
ACCORD_ATTACHMENT_MAX_BYTES = int(os.environ.get("ACCORD_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

ACCORD_PAGE_SIZE = 25
ACCORD_API_MAX_PAGE_SIZE = 500
# Tokens live this long (days) unless revoked.
ACCORD_TOKEN_DAYS = int(os.environ.get("ACCORD_TOKEN_DAYS", "365"))

# --- Email (reminders) and calendar feeds ----------------------------------------------------
# `accord remind` sends through Django's email backend: the console (stdout) unless
# ACCORD_EMAIL_HOST names an SMTP server; ACCORD_EMAIL_BACKEND overrides both.
ACCORD_EMAIL_HOST = os.environ.get("ACCORD_EMAIL_HOST", "").strip()
EMAIL_BACKEND = os.environ.get("ACCORD_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if ACCORD_EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = ACCORD_EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("ACCORD_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("ACCORD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ACCORD_EMAIL_PASSWORD", "")
EMAIL_USE_SSL = env_bool("ACCORD_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = not EMAIL_USE_SSL and env_bool("ACCORD_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("ACCORD_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("ACCORD_EMAIL_FROM", "Accord <accord@localhost>")
# Who is told of each new partner request (accord/knowledge), comma-separated in the
# environment; empty: the email addresses of the administrators and editors.
ACCORD_REQUEST_NOTIFY = [
    address.strip()
    for address in os.environ.get("ACCORD_REQUEST_NOTIFY", "").split(",")
    if address.strip()
]
# Where users reach the site (https://accord.example.org): links in emails; none when unset.
ACCORD_SITE_URL = os.environ.get("ACCORD_SITE_URL", "").strip().rstrip("/")
# The domain in calendar event UIDs (meeting-12@<domain>); the site's host name when unset.
ACCORD_ICAL_DOMAIN = os.environ.get("ACCORD_ICAL_DOMAIN", "").strip()
# Calendar feed reads per client address (a guess at a feed's token costs one).
ACCORD_FEED_RATE = os.environ.get("ACCORD_FEED_RATE", "120/m")

# --- Operations: logs, cache, sessions, background tasks ------------------------------------
# Logs: one JSON line per record on stdout; accord.access writes one per request. A 4xx is in
# its access line; the filter keeps it from repeating with a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "accord.core.logging.JsonFormatter"}},
    "filters": {"quiet_client_errors": {"()": "accord.core.logging.QuietClientErrors"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["quiet_client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "accord.access": {"level": "INFO"},
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}

# Redis (optional): the cache, sessions, login throttling and the task queue then share it.
REDIS_URL = os.environ.get("ACCORD_REDIS_URL", "").strip()

# The default cache is shared by every gunicorn worker (login throttling counts on it): Redis
# when configured, else a table in the database (made after `migrate` by core's apps.py).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "accord",
        }
    }
    # Sessions are read from Redis and kept in the database too, so a Redis restart keeps them.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "accord_cache",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Kept pages (accord/core/pagecache.py) live in each process's memory, filed under the data
# version that the shared cache above holds: reading one costs no query, keeping one writes
# nothing to the database, and a write anywhere makes every process's copies out of date.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "accord-pages",
    "TIMEOUT": 10 * 60,
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Background tasks (django-tasks): work that should not hold a request (reminders, imports,
# reindexing, generated documents) is a @task in an app's tasks.py, enqueued with
# `the_task.enqueue(...)` and run by `accord worker`. See accord/core/tasks.py. The queue is
# in the database, or in Redis (RQ) when ACCORD_REDIS_URL is set.
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A task waiting longer than this (seconds) means no worker is taking tasks: /healthz errs.
ACCORD_TASKS_MAX_WAIT = int(os.environ.get("ACCORD_TASKS_MAX_WAIT", "300"))
# --- end of operations block ----------------------------------------------------------------
