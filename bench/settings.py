"""The benchmarks' settings: production's, plus Django's "hello world" at ``/bench/hello/``.

``DJANGO_SETTINGS_MODULE=bench.settings`` with the environment production needs
(``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL``; see bench/run.py).
The benchmarks talk plain HTTP on loopback, so nothing is redirected to HTTPS.
"""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
