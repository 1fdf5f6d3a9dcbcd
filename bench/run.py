"""`make bench`: the site under load, from demo size to 100,000 interviews, SQLite and PostgreSQL.

For each database (PostgreSQL when it answers at 127.0.0.1:5432) and each size (the demo,
then BENCH_SIZES generated interviews, default 1000 10000 100000) it builds a fresh
database (bench/generate_content.py), serves it under gunicorn on loopback with the
benchmark settings (bench/settings.py: production's, plus Django's "hello world" view at
/bench/hello/), and loads every public page type, that view and a static file through
whitenoise with wrk (Debian's package), the page cache off and then on. It also counts each page's
queries, times the article importer, and, at demo size, scores each page type with
Lighthouse on Debian's chromium. Results: bench/results/bench.json, REPORT.md, latency.png.

Environment: BENCH_SIZES, BENCH_SECONDS (per URL, default 3), BENCH_CONNECTIONS (8),
BENCH_DATABASES ("sqlite postgresql").
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from wrk import wrk

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
PORT = 8360
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/5"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 10000 100000").split()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PYTHON = sys.executable


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def base_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",  # production's, plus /bench/hello/
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SERVE_MEDIA": "1",
        "REDIS_URL": REDIS if answers(6379) else "",
        "PORT": str(PORT),
    }


def python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return python(env, "manage.py", *args)


def database(kind: str, size: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{WORK / f'bench-{size}.sqlite3'}"
    import psycopg

    name = f"outreach_bench_{size}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES}/{name}"


def prepare(kind: str, size: int) -> tuple[dict[str, str], float]:
    env = base_env(database(kind, size))
    env["DJANGO_MEDIA_ROOT"] = str(WORK / "media")
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    started = time.perf_counter()
    if size:
        python(env, "bench/generate_content.py", str(size), "--verbosity", "0")
    else:
        manage(env, "rebuild_search_index", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return env, time.perf_counter() - started


def serve(env: dict[str, str], cache: bool) -> subprocess.Popen:
    env = {**env, "DJANGO_PAGE_CACHE": "1" if cache else "0"}
    if env["REDIS_URL"]:
        subprocess.run(["redis-cli", "-n", "5", "flushdb"], capture_output=True)
    server = subprocess.Popen([PYTHON, "bin/serve.py", "--settings", env["DJANGO_SETTINGS_MODULE"]],
                              cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


def load(env: dict[str, str], urls: dict[str, str], cache: bool) -> dict[str, dict]:
    server = serve(env, cache)
    try:
        rows = {}
        for name, path in urls.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            for _ in range(2):
                urllib.request.urlopen(url, timeout=120).read()
            rows[name] = wrk(url, SECONDS, CONNECTIONS)
        return rows
    finally:
        stop(server)


def import_rate(env: dict[str, str]) -> float:
    seed = (ROOT / "fixtures" / "articles" / "never-sorry-interview.txt").read_text()
    folder = WORK / "articles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    first = seed.splitlines()[0]
    for n in range(40):
        (folder / f"article-{n}.txt").write_text(seed.replace(first, f"{first} (copy {n})", 1))
    started = time.perf_counter()
    manage(env, "import_articles", str(folder))
    return round(40 / (time.perf_counter() - started), 2)


def lighthouse(env: dict[str, str], urls: dict[str, str]) -> dict[str, dict]:
    tool = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    if not tool.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                       cwd=ROOT / "bench", check=True)  # fmt: skip
    server = serve(env, cache=True)
    scores = {}
    try:
        for name, path in urls.items():
            if name in {"sitemap", "feed", "hello", "static"}:
                continue
            report = WORK / f"lighthouse-{name}.json"
            for _ in range(3):  # Lighthouse's own Chrome runs now and then time out
                done = subprocess.run(
                    [str(tool), f"http://127.0.0.1:{PORT}{path}", "--quiet", "--output=json",
                     f"--output-path={report}", "--chrome-flags=--headless=new --no-sandbox",
                     "--only-categories=performance,accessibility,best-practices,seo"],
                    env={**os.environ,
                         "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
                    capture_output=True, text=True, timeout=300,
                )  # fmt: skip
                if done.returncode == 0:
                    break
            if done.returncode != 0:
                scores[name] = {"error": done.stderr.strip()[-300:]}
                continue
            categories = json.loads(report.read_text())["categories"]
            scores[name] = {key: round(value["score"] * 100) for key, value in categories.items()}
    finally:
        stop(server)
    return scores


def main() -> None:
    for tool in ("wrk", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: make bench installs it")
    kinds = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
    if "postgresql" in kinds and not answers(5432):
        print("PostgreSQL does not answer at 127.0.0.1:5432: benchmarking SQLite only.")
        kinds.remove("postgresql")
    RESULTS.mkdir(exist_ok=True)
    runs = []
    for kind in kinds:
        for size in [0, *SIZES]:
            print(f"== {kind}, {size or 'demo'}: preparing", flush=True)
            env, prepared = prepare(kind, size)
            probe = json.loads(subprocess.run([PYTHON, "bench/probe.py"], cwd=ROOT, env=env,
                                              check=True, capture_output=True,
                                              text=True).stdout)  # fmt: skip
            urls = {name: page["url"] for name, page in probe["pages"].items()}
            urls |= {"hello": "/bench/hello/", "static": probe["static"]}
            run = {"database": kind, "size": size, "generate_seconds": round(prepared, 1),
                   "queries": {n: p["queries"] for n, p in probe["pages"].items()},
                   "bytes": {n: p["bytes"] for n, p in probe["pages"].items()}}  # fmt: skip
            for cache in (False, True):
                print(f"   load, cache {'on' if cache else 'off'}", flush=True)
                run["cache_on" if cache else "cache_off"] = load(env, urls, cache)
            if size == 0:
                run["import_articles_per_second"] = import_rate(env)
                if kind == "sqlite":
                    print("   lighthouse", flush=True)
                    run["lighthouse"] = lighthouse(env, urls)
            runs.append(run)
            (RESULTS / "bench.json").write_text(json.dumps(
                {"seconds": SECONDS, "connections": CONNECTIONS, "cores": os.cpu_count(),
                 "runs": runs}, indent=2) + "\n")  # fmt: skip
    subprocess.run([PYTHON, "bench/report.py"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
