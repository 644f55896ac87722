"""Settings for Chuangwen, read from the environment.

Every value that differs between a laptop demo and production comes from an
environment variable; nothing secret is written here.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chuangwen.core.csp import content_security_policy


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHUANGWEN_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("CHUANGWEN_TESTING", False)
# HTTPS hardening is on unless explicitly turned off (the local demo serves plain http).
HTTPS = env_bool("CHUANGWEN_HTTPS", not (DEBUG or TESTING))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# The key `make demo` generated for this installation, so that manage.py commands run
# beside the demo (create_api_token, create_open311_key …) sign as it does.
if not SECRET_KEY and (VAR_DIR / "secret_key").is_file():
    SECRET_KEY = (VAR_DIR / "secret_key").read_text().strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "chuangwen.core.admin_site.ChuangwenAdminConfig",  # django.contrib.admin, city admins only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",  # serves the OpenAPI docs' assets locally instead of from a CDN
    "chuangwen.core",
    "chuangwen.accounts",
    "chuangwen.territory",
    "chuangwen.org",
    "chuangwen.notifications",
    "chuangwen.catalog",
    "chuangwen.cases",
    "chuangwen.participation",
    "chuangwen.open311",
    "chuangwen.imports",
    "chuangwen.evaluation",
    "chuangwen.assessment",
    "chuangwen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chuangwen.core.middleware.JsonRefusalMiddleware",
    "chuangwen.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chuangwen.urls"
WSGI_APPLICATION = "chuangwen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chuangwen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chuangwen.core.context_processors.navigation",
                "chuangwen.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in WAL mode under var/ is the embedded default; production sets DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
        "POSTGRES_JIT", False
    ):
        # PostgreSQL compiles a query costed above jit_above_cost before running it; for the
        # platform's counts over an index (the dashboard's month, the rankings) compiling
        # takes longer than the query. POSTGRES_JIT=1 leaves the server's setting.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "chuangwen.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# Rate limits and the dashboard's figures live here. Several gunicorn workers (or machines)
# must share it, so production sets REDIS_URL; the embedded demo keeps it in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "chuangwen"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and security ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
if TESTING:
    # Test accounts are created by the hundred; a slow hash would dominate the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lock an account name at one address out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
# The address the lock-out counts is the one the portal's limits count: one setting,
# TRUSTED_PROXY_HOPS, says how many proxies in front may be believed.
AXES_CLIENT_IP_CALLABLE = "chuangwen.core.http.client_address"

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "12")) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is polled by load balancers over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chuangwen" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "chuangwen" / "static"]
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG or TESTING)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chuangwen@localhost")

# --- API ----------------------------------------------------------------------------------
# Lists page with ?limit=&offset=: 100 rows unless asked, never more than 1,000 (a larger
# limit answers 422 rather than a silently shorter page); offsets stay within 64 bits.
NINJA_PAGINATION_CLASS = "chuangwen.core.pagination.Pagination"
NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

# --- Product settings ---------------------------------------------------------------------
# Code of the territory root that the whole installation serves (十堰市).
CITY_CODE = os.environ.get("CITY_CODE", "420300")
# Optional raster tiles under the territory polygons, e.g. a 天地图 or internal tile server.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# How often a process checks whether the territory changed and its routing index is stale.
ROUTING_RECHECK_SECONDS = float(os.environ.get("ROUTING_RECHECK_SECONDS", "2"))
# Work periods of a working day (the official calendar decides which days are working days).
WORK_PERIODS = os.environ.get("WORK_PERIODS", "08:00-12:00,14:00-18:00")
CALENDAR_RECHECK_SECONDS = float(os.environ.get("CALENDAR_RECHECK_SECONDS", "30"))
WORKER_POLL_SECONDS = float(os.environ.get("WORKER_POLL_SECONDS", "2"))
# Longest wait between the worker's attempts to reach a database that went away.
WORKER_RECONNECT_MAX_SECONDS = float(os.environ.get("WORKER_RECONNECT_MAX_SECONDS", "30"))
# Attempts per outbox message before it becomes a dead letter; the wait after the n-th
# failure is base × 2^(n-1) seconds, at most the maximum (30 s … 32 min by default).
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "30"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "3600"))
# How long a worker may take to send one message before another worker takes it over.
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
OUTBOX_RETENTION_DAYS = int(os.environ.get("OUTBOX_RETENTION_DAYS", "30"))

# --- Content-Security-Policy ------------------------------------------------------------
# Enforced by django-csp; the policy and its reasons are in chuangwen/core/csp.py. The tile
# server of MAP_TILE_URL is admitted for images, with any origins in CSP_IMG_SRC
# (comma-separated); CSP_REPORT_URI is where browsers report what the policy refused.
CONTENT_SECURITY_POLICY = content_security_policy(
    tile_url=MAP_TILE_URL,
    img_sources=env_list("CSP_IMG_SRC", ""),
    report_uri=os.environ.get("CSP_REPORT_URI", ""),
)

# --- Uploads --------------------------------------------------------------------------
# Evidence photos: largest accepted file and picture; larger pictures are scaled down.
PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", str(40_000_000)))
PHOTO_MAX_SIDE = int(os.environ.get("PHOTO_MAX_SIDE", "2560"))
DATA_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES + 1024 * 1024
# Days after which a photo uploaded but never attached to a case, an inspection result or
# a re-inspection is deleted by the worker.
PHOTO_UNATTACHED_DAYS = int(os.environ.get("PHOTO_UNATTACHED_DAYS", "7"))
# XLSX uploads: an archive member may expand at most this many times its compressed size,
# and all members together to at most this many MiB (a zip bomb is refused unread).
XLSX_MAX_RATIO = float(os.environ.get("XLSX_MAX_RATIO", "100"))
XLSX_MAX_UNCOMPRESSED_MB = int(os.environ.get("XLSX_MAX_UNCOMPRESSED_MB", "1024"))
FILE_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES + 1024 * 1024

# --- Cases ----------------------------------------------------------------------------
# Supervision ladder: share of the time limit after which an open case turns yellow / red.
CASE_YELLOW_RATIO = float(os.environ.get("CASE_YELLOW_RATIO", "1.0"))
CASE_RED_RATIO = float(os.environ.get("CASE_RED_RATIO", "1.5"))
# Limits of the stages around handling, as "value time_type".
CASE_STAGE_LIMITS = {
    "accept": os.environ.get("CASE_ACCEPT_LIMIT", "1 work_hours"),
    "dispatch": os.environ.get("CASE_DISPATCH_LIMIT", "1 work_hours"),
    "verify": os.environ.get("CASE_VERIFY_LIMIT", "4 work_hours"),
}
# Days after closing during which a dissatisfied reporter may ask to reopen.
CASE_REOPEN_DAYS = int(os.environ.get("CASE_REOPEN_DAYS", "7"))
CASE_SUPERVISE_SECONDS = float(os.environ.get("CASE_SUPERVISE_SECONDS", "60"))

# --- Public channels --------------------------------------------------------------------
# Channels whose cases the portal and Open311 publish (with personal data redacted, the
# address cut at the community and the point rounded to about 100 m). Internal channels
# (hotline, inspections, 国测 feedback, 上级交办, video) stay unpublished unless the office
# publishes a case by hand.
PUBLIC_CHANNELS = tuple(env_list("PUBLIC_CHANNELS", "portal,open311"))
# Proxies in front of the site that append to X-Forwarded-For (0: use the peer address);
# the rate limits, the public channels' limits and the login lock-out all count that address.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
# Request rates ("<n>/<s|min|hour|day>", empty: no limit): the REST API per client address
# and per caller (bearer token or account), Open311 reads and submissions per address, and
# the portal's JSON feeds per address. Over a limit the answer is 429 with Retry-After.
API_RATE_PER_ADDRESS = os.environ.get("API_RATE_PER_ADDRESS", "1200/min")
API_RATE_PER_CALLER = os.environ.get("API_RATE_PER_CALLER", "600/min")
OPEN311_READ_RATE = os.environ.get("OPEN311_READ_RATE", "120/min")
OPEN311_WRITE_RATE = os.environ.get("OPEN311_WRITE_RATE", "30/min")
PUBLIC_FEED_RATE = os.environ.get("PUBLIC_FEED_RATE", "120/min")
# Citizen portal: reports accepted from one address per hour and one phone per day.
PORTAL_REPORTS_PER_ADDRESS_HOUR = int(os.environ.get("PORTAL_REPORTS_PER_ADDRESS_HOUR", "10"))
PORTAL_REPORTS_PER_PHONE_DAY = int(os.environ.get("PORTAL_REPORTS_PER_PHONE_DAY", "5"))
# Open311 GeoReport v2: the jurisdiction this endpoint answers for, and POSTs per key and hour.
OPEN311_JURISDICTION = os.environ.get("OPEN311_JURISDICTION", "shiyan.gov.cn")
OPEN311_POSTS_PER_KEY_HOUR = int(os.environ.get("OPEN311_POSTS_PER_KEY_HOUR", "1000"))
# Work-order imports (12345, 国测/省测): largest file and row count accepted.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "200000"))
# Uploaded lists hold citizens' phone numbers: the file is deleted this many days after
# its import job last changed (the job and the cases it created stay).
IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("IMPORT_FILE_RETENTION_DAYS", "30"))

# --- Evaluation (测评) -------------------------------------------------------------------
# How close (metres) an inspector's GPS must be to a point to check in without an exception.
EVALUATION_CHECKIN_RADIUS_M = int(os.environ.get("EVALUATION_CHECKIN_RADIUS_M", "200"))

# --- Assessment (考评) and the leaders' dashboard ---------------------------------------
# Places on the 红榜 and on the 黑榜 of a ranking.
ASSESSMENT_BOARD_SIZE = int(os.environ.get("ASSESSMENT_BOARD_SIZE", "3"))
# How often the dashboard's big-screen mode fetches fresh figures.
DASHBOARD_REFRESH_SECONDS = int(os.environ.get("DASHBOARD_REFRESH_SECONDS", "60"))
# The CJK TrueType font (.ttf or .ttc and the face inside it) embedded in the PDF 讲评
# report; Debian's fonts-wqy-microhei installs this one. Without it the PDF falls back to
# a built-in Chinese font that is not embedded.
REPORT_FONT = os.environ.get("REPORT_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
REPORT_FONT_INDEX = int(os.environ.get("REPORT_FONT_INDEX", "0"))

# --- Notifications ----------------------------------------------------------------------
# Where the site is reached, for links in mails and chat messages (e.g. https://cw.example.cn).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# SMS gateway and 企业微信 group robot: empty means the channel is off.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "")  # "", "console" or "http"
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
WECOM_WEBHOOK_URL = os.environ.get("WECOM_WEBHOOK_URL", "")
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
