"""Test settings: SQLite unless ``DATABASE_URL`` names another database, fast hashing."""

import os
import tempfile

from .base import *  # noqa: F403
from .base import database_from_url

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
