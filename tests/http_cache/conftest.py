"""A real Varnish (Debian's varnishd and xkey module) with the repository's VCL, for tests.

``make install-dev`` (which ``make test`` runs) installs it; a machine without it fails
these tests with that instruction, never skips them.
"""

from __future__ import annotations

import http.client
import importlib.util
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]

# The test server shares this machine with the rest of the suite: a probe answered late
# while it is busy must not mark it sick for seconds (one good probe in eight will do).
PATIENT_PROBE = {"interval": "1s", "timeout": "5s", "window": "8", "threshold": "1", "initial": "1"}


def varnish_runner():
    """``deploy/varnish/run.py``, which writes the install's VCL and the varnishd command."""
    spec = importlib.util.spec_from_file_location("varnish_run", ROOT / "deploy/varnish/run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def cache(self) -> str:
        return self.headers.get("X-Cache", "")


@dataclass
class Varnish:
    port: int
    process: subprocess.Popen | None
    log: Path | None
    instance: Path | None = None
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: str | None = None,
        source: str = "127.0.0.1",
    ) -> Answer:
        """One request through Varnish, from ``source`` (any 127.x address is this machine)."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            connection.request(
                method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
            )
            response = connection.getresponse()
            return Answer(
                response.status, response.headers, response.read().decode(errors="replace")
            )
        finally:
            connection.close()

    def backend_health(self) -> str:
        """``varnishadm backend.list``: whether Varnish thinks each app server is well."""
        if self.instance is None:
            return "(no varnishd of ours)"
        found = subprocess.run(
            ["varnishadm", "-n", str(self.instance), "backend.list", "-p"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return found.stdout + found.stderr

    def get(self, path: str, **headers: str) -> Answer:
        return self.request(path, headers={k.replace("_", "-"): v for k, v in headers.items()})


def eventually(check: Callable[[], bool], seconds: float = 5, pause: float = 0.05) -> bool:
    """Whether ``check()`` comes true within ``seconds`` (polled)."""
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(pause)


@pytest.fixture
def start_varnish() -> Iterator[Callable[[Sequence[tuple[str, int]]], Varnish]]:
    """Start varnishd (foreground, its own working folder) in front of ``backends``."""
    runner = varnish_runner()
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(backends: Sequence[tuple[str, int]], port: int | None = None) -> Varnish:
        try:
            runner.varnishd()
        except FileNotFoundError as error:
            pytest.fail(str(error))
        workdir = Path(tempfile.mkdtemp(prefix="varnish-test-"))
        port = port or free_port()
        command = runner.prepare(
            workdir, backends, listen=f"127.0.0.1:{port}", memory="64m", probe=PATIENT_PROBE
        )
        log = workdir / "varnishd.log"
        process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
        started.append((process, workdir))
        varnish = Varnish(port, process, log, workdir / "instance")

        def healthy() -> bool:
            if process.poll() is not None:
                pytest.fail(f"varnishd stopped: {log.read_text()[-2000:]}")
            try:
                return varnish.get("/healthz").status == 200
            except OSError:
                return False

        if not eventually(healthy, seconds=30, pause=0.2):
            pytest.fail(f"Varnish never reached a healthy backend: {log.read_text()[-2000:]}")
        return varnish

    yield start
    for process, workdir in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
