"""Laptop settings: work with no configuration at all, and accept ``DATABASE_URL``."""

import os

from .base import *  # noqa: F403
from .base import database_from_url, replica_from_url

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789"
)
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
if DATABASE_REPLICA_URL:  # noqa: F405 - base.py routes reads to it (config/db_routers.py)
    DATABASES["replica"] = replica_from_url(DATABASE_REPLICA_URL)  # noqa: F405

# No manifest on a laptop: pages work with DJANGO_DEBUG=0 too, without collectstatic.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SERVE_MEDIA = True

# Serve static files from the app folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
