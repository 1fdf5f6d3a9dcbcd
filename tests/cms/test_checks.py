"""The deployment check warns when the page cache's Redis has no memory limit."""

import shutil
import subprocess

import pytest

from cms.checks import check_redis_memory_limit
from tests.services import free_port, wait_until_listening

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture
def redis_server():
    """A throwaway redis-server on a free port, started with the given options."""
    started = []

    def start(*options: str) -> str:
        port = free_port()
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", *options],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started.append(process)
        wait_until_listening(port, process, "redis-server")
        return f"redis://127.0.0.1:{port}/0"

    yield start
    for process in started:
        process.terminate()
        process.wait(5)


@pytest.mark.skipif(REDIS_SERVER is None, reason="Debian's redis-server is not installed")
@pytest.mark.parametrize(
    ("options", "ids"),
    [
        ((), ["cms.W001"]),
        (("--maxmemory", "64mb", "--maxmemory-policy", "noeviction"), ["cms.W003"]),
        (("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"), []),
        (("--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru"), []),
    ],
)
def test_redis_without_a_memory_budget_is_reported(settings, redis_server, options, ids):
    settings.REDIS_URL = redis_server(*options)
    assert [warning.id for warning in check_redis_memory_limit()] == ids


def test_an_unreachable_redis_is_reported_not_fatal(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert [warning.id for warning in check_redis_memory_limit()] == ["cms.W002"]


def test_no_redis_no_warning(settings):
    settings.REDIS_URL = ""
    assert check_redis_memory_limit() == []


@pytest.mark.parametrize(
    ("options", "ids"),
    [
        ({"querystring_auth": True, "custom_domain": "cdn.example.org"}, ["cms.W004"]),
        ({"querystring_auth": True, "custom_domain": None}, []),
        ({"querystring_auth": False, "custom_domain": "cdn.example.org"}, []),
        ({"querystring_auth": True, "custom_domain": "cdn.example.org",
          "cloudfront_key": "k"}, []),
    ],
)  # fmt: skip
def test_signed_media_addresses_that_would_not_be_signed_are_reported(settings, options, ids):
    from cms.checks import check_signed_media_addresses

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}  # fmt: skip
    assert [warning.id for warning in check_signed_media_addresses()] == ids
