"""Which mail backend each environment gets: the console in development, locmem in tests,
and in production SMTP from ``EMAIL_HOST`` or a provider through django-anymail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
SHOW_MAIL_SETTINGS = """
import json
from django.conf import settings
names = ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
         "EMAIL_USE_TLS", "EMAIL_USE_SSL", "DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "TASKS"]
found = {name: getattr(settings, name) for name in names}
found["ANYMAIL"] = getattr(settings, "ANYMAIL", None)
print(json.dumps(found))
"""
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-xyz",
    "DJANGO_ALLOWED_HOSTS": "outreach.example.org",
    "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3",
}


def mail_settings(environment: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "DATABASE_", "EMAIL_", "ANYMAIL_"))}  # fmt: skip
    return subprocess.run([sys.executable, "-c", SHOW_MAIL_SETTINGS], cwd=ROOT,
                          env=clean | environment, capture_output=True, text=True,
                          timeout=60)  # fmt: skip


def loaded(environment: dict[str, str]) -> dict:
    result = mail_settings(environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_sends_through_smtp_when_email_host_is_set():
    found = loaded(PRODUCTION | {
        "EMAIL_HOST": "smtp.example.org", "EMAIL_HOST_USER": "outreach",
        "EMAIL_HOST_PASSWORD": "s3cret", "DJANGO_DEFAULT_FROM_EMAIL": "outreach@example.org",
    })  # fmt: skip
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (found["EMAIL_HOST_USER"], found["EMAIL_HOST_PASSWORD"]) == ("outreach", "s3cret")
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)
    assert found["DEFAULT_FROM_EMAIL"] == found["SERVER_EMAIL"] == "outreach@example.org"
    assert found["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_production_smtp_over_tls_from_the_start():
    def security(found: dict) -> tuple:
        return found["EMAIL_PORT"], found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]

    ssl = loaded(PRODUCTION | {"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_SSL": "1"})
    assert security(ssl) == (465, False, True)
    plain = loaded(PRODUCTION | {"EMAIL_HOST": "mail", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "0"})
    assert security(plain) == (25, False, False)


def test_production_sends_through_a_provider_with_anymail():
    found = loaded(PRODUCTION | {
        "DJANGO_EMAIL_PROVIDER": "postmark", "ANYMAIL_POSTMARK_SERVER_TOKEN": "token-123",
        "EMAIL_HOST": "smtp.example.org",  # the provider wins
    })  # fmt: skip
    assert found["EMAIL_BACKEND"] == "anymail.backends.postmark.EmailBackend"
    assert found["ANYMAIL"] == {"POSTMARK_SERVER_TOKEN": "token-123"}


@pytest.mark.parametrize("provider", ["postmarc", "postmark.EmailBackend", "../smtp"])
def test_production_refuses_to_start_with_an_unknown_provider(provider):
    result = mail_settings(PRODUCTION | {"DJANGO_EMAIL_PROVIDER": provider})
    assert result.returncode != 0
    assert f"DJANGO_EMAIL_PROVIDER={provider!r} is not one of django-anymail's backends" in (
        result.stderr
    )


def test_without_a_mail_server_production_prints_messages_to_the_log():
    assert loaded(PRODUCTION)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_development_prints_messages_and_tests_keep_them():
    found = loaded({"DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
