"""Production settings for the two-instance test, with each process's caches its own.

Everything is production's (``config.settings.prod``, from the environment) except:

- every cache but the page cache is this process's memory, so the test shows that only the
  page cache (Redis, ``PAGE_CACHE_REDIS_URL``) and the database are shared;
- static files come from the app folders, so no ``collectstatic`` is needed first;
- the test's fast password hashes (``config.settings.test``) are accepted.
"""

import os

from config.settings.prod import *  # noqa: F403
from config.settings.prod import STORAGES

CACHES = {
    **CACHES,  # noqa: F405 - production's search results store: this process's memory
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "cms.page_cache.redis_cache.RedisCache",
        "LOCATION": os.environ["PAGE_CACHE_REDIS_URL"],
        "KEY_PREFIX": "two-instances",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
}
CMS_PAGE_CACHE_ALIAS = "pages"
CMS_PAGE_CACHE_ENABLED = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
