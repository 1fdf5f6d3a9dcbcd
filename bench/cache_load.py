"""A short load run against `make serve` (gunicorn, production settings), cache on and off.

    .venv/bin/python bench/cache_load.py

Uses DATABASE_URL and REDIS_URL from the environment (default: the local PostgreSQL's
``outreach_bench`` database, created if missing, and Redis database 4). Loads the demo,
then for each page runs ``wrk`` (Debian's package) for 10 seconds with 16 connections,
first with the page cache on, then off. Prints a Markdown table and writes
``bench/results/cache-load.json``. The load generator shares the machine's cores with
the server, so the figures are for comparing the two modes, not absolute capacity.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from wrk import wrk

ROOT = Path(__file__).resolve().parent.parent
PORT = 8350
PAGES = ["/", "/interviews/alison-klayman-on-filming-ai-weiwei/", "/films/", "/screenings/",
         "/blog/feed/"]  # fmt: skip
SECONDS, CONNECTIONS = 10, 16


def environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            if not db.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'outreach_bench'"
            ).fetchone():
                db.execute("CREATE DATABASE outreach_bench")
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/outreach_bench"
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
    env.update(PORT=str(PORT), DJANGO_ALLOWED_HOSTS="127.0.0.1")
    return env


def wait_for_port(deadline: float = 60) -> None:
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def run(mode: str, env: dict[str, str]) -> list[dict]:
    env = {**env, "DJANGO_PAGE_CACHE": "1" if mode == "on" else "0"}
    server = subprocess.Popen([sys.executable, "bin/serve.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    try:
        wait_for_port()
        rows = []
        for page in PAGES:
            url = f"http://127.0.0.1:{PORT}{page}"
            for _ in range(3):
                urllib.request.urlopen(url).read()  # renditions made, cache filled
            rows.append({"cache": mode, "page": page, **wrk(url, SECONDS, CONNECTIONS)})
        return rows
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    env = environment()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is busy")
    rows = run("on", env) + run("off", env)
    print(f"\n{SECONDS} s per page, {CONNECTIONS} connections, wrk -t2, "
          f"{os.cpu_count()} cores shared by server and load\n")  # fmt: skip
    print("| page | cache | requests/s | p50 ms | p99 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in sorted(rows, key=lambda r: (PAGES.index(r["page"]), r["cache"] == "off")):
        print(
            f"| `{row['page']}` | {row['cache']} | {row['rps']:.0f} | {row['p50_ms']} "
            f"| {row['p99_ms']} | {row['errors']} non-2xx, sockets: {row['socket_errors']} |"
        )
    out = ROOT / "bench" / "results" / "cache-load.json"
    out.write_text(json.dumps({"seconds": SECONDS, "connections": CONNECTIONS, "rows": rows},
                              indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
