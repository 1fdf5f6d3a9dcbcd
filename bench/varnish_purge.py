"""From a publish commit to Varnish serving the new page (target: under a second).

    measure(base_url, env) -> dict

Starts its own varnishd (deploy/varnish/run.py, the repository's VCL) on ``VARNISH_PORT``
in front of the app server at ``base_url``. That server must send the shared-cache headers
and purge this Varnish: bench/run.py starts it with ``DJANGO_HTTP_CACHE_HEADERS=1`` and
``DJANGO_HTTP_CACHE_PURGE_URLS=purge_url()``, and passes the same environment as ``env``
(its ``DATABASE_URL`` and settings), because the purge is sent by the process that saves.

One editor process (``manage.py shell`` under ``env``) stays up for every round, so Django's
start-up is not timed. Each round first has the newest live interview's page cached in
Varnish (an ``X-Cache: HIT``), then the editor renames that interview and prints the moment
its transaction committed (an ``on_commit`` callback registered before the save, so it runs
before the page cache's purge); the page is polled through Varnish from then until it shows
the new title. The figure is commit to the first answer with the new page.
"""

from __future__ import annotations

import http.client
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VARNISH_PORT = int(os.environ.get("BENCH_VARNISH_PORT", "6091"))
ROUNDS = 6
GIVE_UP_SECONDS = 10
# Read one title a line from stdin; answer "<path> <commit time>" once it has committed;
# at the end of input put the original title back.
EDITOR = """
import sys, time
from django.db import transaction
from interviews.models import Interview
interview = Interview.objects.live().order_by("-publish_at", "-pk").first()
original = interview.title
print(interview.get_absolute_url(), flush=True)
for line in sys.stdin:
    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.time()))
        interview.title = line.strip()
        interview.save()
    print(interview.get_absolute_url(), committed[0], flush=True)
interview.title = original
interview.save()
"""


class PurgeMeasurementFailed(Exception):
    """Varnish or the editor did not do its part; the message says which."""


def purge_url() -> str:
    """The address the app server purges (``DJANGO_HTTP_CACHE_PURGE_URLS``)."""
    return f"http://127.0.0.1:{VARNISH_PORT}/"


def get(path: str) -> tuple[int, str, str]:
    """One GET through Varnish: status, its ``X-Cache`` verdict and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.getheader("X-Cache", ""), response.read().decode()
    finally:
        connection.close()


def start_varnish(base_url: str, workdir: Path) -> subprocess.Popen:
    """varnishd in front of ``base_url``, once it reaches the app (else an error with its log)."""
    spec = importlib.util.spec_from_file_location("varnish_run", ROOT / "deploy/varnish/run.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    address = urlsplit(base_url)
    command = runner.prepare(workdir, [(address.hostname, address.port or 80)],
                             listen=f"127.0.0.1:{VARNISH_PORT}", memory="64m")  # fmt: skip
    log = workdir / "varnishd.log"
    varnishd = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and varnishd.poll() is None:
        try:
            if get("/healthz")[0] == 200:
                return varnishd
        except OSError:
            pass
        time.sleep(0.2)
    stop(varnishd)
    raise PurgeMeasurementFailed(f"Varnish never reached the app server: {log.read_text()[-500:]}")


def cached(path: str) -> None:
    """Have ``path`` in Varnish's cache: read until Varnish answers it as a hit."""
    for _ in range(5):
        status, verdict, _ = get(path)
        if status != 200:
            raise PurgeMeasurementFailed(f"{path} answered {status} through Varnish")
        if verdict == "HIT":
            return
    raise PurgeMeasurementFailed(f"Varnish does not keep {path} (X-Cache {verdict!r})")


def measure(base_url: str, env: Mapping[str, str] | None = None) -> dict:
    """Seconds from commit to Varnish serving the renamed interview, median and max."""
    env = dict(os.environ if env is None else env)
    workdir = Path(tempfile.mkdtemp(prefix="varnish-bench-"))
    varnishd = editor = None
    try:
        varnishd = start_varnish(base_url, workdir)
        errors = workdir / "editor.log"
        command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", EDITOR]
        editor = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=errors.open("w"),
                                  text=True)  # fmt: skip
        path = editor.stdout.readline().strip()
        if not path.startswith("/"):
            raise PurgeMeasurementFailed(f"the editor stopped: {errors.read_text()[-500:]}")
        delays, stale = [], 0
        for number in range(ROUNDS):
            cached(path)
            title = f"Purge timing {number} {time.time():.0f}"
            editor.stdin.write(title + "\n")
            editor.stdin.flush()
            answer = editor.stdout.readline().split()
            if len(answer) != 2 or answer[0] != path:
                raise PurgeMeasurementFailed(f"the editor failed: {errors.read_text()[-500:]}")
            committed = float(answer[1])
            give_up = time.monotonic() + GIVE_UP_SECONDS
            while title not in (seen := get(path))[2]:
                if time.monotonic() > give_up:
                    raise PurgeMeasurementFailed(f"{path} still stale through Varnish after "
                                                 f"{GIVE_UP_SECONDS} s")  # fmt: skip
                stale += seen[1] == "HIT"
                time.sleep(0.005)
            delays.append(time.time() - committed)
        return {
            "page": path,
            "rounds": len(delays),
            "median_seconds": round(statistics.median(delays), 3),
            "max_seconds": round(max(delays), 3),
            "stale_hits_seen": stale,
        }
    except PurgeMeasurementFailed as error:
        return {"error": str(error)}
    except (OSError, ValueError, http.client.HTTPException) as error:
        return {"error": f"{type(error).__name__}: {error}"}
    finally:
        if editor is not None:
            editor.stdin.close()  # the editor puts the title back and ends
            try:
                editor.wait(timeout=30)
            except subprocess.TimeoutExpired:
                stop(editor)
        if varnishd is not None:
            stop(varnishd)
        shutil.rmtree(workdir, ignore_errors=True)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
