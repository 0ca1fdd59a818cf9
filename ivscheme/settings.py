"""Settings for ivscheme: one module, every value read from the environment.

Production is the default. With ``DEBUG`` off the app refuses to start unless ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL`` are set, and ``manage.py check --deploy`` is clean.
``make run`` and ``make test`` set ``DEBUG=1`` and provide the database themselves.
Every variable is listed, with its default, in ``.env.example``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG: bool = env.bool("DEBUG", default=False)


def _required(name: str) -> str:
    """Read a variable production cannot run without, and say clearly when it is missing."""
    value = env.str(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (production mode). "
            f"See .env.example for every variable; for a local run use `make run`."
        )
    return value


if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-never-used-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
    DATABASE_URL = env.str("DATABASE_URL", default="")
    if not DATABASE_URL:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set. `make run` and `make test` start an embedded PostgreSQL and "
            "set it for you; to run manage.py by hand, export the URL they print."
        )
else:
    SECRET_KEY = _required("SECRET_KEY")
    if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[]) or []
    if not ALLOWED_HOSTS:
        _required("ALLOWED_HOSTS")
    DATABASE_URL = _required("DATABASE_URL")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Project apps.
    "core",
    "accounts",
    "referrals",
    "matches",
    "visits",
    "expenses",
    "volunteers",
    "complaints",
    "safeguarding",
    "notifications",
    "reports",
    "dataprotection",
    # Last: the top app that composes the others (home page, navigation, health, demo data).
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the path or query is a 400 before any view or database sees it.
    "core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The request the selectors' access log belongs to (core/audit.py record_read).
    "core.audit.CurrentRequestMiddleware",
    # Session lifetimes, then the two-factor gate (both need OTPMiddleware and messages).
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # A create form sent twice goes to the record its first copy made (core/once.py).
    "core.once.RepeatMiddleware",
    # A service's refusal (core.refusals.NotAllowed): 404 when hidden, else 403 with its reason.
    "core.refusals.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while an account is locked out after repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Object grants: an IV to their match, a social worker to their allocated children.
    "guardian.backends.ObjectPermissionBackend",
]

ROOT_URLCONF = "ivscheme.urls"
WSGI_APPLICATION = "ivscheme.wsgi.application"

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
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No JIT compilation for our connections: this is short OLTP work, and on queries whose cost
# estimates run high PostgreSQL spent far longer compiling than running (make bench, 50,000
# children: match suggestions 104 ms with JIT, 46 ms without; before a rewrite, 1,418 ms).
if env.bool("DB_JIT_OFF", default=True):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-guardian: no anonymous user object; anonymous visitors never hold grants.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files: Bootstrap and htmx come from the npm registry (package.json) into
# node_modules at setup and are served by whitenoise; nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # The manifest needs collectstatic, which the production image runs; a local run and
        # the tests serve straight from the finders instead.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files (receipts, documents) are private: never under the web root, only served by
# views that check permission.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Receipts and other uploads are refused above this size, with a message saying so.
EXPENSES_MAX_RECEIPT_BYTES = env.int("EXPENSES_MAX_RECEIPT_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# How many proxies of ours stand in front of gunicorn, each appending to X-Forwarded-For. The
# client's address is the entry that many places from the right; 0 ignores the header (anyone
# can write it) and uses the connection's address. core.audit.client_ip reads it, for the
# access log, the sign-in history and django-axes' lockouts alike.
TRUSTED_PROXY_COUNT: int = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
if not DEBUG:
    # Behind a TLS-terminating proxy (compose: the load balancer in front of gunicorn).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # /healthz is probed over plain HTTP by the orchestrator inside the private network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content Security Policy: no inline script or style anywhere, everything from this origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ivscheme <no-reply@ivscheme.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address emails link to (they never carry the record itself, only a link behind sign-in).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- Celery -------------------------------------------------------------------------------
# With REDIS_URL the broker is Redis. Without it (``make run`` on a bare machine) the broker
# is kombu's filesystem transport under var/broker: still a separate worker process consuming
# real messages, never eager execution in the web process.
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # Must exceed the longest countdown/eta any task uses (none is over an hour), or Redis
        # redelivers a message that is merely waiting and the task runs twice.
        "visibility_timeout": 4 * 60 * 60,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "visibility_timeout": 4 * 60 * 60,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="ivscheme")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes narrates every sign-in at INFO; lockouts are still logged as warnings.
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Sessions: staff idle timeouts and absolute lifetimes are enforced in accounts (issue 3);
# this is the absolute ceiling for everyone.
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())

# --- Sign-in security ---------------------------------------------------------------------
# Lockout (django-axes, accounts.lockout): five wrong passwords for one account from one
# address lock that account at that address for AXES_COOLOFF_MINUTES; AXES_ADDRESS_FAILURES
# wrong passwords from one address, for any accounts, lock that address. Tries during a
# lockout do not extend it, so a stranger cannot keep the owner out, and the owner from
# another address is never locked by them. The lockout page (accounts.views.locked_out)
# answers HTTP 429 Too Many Requests.
AXES_HANDLER = "accounts.lockout.PairAndAddressHandler"
AXES_FAILURE_LIMIT = 5
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURES", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# The same account whatever the case or spaces typed: the email is the username.
AXES_USERNAME_CALLABLE = "accounts.views.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429

# Two-factor sign-in (django-otp): coordinators, managers, complaints managers and
# superusers must set up an authenticator app and enter a code at every sign-in (enforced by
# accounts.middleware.TwoFactorMiddleware); everyone else may choose to. `make run` turns it
# off (tools/dev.py) so the demo users can sign in with a password alone.
OTP_REQUIRED: bool = env.bool("OTP_REQUIRED", default=True)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="ivscheme")
OTP_BACKUP_CODES = 10

# Sessions (accounts.middleware.SessionPolicyMiddleware): staff are signed out after
# STAFF_IDLE_MINUTES without a request; everyone at SESSION_COOKIE_AGE after signing in,
# however active (absolute, not sliding).
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("STAFF_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(seconds=SESSION_COOKIE_AGE)
# Sudo mode (accounts.sudo): role changes and exports need the password again within this.
SUDO_TIMEOUT = timedelta(minutes=10)
# A password reset or invitation link works for three days.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Caches. django-ratelimit (core.ratelimits) counts the posts of the public forms and of
# password reset here, so with several web processes the cache must be shared between them:
# set CACHE_URL to Redis (redis://redis:6379/1). Unset, each process counts in its own memory
# (make run's single server process, the tests).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Per address, and per email address typed: a complaint or application, and a reset email.
RATELIMIT_PUBLIC_FORM_ADDRESS = env.str("RATELIMIT_PUBLIC_FORM_ADDRESS", default="10/h")
RATELIMIT_PUBLIC_FORM_EMAIL = env.str("RATELIMIT_PUBLIC_FORM_EMAIL", default="5/h")
RATELIMIT_PASSWORD_RESET_ADDRESS = env.str("RATELIMIT_PASSWORD_RESET_ADDRESS", default="10/h")
RATELIMIT_PASSWORD_RESET_EMAIL = env.str("RATELIMIT_PASSWORD_RESET_EMAIL", default="3/h")
