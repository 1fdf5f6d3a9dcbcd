"""Project-wide guarantees: migrations match the models, production settings fail fast and
pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing of the runner's own services: the Redis memory check has its own tests
    # (tests/cms/test_checks.py), against redis-servers started with and without a limit.
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings.prod"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-xyz",
    "DJANGO_ALLOWED_HOSTS": "outreach.example.org",
    "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3",
}


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_production_settings_refuse_to_start_without_each_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
