"""Test settings: SQLite unless ``DATABASE_URL`` names another database, fast hashing."""

import os
import tempfile
from urllib.parse import urlsplit


def own_redis_database(number: int, worker: str) -> int:
    """The Redis database ``number`` stands for in pytest-xdist worker ``worker`` (gw0, gw1…).

    Tests flush the Redis databases they use, so workers running side by side must not
    share one: each worker takes the database four below the one before it (15, 11, 7…),
    which keeps the two runs of ``bin/run_tests.py`` and their spare databases apart too.
    """
    own = number - 4 * int(worker.removeprefix("gw") or 0)
    if own < 0:
        raise ValueError(f"Redis database {number} leaves none for worker {worker}: use 12-15.")
    return own


# Set in the environment, not only here, so the servers and commands a test starts get them.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    if url := os.environ.get("REDIS_URL", "").strip():
        parts = urlsplit(url)
        number = own_redis_database(int(parts.path.strip("/") or 0), worker)
        os.environ["REDIS_URL"] = parts._replace(path=f"/{number}").geturl()
    spare = own_redis_database(int(os.environ.get("TEST_REDIS_SPARE_DB", "13")), worker)
    os.environ["TEST_REDIS_SPARE_DB"] = str(spare)

from .base import *  # noqa: E402, F403
from .base import database_from_url  # noqa: E402

DEBUG = False
SECRET_KEY = "test-only-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cms-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SERVE_MEDIA = True

# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests change rows behind the ORM's back (plain UPDATEs) to set up a moment in time;
# the page cache is switched on by the tests of caching itself (tests/cms/page_cache/).
CMS_PAGE_CACHE_ENABLED = False

# Messages land in django.core.mail.outbox; tests run the queued tasks with the real worker.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
