"""The read-replica router: reads to "replica", writes and what follows them to "default"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from config.db_routers import ReplicaRouter, forget_writes
from interviews.models import Interview

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def router():
    forget_writes()  # as each request starts (request_started)
    yield ReplicaRouter()
    forget_writes()


def test_reads_go_to_the_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Interview) == "replica"
    assert router.db_for_write(Interview) == "default"


def test_after_a_write_the_request_reads_from_the_primary(router):
    router.db_for_write(Interview)
    assert router.db_for_read(Interview) == "default"
    forget_writes()  # the next request starts afresh
    assert router.db_for_read(Interview) == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(router):
    with transaction.atomic():
        assert router.db_for_read(Interview) == "default"
    assert router.db_for_read(Interview) == "replica"


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate("default", "interviews")
    assert not router.allow_migrate("replica", "interviews")


def settings_with(env: dict[str, str]) -> dict:
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([sorted(settings.DATABASES), settings.DATABASE_ROUTERS]))"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://app@primary.internal/site",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_router_is_wired_only_when_a_replica_is_named():
    assert settings_with({}) == [["default"], []]
    with_replica = settings_with({"DATABASE_REPLICA_URL": "postgres://app@replica.internal/site"})
    assert with_replica == [["default", "replica"], ["config.db_routers.ReplicaRouter"]]
