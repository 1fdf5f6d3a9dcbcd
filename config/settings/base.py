"""Settings shared by every environment.

Anything that differs between a laptop and production is read from the environment
in ``dev`` or ``prod``; nothing here is a secret.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "config",  # the project: site-wide pages, and the admin templates it overrides
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "reversion",
    "axes",
    "csp",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "cms.apps.TagsConfig",
    "cms",
    "films",
    "interviews",
    "blog",
    "outreach",
    "search",
]

MIDDLEWARE = [
    "config.proxy.TrustedProxyMiddleware",  # the viewer's address behind Varnish (first)
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.SecurityHeadersMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, plus the inline stylesheet
    "cms.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.EditorTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.page_cache.middleware.PublicPageCacheMiddleware",
    "cms.middleware.TextGZipMiddleware",  # inside the page cache: stored compressed
    # Inside gzip: it reads the admin's import maps from the body, to allow them by hash.
    "cms.middleware.AdminContentSecurityMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "cms.context_processors.site",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Parse ``DATABASE_URL`` with the options every environment wants.

    SQLite is shared by the web process and the background worker: write-ahead logging lets
    readers go on while one writes, and transactions take the write lock when they begin
    (IMMEDIATE), so two writers queue for up to 20 s instead of failing halfway. Each
    connection keeps up to 64 MiB of the file's pages in its own cache (SQLite's default is
    2 MiB): a search looks up a thousand entries' rows, which at 100,000 interviews took
    8 ms through the operating system's cache and 5 ms kept in the connection's.

    PostgreSQL runs with JIT compilation off. It compiles any query the planner guesses is
    costly, and correlated subqueries make that guess: a query that read every published
    interview (``next_visibility_change``, now read along an index) took 300-390 ms at
    100,000 interviews with JIT, 30 ms without. Pages' queries are too short to repay it.
    """
    database = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"-c jit=off {options.get('options', '')}".strip()
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536;",
            **database.get("OPTIONS", {}),
        }
    return database


DATABASES = {"default": database_from_url(f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}


def replica_from_url(url: str) -> dict:
    """The "replica" alias: the primary's copy, so tests use the primary's test database."""
    return {**database_from_url(url), "TEST": {"MIRROR": "default"}}


# A read replica of the primary: reads go to it when this is set (config/db_routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_from_url(DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["config.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True
# The series' home zone: a "10 PM local time" broadcast premieres at 10 PM here, and pages
# timed to the premiere (hours before or after it) count from that moment.
SERIES_TIME_ZONE = "America/New_York"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Case-insensitive tag names: "China" and "china" are one tag.
TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Independent Lens Outreach"
SITE_TAGLINE = "Documentaries, the people who make them, and where to see them."

# Uploaded images larger than this are refused before Pillow decodes them.
CMS_IMAGE_MAX_BYTES = 20 * 1024 * 1024
# Pixels an image may decode to, over all the frames of an animation (a small GIF of many
# large frames is a bomb); Pillow itself refuses twice this whoever opens it (cms.renditions).
CMS_IMAGE_MAX_PIXELS = 50_000_000

# Every record prints once, through the root logger's one console handler. Django applies
# its own defaults first, which give the "django" logger a console handler of its own while
# DEBUG is on and let it propagate to the root's as well (so each line printed twice):
# naming "django" here drops that handler. Naming it also resets the loggers below it, so
# "django.server" (runserver's request lines) is set up again as Django's defaults have it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # The worker says what it sent (message ids only: no addresses in the log).
        "cms.mail": {"level": "INFO"},
    },
}

# Searchable kinds listed first in the search page's filter and counts (any others follow in
# INSTALLED_APPS order): interviews are what the site is for.
SEARCH_KINDS_FIRST = ["interview"]

# JSON fixtures load parents first, whatever the order of their records (cms/fixture_json.py).
SERIALIZATION_MODULES = {"json": "cms.fixture_json"}

# The article importer refuses files larger than this.
CMS_IMPORT_MAX_BYTES = 2 * 1024 * 1024

# Caching: Redis when REDIS_URL is set (shared by every process), else this process's memory.
# Short socket timeouts: a cache server that stops answering slows pages by a fraction of a
# second once, then is left alone for CMS_CACHE_RETRY_SECONDS (cms/page_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.page_cache.redis_cache.RedisCache",  # one client per pool
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "outreach",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Search results, kept per query until anything changes (search.views): any words may be
# searched for, so they are kept apart from the shared cache, in each process's memory, where
# the oldest go first past a bound and a flood of made-up queries evicts nothing else.
CACHES["search_results"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "search-results",
    "OPTIONS": {"MAX_ENTRIES": 500},
}
# Public pages are cached only in a cache every process shares (Redis): a process-local
# cache could not hear of a save made in another process, and would go stale.
CMS_PAGE_CACHE_ENABLED = os.environ.get("DJANGO_PAGE_CACHE", "1" if REDIS_URL else "0") == "1"
CMS_PAGE_CACHE_ALIAS = "default"
CMS_PAGE_CACHE_SECONDS = 600
CMS_CACHE_RETRY_SECONDS = 30
# HTTP caches in front (Varnish with xkey): after a change the app sends each one
# `PURGE /` with the changed keys (cms/page_cache/http_purge.py), and retries through the
# task queue after each delay below while one does not answer. Comma separated URLs.
CMS_HTTP_CACHE_PURGE_URLS = [
    u.strip() for u in os.environ.get("DJANGO_HTTP_CACHE_PURGE_URLS", "").split(",") if u.strip()
]
CMS_HTTP_CACHE_PURGE_TIMEOUT = 2  # seconds
CMS_HTTP_CACHE_PURGE_RETRY_DELAYS = [2, 10, 60, 300]  # seconds; pages live 600 s at most
# Parts of pages kept rendered per version of what they show ({% fragment %}, cms.page_cache).
CMS_FRAGMENT_CACHE_ENABLED = True
# Of those, what each process keeps in its own memory too, served with no trip to the cache
# server while what it shows is unchanged (cms.page_cache.kept.InProcess).
CMS_KEPT_IN_PROCESS_BYTES = int(os.environ.get("DJANGO_KEPT_IN_PROCESS_BYTES", 16 * 2**20))
# HTTP caches in front (Varnish, a CDN): public pages say how long they may keep them
# (``s-maxage``, to the page's next boundary) and name what they show (``xkey``).
CMS_HTTP_CACHE_HEADERS = os.environ.get("DJANGO_HTTP_CACHE_HEADERS", "0") == "1"

# Uploaded media on S3-compatible object storage when a bucket and an endpoint are given.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "").strip()
if AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # A private bucket with signed addresses: an address stops working an hour after
            # the page that gave it was built (pages are cached at most 10 minutes), so
            # an image whose licence ends, or a draft's, is not reachable for long.
            "querystring_auth": os.environ.get("AWS_QUERYSTRING_AUTH", "0") == "1",
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "3600")),
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
MEDIA_ORIGIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "") or AWS_S3_ENDPOINT_URL

# Limits: form fields in memory, and any request body at all (the largest image plus room).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
CMS_MAX_REQUEST_BYTES = CMS_IMAGE_MAX_BYTES + 2 * 1024 * 1024

# Security headers every response carries (HSTS and secure cookies are in prod.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CMS_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Video hosts' players, framed only once a viewer presses play (films/videos.py).
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
            "https://player.pbs.org",
        ],
    }
}

# Background work (e-mail now; renditions and imports may follow) runs in a worker process,
# `manage.py db_worker`, which `make run` and `make serve` start beside the web server. The
# queue is a table in the site's database: a task is stored in the same transaction as the
# form that asked for it, so a submission and its e-mail are kept or lost together.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail goes out through the queue (cms/mail): a message is stored, then sent by the worker,
# tried again after each delay below while the mail server refuses it, then reported to
# editors on the dashboard as failed. Development prints messages on the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "outreach@localhost")
EMAIL_TIMEOUT = 10
CMS_MAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600]  # seconds; then "failed"
# Sent messages (they hold people's e-mail addresses) are deleted after this many days.
CMS_MAIL_KEEP_DAYS = 30

# Outreach (outreach/): host requests, RSVPs and engagement resources.
# Requests a visitor's network address or one e-mail address may send in a day, and RSVPs.
OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY = 5
OUTREACH_REQUESTS_PER_EMAIL_PER_DAY = 3
OUTREACH_RSVPS_PER_ADDRESS_PER_DAY = 20
# Attendees' and hosts' personal data is deleted this many days after the event
# (`manage.py purge_outreach_data`, run daily); a host's private link stops working then too.
OUTREACH_KEEP_DAYS_AFTER_EVENT = 30
# The largest party one RSVP may bring, and the largest PDF an editor may upload.
OUTREACH_MAX_PARTY_SIZE = 10
OUTREACH_RESOURCE_MAX_BYTES = 15 * 1024 * 1024

# Admin sign-in: five failures in a row for one user name from one address lock it for
# fifteen minutes (django-axes); a successful sign-in clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Axes counts failures by the address config.proxy worked out, never a header a client wrote.
AXES_CLIENT_IP_CALLABLE = "config.proxy.client_address"

# Reverse proxies (Varnish, a TLS terminator, a load balancer) whose X-Forwarded-For and
# X-Forwarded-Proto are believed: IPs or CIDRs, comma separated. Empty: no proxy, the
# direct peer is the viewer (config/proxy.py).
CMS_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("DJANGO_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# No lost work (cms/editing): autosave and presence on admin forms.
# A changed admin form is autosaved to its editor's private draft this often (seconds); the
# draft is offered back on return and deleted by a save, by "Discard", or after KEEP_DAYS
# (by the next autosave anyone makes). An open form tells the server every HEARTBEAT seconds that
# its editor is still there; after STALE seconds without one the editor counts as gone.
CMS_AUTOSAVE_SECONDS = 30
CMS_AUTOSAVE_MAX_BYTES = 2 * 1024 * 1024
CMS_AUTOSAVE_KEEP_DAYS = 30
CMS_PRESENCE_HEARTBEAT_SECONDS = 30
CMS_PRESENCE_STALE_SECONDS = 90

# A bulk publish or unpublish can be undone from its message for this many seconds.
CMS_UNDO_SECONDS = 300
