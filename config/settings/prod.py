"""Production settings: every secret and host comes from the environment, or startup fails."""

import importlib.util
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_url, replica_from_url


def required_env(name: str) -> str:
    """Return an environment variable, refusing to start without it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = required_env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required_env("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
DATABASES = {"default": database_from_url(required_env("DATABASE_URL"))}
if DATABASE_REPLICA_URL:  # noqa: F405 - base.py routes reads to it (config/db_routers.py)
    DATABASES["replica"] = replica_from_url(DATABASE_REPLICA_URL)  # noqa: F405
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Serve uploads from this process only when no object storage is configured (one machine).
SERVE_MEDIA = os.environ.get("DJANGO_SERVE_MEDIA", "0") == "1"


def anymail_backend_exists(provider: str) -> bool:
    """Whether django-anymail has a backend by this name (a typo fails at startup)."""
    try:
        return importlib.util.find_spec(f"anymail.backends.{provider}") is not None
    except (ImportError, ValueError):  # "a.b" with no package "a"; an empty name part
        return False


# E-mail: through a provider's API with django-anymail when DJANGO_EMAIL_PROVIDER names one
# ("amazon_ses", "mailgun", "postmark", "sendgrid", ... with its ANYMAIL_* keys), else SMTP
# from EMAIL_HOST and friends. With neither, messages are printed to the log, never lost.
# The worker (`manage.py db_worker`) sends them; pages never wait for the mail server.
EMAIL_PROVIDER = os.environ.get("DJANGO_EMAIL_PROVIDER", "").strip()
if EMAIL_PROVIDER:
    if not anymail_backend_exists(EMAIL_PROVIDER):
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_PROVIDER={EMAIL_PROVIDER!r} is not one of django-anymail's backends."
        )
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        key.removeprefix("ANYMAIL_"): value
        for key, value in os.environ.items()
        if key.startswith("ANYMAIL_")
    }
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    # Port 465 speaks TLS from the start (EMAIL_USE_SSL=1); 587 upgrades with STARTTLS.
    EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("EMAIL_USE_TLS", "1") == "1"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "465" if EMAIL_USE_SSL else "587"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # noqa: F405
