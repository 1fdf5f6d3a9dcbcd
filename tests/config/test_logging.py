"""The project's LOGGING prints every record once, on a laptop (DEBUG) and in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LOG_THREE_RECORDS = """
import logging

import django

django.setup()
logging.getLogger("django.request").warning("Not Found: /nothing/")
logging.getLogger("cms").warning("A warning of our own")
logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 5', extra={"status_code": 200})
"""

SETTINGS = {
    "config.settings.dev": {},
    "config.settings.prod": {
        "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-xyz",
        "DJANGO_ALLOWED_HOSTS": "outreach.example.org",
        "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3",
    },
}


@pytest.mark.parametrize("settings_module", sorted(SETTINGS))
def test_each_log_record_prints_one_line(settings_module):
    """Django's default "django" handler (DEBUG only) once printed beside the root's."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = clean | {"DJANGO_SETTINGS_MODULE": settings_module} | SETTINGS[settings_module]
    result = subprocess.run([sys.executable, "-c", LOG_THREE_RECORDS], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:2] == ["Not Found: /nothing/", "A warning of our own"]
    assert len(lines) == 3
    # runserver's request lines keep Django's own format: the time, then the request.
    assert lines[2].startswith("[") and lines[2].endswith('] "GET / HTTP/1.1" 200 5')
