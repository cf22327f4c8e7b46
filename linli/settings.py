"""Django settings for Linli.

Everything comes from environment variables (see `.env.example`) through the typed helpers
in `linli.core.env`. With no variables set, the embedded default runs: SQLite in WAL mode,
tasks in-process, a local-memory cache, secrets generated once under LINLI_DATA_DIR.
"""

import secrets
import sys
from pathlib import Path

import dj_database_url

from linli.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LINLI_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_from_env_or_file(name: str, filename: str) -> str:
    """Production sets the variable; the embedded default keeps a generated one on disk."""
    value = env_str(name)
    if value:
        return value
    path = DATA_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_from_env_or_file("LINLI_SECRET_KEY", "secret_key")
# AES-GCM key (and keyed-hash key) for sensitive personal fields, DESIGN.md §7.
FIELD_ENCRYPTION_KEY = _secret_from_env_or_file("LINLI_FIELD_KEY", "field_key")
DEBUG = env_bool("LINLI_DEBUG", False)
ALLOWED_HOSTS = env_list("LINLI_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("LINLI_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("LINLI_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # /api/docs from ninja's own copy of Swagger UI, served here (no CDN)
    "linli.core",
    "linli.orgs",
    "linli.accounts",
    "linli.cases",
    "linli.notifications",
    "linli.points",
    "linli.people",
    "linli.open311",
    "linli.volunteering",
    "linli.disputes",
    "linli.inspections",
    "linli.dailyreports",
    "linli.deliberation",
    "linli.community",
    "linli.library",
    "linli.surveys",
    "linli.party",
    "linli.iot",
    "linli.triage",
]
if {"pytest", "mypy"} & set(sys.modules):  # the kit's test-only app, for tests and types
    INSTALLED_APPS.append("linli.core.tests.kit")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "linli.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "linli.core.middleware.SessionMiddleware",
    "linli.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "linli.core.middleware.AuthenticationMiddleware",
    "linli.core.middleware.RequestContextMiddleware",
    "linli.core.middleware.LostSessionMiddleware",
    "linli.core.textguard.ControlCharactersMiddleware",
    "linli.core.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "linli.urls"
WSGI_APPLICATION = "linli.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "linli" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "linli.core.context_processors.linli",
                "linli.orgs.context_processors.areas",
                "linli.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL)
    if _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("LINLI_DB_POOL", True):
        # psycopg 3 pool inside each process; CONN_MAX_AGE must stay 0 with a pool.
        _db["OPTIONS"] = {
            "pool": {
                "min_size": env_int("LINLI_DB_POOL_MIN", 2),
                "max_size": env_int("LINLI_DB_POOL_MAX", 10),
                "timeout": 10,
            }
        }
        _db["CONN_MAX_AGE"] = 0
    else:
        _db["CONN_MAX_AGE"] = env_int("LINLI_DB_CONN_MAX_AGE", 60)
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "linli.sqlite3"),
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing on upgrade.
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------
REDIS_URL = env_str("LINLI_REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts and login security (等保 2.0 level 3) ------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["linli.accounts.backends.PhoneOrUsernameBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "linli.accounts.validators.CharacterClassValidator"},
]
LOCKOUT_THRESHOLD = env_int("LINLI_LOCKOUT_THRESHOLD", 5)
LOCKOUT_IP_THRESHOLD = env_int("LINLI_LOCKOUT_IP_THRESHOLD", 5)
LOCKOUT_MINUTES = env_int("LINLI_LOCKOUT_MINUTES", 15)
SESSION_IDLE_MINUTES = env_int("LINLI_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request: idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("LINLI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
API_TOKEN_DAYS = env_int("LINLI_API_TOKEN_DAYS", 90)
OTP_ISSUER = env_str("LINLI_OTP_ISSUER", "Linli 邻里")
# Header the reverse proxies append the client address to (X-Forwarded-For); empty means
# use REMOTE_ADDR. The client is the TRUSTED_PROXIES-th entry from its right end
# (linli/core/proxies.py; docs/operations.md "Behind a proxy").
CLIENT_IP_HEADER = env_str("LINLI_CLIENT_IP_HEADER", "")
TRUSTED_PROXIES = env_int("LINLI_TRUSTED_PROXIES", 1)

# --- language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "linli" / "locale"]
USE_I18N = True
TIME_ZONE = env_str("LINLI_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("LINLI_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "linli" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the source folders when not collected
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("LINLI_MEDIA_ROOT", str(DATA_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- background work ------------------------------------------------------------------
# No broker: the embedded default runs every task in-process, right after commit, and
# `linli run` drives the periodic schedule from a thread. With a broker, Celery workers
# and `linli beat` do the same work across machines.
# Eager tasks still open a producer; the memory transport keeps kombu from guessing (and
# warning about) an AMQP server on localhost.
CELERY_TASK_ALWAYS_EAGER = not env_str("LINLI_BROKER_URL")
CELERY_BROKER_URL = env_str("LINLI_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = env_bool("LINLI_TASKS_PROPAGATE", False)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# Message priorities on Redis (0 first): the IoT subscriber queues telemetry at 9, behind
# alarms and every other task (linli/iot/mqtt.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"priority_steps": [0, 3, 6, 9],
                                   "queue_order_strategy": "priority"}

# --- logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LINLI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # In-process tasks would log a "succeeded" line each; a worker's log keeps them.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # Subsetting a PDF's font logs, at INFO, the name of every glyph it keeps: the
        # characters of the document, parties' names included. Never in the log.
        "fontTools": {"level": "WARNING"},
        "fpdf": {"level": "WARNING"},
    },
}

# --- exports (core/exports) -----------------------------------------------------------
# Up to this many rows a list's spreadsheet comes at once; more run in the background.
EXPORT_SYNC_ROWS = env_int("LINLI_EXPORT_SYNC_ROWS", 2000)
# Finished files are deleted this long after they were written (the job row stays).
EXPORT_KEEP_HOURS = env_int("LINLI_EXPORT_KEEP_HOURS", 24)
CELERY_BEAT_SCHEDULE["core.exports_cleanup"] = {"task": "core.exports_cleanup",
                                                "schedule": 3600}

# --- printable documents (core/pdf.py) ---------------------------------------------------
# The folder with the Chinese font the PDFs use (NotoSansSC_400Regular.ttf and ..._700Bold.ttf),
# filled by `make setup` (scripts/vendor_assets.py); without it printing answers 503.
PDF_FONT_DIR = Path(env_str("LINLI_PDF_FONT_DIR", "") or BASE_DIR / "linli" / "core" / "fonts")

# --- cases ----------------------------------------------------------------------------
DUPLICATE_RADIUS_M = env_int("LINLI_DUPLICATE_RADIUS_M", 100)
REOPEN_DAYS = env_int("LINLI_REOPEN_DAYS", 7)  # an unsatisfied reporter may reopen this long
# Map tiles for the maps, e.g. an intranet server's ".../{z}/{x}/{y}.png", or an MBTiles
# file Linli serves itself (it wins when set); with neither, the maps draw the area shapes
# on a plain background (docs/operations.md, "Maps").
MAP_TILE_URL = env_str("LINLI_MAP_TILE_URL", "")
MAP_MBTILES = env_str("LINLI_MAP_MBTILES", "")

# --- notifications and supervision ----------------------------------------------------
# Channels that deliver each notification besides the inbox row itself (docs/notifications.md).
NOTIFY_CHANNELS = env_list("LINLI_NOTIFY_CHANNELS", ["in_app", "email"])
NOTIFY_MAX_ATTEMPTS = env_int("LINLI_NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_HTTP_TIMEOUT = env_int("LINLI_NOTIFY_HTTP_TIMEOUT", 10)
EMAIL_ENABLED = env_bool("LINLI_EMAIL_ENABLED", False)
EMAIL_BACKEND = env_str("LINLI_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("LINLI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("LINLI_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("LINLI_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("LINLI_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("LINLI_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("LINLI_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("LINLI_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("LINLI_EMAIL_FROM", "linli@localhost")
SMS_GATEWAY_URL = env_str("LINLI_SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("LINLI_SMS_GATEWAY_TOKEN")
WECHAT_APP_ID = env_str("LINLI_WECHAT_APP_ID")
WECHAT_TEMPLATE_ID = env_str("LINLI_WECHAT_TEMPLATE_ID")
WECHAT_GATEWAY_URL = env_str("LINLI_WECHAT_GATEWAY_URL")
WECHAT_GATEWAY_TOKEN = env_str("LINLI_WECHAT_GATEWAY_TOKEN")
CELERY_BEAT_SCHEDULE["cases.supervise_overdue"] = {"task": "cases.supervise_overdue",
                                                   "schedule": 60}
CELERY_BEAT_SCHEDULE["notifications.retry_failed"] = {"task": "notifications.retry_failed",
                                                      "schedule": 300}

# --- disputes ---------------------------------------------------------------------------
# The follow-up visit (回访) is due this many calendar days after a mediation ends.
DISPUTE_FOLLOWUP_DAYS = env_int("LINLI_DISPUTE_FOLLOWUP_DAYS", 30)
CELERY_BEAT_SCHEDULE["disputes.supervise_overdue"] = {"task": "disputes.supervise_overdue",
                                                      "schedule": 300}
CELERY_BEAT_SCHEDULE["disputes.agreement_reminders"] = {
    "task": "disputes.agreement_reminders", "schedule": 900}

# --- inspections ------------------------------------------------------------------------
# Orders past their rectification deadline turn overdue; recurring campaigns are created on
# their day (inspections.supervise_overdue, inspections.schedules_run).
CELERY_BEAT_SCHEDULE["inspections.supervise_overdue"] = {
    "task": "inspections.supervise_overdue", "schedule": 300}
CELERY_BEAT_SCHEDULE["inspections.schedules_run"] = {"task": "inspections.schedules_run",
                                                     "schedule": 900}

# --- deliberation -----------------------------------------------------------------------
# Votes close on time, "closing soon" goes out, and results stand when their 公示 period
# ends (deliberation.votes_sweep).
CELERY_BEAT_SCHEDULE["deliberation.votes_sweep"] = {"task": "deliberation.votes_sweep",
                                                    "schedule": 60}

# --- community life ---------------------------------------------------------------------
# The day-before reminders of activities and the inbox delivery of notices whose time has
# come (community.sweep).
CELERY_BEAT_SCHEDULE["community.sweep"] = {"task": "community.sweep", "schedule": 60}

# --- party building -------------------------------------------------------------------
# 党员联系户: how many households a member keeps in touch with (fewer is listed, more is
# refused) and how often each is visited by default; the hours an in-service member
# (双报到) serves a year; the monthly property score (1-5) under which a month opens a
# supervision item, and how many ratings a month needs before it counts (docs/party.md).
PARTY_CONTACTS_MIN = env_int("LINLI_PARTY_CONTACTS_MIN", 3)
PARTY_CONTACTS_MAX = env_int("LINLI_PARTY_CONTACTS_MAX", 5)
PARTY_CONTACT_VISIT_DAYS = env_int("LINLI_PARTY_CONTACT_VISIT_DAYS", 30)
PARTY_SERVICE_HOURS_TARGET = env_int("LINLI_PARTY_SERVICE_HOURS_TARGET", 24)
PARTY_PROPERTY_LOW_SCORE = env_str("LINLI_PARTY_PROPERTY_LOW_SCORE", "3.0")
PARTY_PROPERTY_MIN_RATINGS = env_int("LINLI_PARTY_PROPERTY_MIN_RATINGS", 5)
# Overdue resolutions and contact visits (party.sweep), and last month's property
# scores (party.property_sweep: a low month opens its supervision item once).
CELERY_BEAT_SCHEDULE["party.sweep"] = {"task": "party.sweep", "schedule": 300}
CELERY_BEAT_SCHEDULE["party.property_sweep"] = {"task": "party.property_sweep",
                                                "schedule": 3600}

# --- daily reports ----------------------------------------------------------------------
# On working days from this local time on, grid workers without a report of the day are
# reminded once (dailyreports.remind_missing, swept every five minutes).
DAILY_REPORT_REMIND_AT = env_str("LINLI_DAILY_REPORT_REMIND_AT", "17:00")
CELERY_BEAT_SCHEDULE["dailyreports.remind_missing"] = {"task": "dailyreports.remind_missing",
                                                       "schedule": 300}

# --- people registry ------------------------------------------------------------------
# Residents who moved out are anonymised this many days later (docs/privacy.md).
PEOPLE_RETENTION_DAYS = env_int("LINLI_PEOPLE_RETENTION_DAYS", 365)
CELERY_BEAT_SCHEDULE["people.anonymise_moved_out"] = {"task": "people.anonymise_moved_out",
                                                      "schedule": 86400}

# --- smart triage ---------------------------------------------------------------------
# Retrained every night at this local hour (the hourly job checks), and on demand; the
# suggestions people were shown are recorded against their choices every five minutes.
TRIAGE_TRAIN_HOUR = env_int("LINLI_TRIAGE_TRAIN_HOUR", 2)
# Likely duplicates of a case are looked for among the cases reported this many days
# before or after it (triage.duplicates; nearer in time weighs more).
TRIAGE_DUPLICATE_DAYS = env_int("LINLI_TRIAGE_DUPLICATE_DAYS", 7)
CELERY_BEAT_SCHEDULE["triage.nightly"] = {"task": "triage.nightly", "schedule": 3600}
CELERY_BEAT_SCHEDULE["triage.suggestions_record"] = {"task": "triage.suggestions_record",
                                                     "schedule": 300}

# IoT (linli/iot, docs/iot.md): the MQTT broker the `linli iot` subscriber listens to, and
# what a message may be. `linli run` starts the subscriber unless LINLI_MQTT_URL is `off`:
# in-process in the embedded default, as a child `linli iot` process beside a Celery worker.
# The fixed client id keeps a persistent session on the broker, which holds QoS 1 messages
# for LINLI_MQTT_SESSION_HOURS while Linli is away; with LINLI_MQTT_SHARED several
# subscribers (each with its own client id) split the messages ($share/linli/...).
MQTT_URL = env_str("LINLI_MQTT_URL", "mqtt://127.0.0.1:1883")
MQTT_CLIENT_ID = env_str("LINLI_MQTT_CLIENT_ID", "linli-ingest")
MQTT_PREFIX = env_str("LINLI_MQTT_PREFIX", "linli")  # the topics' first level(s)
MQTT_SHARED = env_bool("LINLI_MQTT_SHARED", False)
MQTT_SESSION_HOURS = env_int("LINLI_MQTT_SESSION_HOURS", 168)
IOT_MAX_MESSAGE_BYTES = env_int("LINLI_IOT_MAX_MESSAGE_BYTES", 4096)
IOT_MAX_CLOCK_AHEAD_SECONDS = env_int("LINLI_IOT_MAX_CLOCK_AHEAD_SECONDS", 300)
IOT_MAX_AGE_HOURS = env_int("LINLI_IOT_MAX_AGE_HOURS", 24)
IOT_TELEMETRY_DAYS = env_int("LINLI_IOT_TELEMETRY_DAYS", 30)
IOT_DEDUP_DAYS = env_int("LINLI_IOT_DEDUP_DAYS", 7)
IOT_HEALTH_SWEEP_SECONDS = env_int("LINLI_IOT_HEALTH_SWEEP_SECONDS", 5)
CELERY_BEAT_SCHEDULE["iot.health_sweep"] = {"task": "iot.health_sweep",
                                            "schedule": IOT_HEALTH_SWEEP_SECONDS}
CELERY_BEAT_SCHEDULE["iot.alarm_supervise"] = {"task": "iot.alarm_supervise", "schedule": 30}
CELERY_BEAT_SCHEDULE["iot.welfare_sweep"] = {"task": "iot.welfare_sweep", "schedule": 300}
CELERY_BEAT_SCHEDULE["iot.retention"] = {"task": "iot.retention", "schedule": 3600}
