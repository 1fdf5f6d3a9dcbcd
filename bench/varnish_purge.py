"""From a publish commit to Varnish serving the new page (target: well under a second).

    measure(base_url) -> dict

Starts its own varnishd (deploy/varnish/run.py) on ``VARNISH_PORT`` in front of the app
server at ``base_url``. That server must send the shared-cache headers and purge this
Varnish: run it with ``DJANGO_HTTP_CACHE_HEADERS=1`` and
``DJANGO_HTTP_CACHE_PURGE_URLS=http://127.0.0.1:6091/``. Each round renames the newest live
interview in a ``manage.py shell`` run with this process's environment (the same
``DATABASE_URL`` and settings as the server), which prints the moment it committed; the page
is then polled through Varnish until it shows the new title.
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
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VARNISH_PORT = int(os.environ.get("BENCH_VARNISH_PORT", "6091"))
ROUNDS = 5
EDIT = """
import time
from interviews.models import Interview
interview = Interview.objects.live().order_by("-publish_at").first()
interview.title = {title!r}
interview.save()
print(interview.get_absolute_url(), time.time())
"""


def get(path: str) -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", VARNISH_PORT, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.getheader("X-Cache", ""), response.read().decode()
    finally:
        connection.close()


def measure(base_url: str) -> dict:
    spec = importlib.util.spec_from_file_location("varnish_run", ROOT / "deploy/varnish/run.py")
    runner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runner)
    address = urlsplit(base_url)
    workdir = Path(tempfile.mkdtemp(prefix="varnish-bench-"))
    command = runner.prepare(workdir, [(address.hostname, address.port or 80)],
                             listen=f"127.0.0.1:{VARNISH_PORT}", memory="64m")  # fmt: skip
    varnishd = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            return {"error": "Varnish never reached the app server"}
        delays, hits = [], 0
        for number in range(ROUNDS):
            title = f"Purge timing {number} {time.time()}"
            edit = [sys.executable, "manage.py", "shell", "-c", EDIT.format(title=title)]
            done = subprocess.run(edit, cwd=ROOT, capture_output=True, text=True, check=True)
            path, committed = done.stdout.split()[-2:]
            if number == 0:
                continue  # the first round warms the page
            give_up = time.monotonic() + 10
            while title not in (answer := get(path))[2]:
                if time.monotonic() > give_up:
                    return {"error": "the new page never showed through Varnish"}
                hits += answer[1] == "HIT"
                time.sleep(0.01)
            delays.append(time.time() - float(committed))
            get(path)  # cached again for the next round
        return {
            "rounds": len(delays),
            "median_seconds": round(statistics.median(delays), 3),
            "max_seconds": round(max(delays), 3),
            "stale_hits_seen": hits,
        }
    finally:
        varnishd.terminate()
        varnishd.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
