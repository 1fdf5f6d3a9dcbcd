"""Real servers the tests start or look for: free ports, and waiting for one to listen."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
