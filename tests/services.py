"""Real servers and real migrations for tests: free ports, waiting for a server, replays."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def spare_redis_url() -> str:
    """A Redis database for the tests that start servers of their own and may flush it.

    ``bin/run_tests.py`` gives each of its runs another one, and each pytest-xdist worker
    takes its own below it (``config/settings/test.py``); 13 when the suite is run by hand.
    """
    return f"redis://127.0.0.1:6379/{int(os.environ.get('TEST_REDIS_SPARE_DB', '13'))}"


def answers(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Whether something accepts connections at ``host:port``."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return True
    except OSError:
        return False


def wait_until_listening(port: int, process: subprocess.Popen, what: str, seconds: float = 30):
    """Wait for ``process`` to accept connections on ``port``; fail the test if it never does."""
    deadline = time.monotonic() + seconds
    while not answers(port):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"{what} did not start")
        time.sleep(0.1)


@contextmanager
def replayed_migration(app: str, before: str, migration: str) -> Iterator[None]:
    """Run ``migration`` of ``app`` again over the rows in the database now.

    Migrates back to ``before``, forward to ``migration``, and on leaving back to the
    latest state, which the later tests need.
    """
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([(app, before)])
        executor.loader.build_graph()
        executor.migrate([(app, migration)])
        yield
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
