"""Purges sent to the HTTP caches in front, and retried by the worker while one is down."""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult

from cms.page_cache.http_purge import purge_http_caches
from tests.services import free_port

pytestmark = pytest.mark.django_db


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in HTTP cache: answers PURGE with 200 and keeps the keys it was sent."""

    received: list[str]

    def do_PURGE(self) -> None:  # noqa: N802 - the method's name
        self.server.received.append(self.headers["xkey-purge"])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def cache_server():
    def start(port: int) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer(("127.0.0.1", port), PurgeRecorder)
        server.received = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    servers: list[ThreadingHTTPServer] = []
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_every_cache_gets_the_keys_once_sorted(settings, cache_server):
    first, second = cache_server(free_port()), cache_server(free_port())
    settings.CMS_HTTP_CACHE_PURGE_URLS = [
        f"http://127.0.0.1:{first.server_port}/",
        f"http://127.0.0.1:{second.server_port}/",
    ]
    purge_http_caches(
        ["interviews.interview:12", "interviews.interview:*", "interviews.interview:12"]
    )
    assert first.received == second.received == ["interviews.interview:* interviews.interview:12"]
    assert not DBTaskResult.objects.exists()


def test_no_cache_configured_sends_nothing(settings):
    settings.CMS_HTTP_CACHE_PURGE_URLS = []
    purge_http_caches(["interviews.interview:1"])
    assert not DBTaskResult.objects.exists()


def test_a_cache_that_is_down_is_purged_by_the_worker_once_it_is_back(
    settings, cache_server, run_queued_tasks, caplog
):
    port = free_port()
    settings.CMS_HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    settings.CMS_HTTP_CACHE_PURGE_RETRY_DELAYS = [0, 0]
    with caplog.at_level(logging.WARNING, logger="cms.page_cache.http_purge"):
        purge_http_caches(["blog.post:3"])  # nothing listens: no error, a warning and a retry
    assert "HTTP cache purge at" in caplog.text
    assert DBTaskResult.objects.count() == 1

    server = cache_server(port)
    run_queued_tasks()
    assert server.received == ["blog.post:3"]


def test_retries_stop_after_the_last_delay(settings, run_queued_tasks, caplog):
    settings.CMS_HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}/"]
    settings.CMS_HTTP_CACHE_PURGE_RETRY_DELAYS = [0, 0]
    with caplog.at_level(logging.WARNING, logger="cms.page_cache.http_purge"):
        purge_http_caches(["blog.post:3"])
        for _ in range(3):
            run_queued_tasks()
    assert "failed 3 times; giving up" in caplog.text
    assert DBTaskResult.objects.count() == 2  # the two retries, both done
