"""`make bench`: the site under load, from demo size to 100,000 interviews, SQLite and PostgreSQL.

For each database (PostgreSQL when it answers at 127.0.0.1:5432) and each size (the demo,
then BENCH_SIZES generated interviews, default 10000 100000) it builds a fresh database
(bench/generate_content.py), serves it under gunicorn with ONE sync worker on loopback
with the benchmark settings (bench/settings.py: production's, plus Django's "hello world"
view at /bench/hello/), and loads every public page type, that view and a static file
through whitenoise with wrk (Debian's package), the page cache off and then on. Beside
requests per second it reads the worker's CPU time from /proc (bench/cpu.py) before and
after each URL's load and divides it by the requests wrk saw served: CPU per request,
warm (after a warm-up pass) and, page cache off, cold (the first request after the cache
server is flushed, averaged over BENCH_COLD_REQUESTS flushes). The same interview served
by Wagtail 8 (bench/wagtail_peer.py) is measured the same way in the same run, once per
database. At each database's largest size it measures the page cache's hit rate under
mixed load (bench/cache_load.py) and, on PostgreSQL, each page's SQL with its plans
(bench/sql_plans.py). On SQLite it then serves the demo and the largest size side by side and
measures each page in pairs of a second, one on each (``paired_growth``): the figure the
growth target judges. It also counts each page's queries, times the article importer and,
at demo size, scores each indexable page type (none with a robots noindex) with Lighthouse
on Debian's chromium at its mobile and desktop presets, the median of three runs each, with
the failing audits of any category under 100 (after the worker has made the renditions),
runs bench/search_latency.py on each database at its largest size and, on the first
database's demo, the time from a commit to Varnish serving the new page
(bench/varnish_purge.py, against a server started with the shared-cache headers and purging
that Varnish). Servers are started as
bin/serve.py starts them, without its per-start setup (bench/serve_prepared.py); their
output is in the run's temporary folder, server.log. Results: bench/results/bench.json,
REPORT.md, cpu.png, latency.png (BENCH_RESULTS: another folder, for trial runs).

Environment: BENCH_SIZES, BENCH_SECONDS (per URL, default 3), BENCH_CONNECTIONS (8),
BENCH_DATABASES ("sqlite postgresql"), BENCH_COLD_REQUESTS (20), BENCH_MIXED_SECONDS (60),
BENCH_SKIP ("lighthouse search varnish growth": parts left out), BENCH_RESULTS (bench/results),
BENCH_QUICK=1 (a smoke run of the machinery: demo only, 1 s per URL, 5 cold requests,
10 s of mixed load, no Lighthouse and no search latency), BENCH_ONLY=lighthouse (Lighthouse
alone on the SQLite demo, into lighthouse.json and LIGHTHOUSE.md; bench.json and REPORT.md
are left as they were), BENCH_LIGHTHOUSE_PRESETS ("mobile desktop"), BENCH_LIGHTHOUSE_PAGES
(page type names, default all: for trial runs), BENCH_LIGHTHOUSE_REPORTS (a folder to keep
every run's Lighthouse JSON in, to read its audits), BENCH_GROWTH_ROUNDS (12),
BENCH_ONLY=growth (the SQLite demo and the largest size served side by side and measured in
pairs, into growth.json: the growth target's own measure, see ``paired_growth``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import cache_load
import varnish_purge
import wagtail_peer
from cpu import cpu_ms, gunicorn_workers
from wrk import wrk

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("BENCH_RESULTS") or ROOT / "bench" / "results")
WORK = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
PORT = 8360
PEER_PORT = 8361
PAIRED_PORT = 8362  # the larger database's server, beside the demo's, for the paired growth
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/5"
QUICK = os.environ.get("BENCH_QUICK") == "1"
SIZES = [] if QUICK else [int(n) for n in os.environ.get("BENCH_SIZES", "10000 100000").split()]
SECONDS = int(os.environ.get("BENCH_SECONDS", "1" if QUICK else "3"))  # wrk takes whole seconds
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
COLD_REQUESTS = int(os.environ.get("BENCH_COLD_REQUESTS", "5" if QUICK else "20"))
SKIP = set(os.environ.get("BENCH_SKIP", "lighthouse search" if QUICK else "").split())
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "10" if QUICK else "60"))
ONLY = os.environ.get("BENCH_ONLY", "")
GROWTH_ROUNDS = int(os.environ.get("BENCH_GROWTH_ROUNDS", "2" if QUICK else "12"))
PYTHON = sys.executable


def answers(port: int) -> bool:
    with socket.socket() as connection:
        connection.settimeout(1)
        return connection.connect_ex(("127.0.0.1", port)) == 0


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
        "WEB_CONCURRENCY": "1",  # one sync worker: its CPU time is the pages' cost
    }


def python(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return python(env, "manage.py", *args)


def database(kind: str, size: int | str) -> str:
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
    # Every picture's renditions made before any page is timed: made by the worker while a
    # page is measured, each purges the pages that show it mid-run (the likely reason the
    # demo film page, the first to show most sizes, measured 4.4 and 6.6 ms in two runs).
    manage(env, "queue_missing_renditions")
    manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return env, time.perf_counter() - started


def probe(env: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """bench/probe.py's account of the prepared site's pages, and the URLs to measure: each
    page's, with hello world and a static file beside them."""
    found = json.loads(python(env, "bench/probe.py"))
    urls = {name: page["url"] for name, page in found["pages"].items()}
    return found, urls | {"hello": "/bench/hello/", "static": found["static"]}


def flush_cache(env: dict[str, str]) -> None:
    if env["REDIS_URL"]:
        subprocess.run(["redis-cli", "-n", "5", "flushdb"], capture_output=True, check=True)


def serve(env: dict[str, str], cache: bool, port: int = PORT) -> subprocess.Popen:
    """gunicorn and the worker as bin/serve.py starts them, on the database prepare() made.

    Not bin/serve.py itself: it migrates, loads the demo, collects static files and runs the
    deploy checks before every start, ten seconds of CPU each time, and its ``migrate``
    stops the run when the checkout's migrations change under a long bench (a 10,000 run
    died so: a migration rewritten meanwhile no longer matched its database). prepare() has
    done those steps once; this starts bin/serve.py's own commands (``serve_commands``)
    under its ``supervise`` (bench/serve_prepared.py). Output goes to WORK/server.log,
    quoted when a start fails.
    """
    env = {**env, "DJANGO_PAGE_CACHE": "1" if cache else "0", "PORT": str(port)}
    flush_cache(env)
    log = WORK / "server.log"
    with log.open("a") as out:
        out.write(f"\n== {time.strftime('%H:%M:%S')} page cache {'on' if cache else 'off'}\n")
        out.flush()
        command = [PYTHON, "bench/serve_prepared.py", env["DJANGO_SETTINGS_MODULE"]]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    ended = server.poll()
    if ended is None:
        stop(server)
    held = " (the port answers: another server holds it)" if answers(port) else ""
    tail = "\n".join(log.read_text().splitlines()[-15:])
    raise SystemExit(f"gunicorn did not start (exit code {ended}){held}; {log}:\n{tail}")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


def cpu_per_request(url: str, seconds: int, workers: list[int]) -> tuple[dict, float | None]:
    """wrk's figures for ``url`` over ``seconds``, and the workers' CPU ms per request."""
    before = cpu_ms(workers)
    row = wrk(url, seconds, CONNECTIONS)
    used = cpu_ms(workers) - before
    return row, (used / row["requests"] if row["requests"] else None)


def warm(url: str) -> None:
    """Bring ``url`` to steady state: its renditions made, fragment (and page) caches filled."""
    for _ in range(2):
        urllib.request.urlopen(url, timeout=120).read()


def measure(url: str, workers: list[int], beside: str | None = None) -> dict:
    """wrk's figures for ``url`` and the workers' CPU ms per request served, after warm-up.

    ``beside``: a URL (hello world) measured beside the page on the same worker. The machine
    is shared, and its speed moves by a quarter or more from one second to the next, so the
    page is run in ``SECONDS`` rounds of a second, each after a second of hello world:
    ``share`` is the median of the rounds' hello ÷ page, the figure the targets judge.
    """
    warm(url)
    if beside is None:
        row, cpu = cpu_per_request(url, SECONDS, workers)
        row["cpu_ms"] = None if cpu is None else round(cpu, 3)
        return row
    hellos, pages = [], []  # per round: (wrk's figures, CPU ms per request)
    for _ in range(SECONDS):
        hellos.append(cpu_per_request(beside, 1, workers))
        pages.append(cpu_per_request(url, 1, workers))
    shares = [h / p for (_, h), (_, p) in zip(hellos, pages, strict=True) if h and p]
    middles = [row["p50_ms"] for row, _ in pages if row["p50_ms"] is not None]
    tails = [row["p99_ms"] for row, _ in pages if row["p99_ms"] is not None]
    return {
        "requests": sum(row["requests"] for row, _ in pages),
        "rps": round(sum(row["rps"] for row, _ in pages) / len(pages), 2),
        "p50_ms": statistics.median(middles) if middles else None,
        "p99_ms": max(tails) if tails else None,
        "errors": sum(row["errors"] for row, _ in pages),
        "cpu_ms": overall_cpu(pages),
        "beside_cpu_ms": overall_cpu(hellos),
        "share": round(statistics.median(shares), 4) if shares else None,
        "shares": [round(share, 4) for share in shares],
    }


def overall_cpu(rounds: list[tuple[dict, float | None]]) -> float | None:
    """CPU ms per request over all ``rounds`` (each: wrk's figures, its CPU per request)."""
    requests = sum(row["requests"] for row, cpu in rounds if cpu is not None)
    used = sum(row["requests"] * cpu for row, cpu in rounds if cpu is not None)
    return round(used / requests, 3) if requests else None


def cold_cpu(env: dict[str, str], url: str, workers: list[int]) -> float | None:
    """CPU ms of the first request after the cache server is flushed, averaged."""
    if not env["REDIS_URL"]:
        return None  # a process-memory cache cannot be flushed from here
    used = 0.0
    for n in range(COLD_REQUESTS):
        flush_cache(env)
        before = cpu_ms(workers)
        # A parameter of its own each time: search keeps its results per parameter in the
        # worker's memory (search.views), which no flush reaches; other pages drop it.
        separator = "&" if "?" in url else "?"
        urllib.request.urlopen(f"{url}{separator}cold={n}", timeout=120).read()
        used += cpu_ms(workers) - before
    return round(used / COLD_REQUESTS, 3)


def load(env: dict[str, str], urls: dict[str, str], cache: bool, during=None) -> dict[str, dict]:
    """Each URL's figures with the page cache on or off; ``during(base_url)`` runs after."""
    server = serve(env, cache)
    try:
        workers = gunicorn_workers(server.pid)
        rows = {}
        hello = f"http://127.0.0.1:{PORT}{urls['hello']}" if "hello" in urls else None
        for name, path in urls.items():
            url = f"http://127.0.0.1:{PORT}{path}"
            beside = hello if not cache and name not in {"hello", "static"} else None
            rows[name] = measure(url, workers, beside)
            if not cache and name != "static":
                rows[name]["cold_cpu_ms"] = cold_cpu(env, url, workers)
        if during is not None:
            rows["_during"] = during(f"http://127.0.0.1:{PORT}")
        return rows
    finally:
        stop(server)


def paired_growth(small: tuple[dict, dict], large: tuple[dict, dict]) -> dict[str, dict]:
    """Each page's CPU per request at the larger size over the demo's, measured in pairs.

    The two databases are served side by side (page cache off, one worker each) and each
    page is run in ``GROWTH_ROUNDS`` pairs of a second, one on each server, the order
    swapped every pair: both halves of a pair see the same machine, whose speed moves by a
    quarter or more from one second to the next here, where sizes measured minutes apart
    (``load``) do not. The ratio judged is the median of the pairs'; hello world's own
    (which only the machine moves) shows how far that goes.
    """
    (small_env, small_urls), (large_env, large_urls) = small, large
    servers = [serve(small_env, False), serve(large_env, False, PAIRED_PORT)]
    try:
        workers = [gunicorn_workers(server.pid) for server in servers]
        rows = {}
        for name, path in small_urls.items():
            if name == "static" or name not in large_urls:
                continue
            urls = [f"http://127.0.0.1:{PORT}{path}",
                    f"http://127.0.0.1:{PAIRED_PORT}{large_urls[name]}"]  # fmt: skip
            for url in urls:
                warm(url)
            pairs = []
            for n in range(GROWTH_ROUNDS):
                order = (0, 1) if n % 2 == 0 else (1, 0)
                cpu = {i: cpu_per_request(urls[i], 1, workers[i])[1] for i in order}
                if cpu[0] and cpu[1]:
                    pairs.append((cpu[0], cpu[1]))
            rows[name] = {
                "demo_ms": round(statistics.median(a for a, _ in pairs), 3) if pairs else None,
                "large_ms": round(statistics.median(b for _, b in pairs), 3) if pairs else None,
                "ratios": [round(b / a, 3) for a, b in pairs],
                "ratio": round(statistics.median(b / a for a, b in pairs), 3) if pairs else None,
            }
        return rows
    finally:
        for server in servers:
            stop(server)


def growth_only() -> None:
    """BENCH_ONLY=growth: the SQLite demo and the largest BENCH_SIZES, paired
    (``paired_growth``), into growth.json and printed; bench.json is left as it was."""
    prepared = []
    for size in (0, SIZES[-1]):
        print(f"== sqlite, {size or 'demo'}: preparing", flush=True)
        env, _ = prepare("sqlite", size)
        prepared.append((env, probe(env)[1]))
    print("   paired growth", flush=True)
    rows = paired_growth(prepared[0], prepared[1])
    RESULTS.mkdir(exist_ok=True)
    data = {"size": SIZES[-1], "rounds": GROWTH_ROUNDS, "pages": rows}
    (RESULTS / "growth.json").write_text(json.dumps(data, indent=2) + "\n")
    print(f"| page | demo ms | {SIZES[-1]:,} ms | pairs | ratio |\n| --- | --- | --- | --- | --- |")
    for name, row in rows.items():
        pairs = ", ".join(f"{r:.2f}" for r in row["ratios"])
        print(f"| {name} | {row['demo_ms']} | {row['large_ms']} | {pairs} | {row['ratio']} |")
    shutil.rmtree(WORK, ignore_errors=True)


def peer(kind: str, our_env: dict[str, str]) -> dict:
    """Wagtail's figures for the reference interview on ``kind``, or why there are none."""
    print(f"== {kind}: the Wagtail peer", flush=True)
    try:
        site = wagtail_peer.prepare(WORK, database(kind, "wagtail"), our_env)
    except (wagtail_peer.PeerUnavailable, subprocess.CalledProcessError) as error:
        print(f"   Wagtail peer unavailable: {error}", flush=True)
        return {"error": str(error)}
    server = wagtail_peer.serve(site, PEER_PORT)
    try:
        url = f"http://127.0.0.1:{PEER_PORT}{site['path']}"
        deadline = time.monotonic() + 60
        while not answers(PEER_PORT) and time.monotonic() < deadline:
            time.sleep(0.3)
        row = measure(url, gunicorn_workers(server.pid))
        return {"version": site["version"], "url": site["path"], **row}
    finally:
        stop(server)


def sql_plans(env: dict[str, str], urls: dict[str, str]) -> dict:
    pages = {name: url for name, url in urls.items() if name not in {"hello", "static"}}
    return json.loads(python(env, "bench/sql_plans.py", json.dumps(pages)))


def search_latency(database_url: str) -> None:
    """bench/search_latency.py on this run's largest database, as it is (the issue's target
    is at 100,000 interviews); it writes its own results file."""
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    done = subprocess.run([PYTHON, "bench/search_latency.py"], cwd=ROOT, env=env,
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        print(f"   search latency failed: {done.stderr.strip()[-300:]}", flush=True)


def varnish(env: dict[str, str]) -> dict:
    """bench/varnish_purge.py's purge latency, against a server that purges its Varnish.

    The server sends the shared-cache headers and purges ``varnish_purge.purge_url()``
    after each commit; the measurement's editor saves under the same environment.
    """
    env = {**env, "DJANGO_HTTP_CACHE_HEADERS": "1",
           "DJANGO_HTTP_CACHE_PURGE_URLS": varnish_purge.purge_url()}  # fmt: skip
    server = serve(env, cache=True)
    try:
        return varnish_purge.measure(f"http://127.0.0.1:{PORT}", env)
    except OSError as error:  # no varnishd, a port taken: report, go on
        return {"error": f"{type(error).__name__}: {error}"}
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


LIGHTHOUSE_PRESETS = {
    preset: flags
    for preset, flags in {"mobile": [], "desktop": ["--preset=desktop"]}.items()
    if preset in os.environ.get("BENCH_LIGHTHOUSE_PRESETS", "mobile desktop").split()
}
LIGHTHOUSE_ONLY_PAGES = set(os.environ.get("BENCH_LIGHTHOUSE_PAGES", "").split())
LIGHTHOUSE_REPORTS = os.environ.get("BENCH_LIGHTHOUSE_REPORTS", "")
LIGHTHOUSE_RUNS = 3  # the median of three, as issue 17 asks
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NOT_PAGES = {"sitemap", "feed", "hello", "static"}
ROBOTS_META = re.compile(r"<meta\s+name=[\"']robots[\"']\s+content=[\"']([^\"']*)", re.I)


def noindex(url: str) -> str | None:
    """The robots directive that keeps ``url`` out of search engines, or None if indexable.

    Read from the X-Robots-Tag header and the robots meta tag, as a crawler would: pages a
    search engine never indexes (search results, the RSVP form) are not held to SEO's 100.
    """
    with urllib.request.urlopen(url, timeout=120) as response:
        header = response.headers.get("X-Robots-Tag") or ""
        found = ROBOTS_META.search(response.read().decode("utf-8", "replace"))
    for directive in (header, found.group(1) if found else ""):
        if "noindex" in directive.lower():
            return directive
    return None


def lighthouse_pages(urls: dict[str, str]) -> dict[str, str]:
    """The page types to score: the probe's, plus any demo page type it leaves out."""
    sys.path.insert(0, str(ROOT))
    from tests.demo_pages import DEMO_PAGES

    pages = {name: path for name, path in urls.items() if name not in NOT_PAGES}
    pages |= {name: path for name, path in DEMO_PAGES.items() if name not in pages}
    if LIGHTHOUSE_ONLY_PAGES:
        return {name: path for name, path in pages.items() if name in LIGHTHOUSE_ONLY_PAGES}
    return pages


def lighthouse_once(tool: Path, url: str, flags: list[str], report: Path) -> dict:
    """One Lighthouse run's JSON report; retried when Lighthouse or its Chrome fails."""
    error = ""
    for _ in range(3):  # Lighthouse's own Chrome runs now and then time out
        done = subprocess.run(
            [str(tool), url, "--quiet", "--output=json", f"--output-path={report}",
             "--chrome-flags=--headless=new --no-sandbox",
             f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}", *flags],
            env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            error = done.stderr.strip()[-300:]
            continue
        found = json.loads(report.read_text())
        if found.get("runtimeError") or any(
            found["categories"][key]["score"] is None for key in LIGHTHOUSE_CATEGORIES
        ):
            error = json.dumps(found.get("runtimeError") or "a category without a score")
            continue
        return found
    raise RuntimeError(error)


def failing_audits(found: dict, category: str) -> list[dict]:
    """The audits of ``category`` that cost it points in this run, heaviest first.

    Weighted audits below 1 are why the score is under 100; for performance the unweighted
    opportunities and diagnostics that failed follow (weight 0), since they say why a
    metric is slow.
    """
    rows = []
    for ref in found["categories"][category]["auditRefs"]:
        audit = found["audits"][ref["id"]]
        if audit.get("score") is None or audit["score"] >= 1:
            continue
        if audit.get("scoreDisplayMode") in {"notApplicable", "informative", "manual"}:
            continue
        if not ref["weight"] and category != "performance":
            continue
        rows.append({"id": ref["id"], "title": audit["title"], "score": audit["score"],
                     "weight": ref["weight"], "value": audit.get("displayValue", "")})  # fmt: skip
    return sorted(rows, key=lambda row: (-row["weight"], row["score"]))


def percent(found: dict) -> dict[str, int]:
    return {key: round(found["categories"][key]["score"] * 100) for key in LIGHTHOUSE_CATEGORIES}


def median_scores(runs: list[dict]) -> dict:
    """Per category the median of the runs' scores and, under 100, its median run's failures."""
    scores, failing = {}, {}
    for key in LIGHTHOUSE_CATEGORIES:
        ordered = sorted(runs, key=lambda found: found["categories"][key]["score"])
        middle = ordered[len(ordered) // 2]
        scores[key] = round(middle["categories"][key]["score"] * 100)
        if scores[key] < 100:
            failing[key] = failing_audits(middle, key)
    metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
               "cumulative-layout-shift", "speed-index")  # fmt: skip
    middle = sorted(runs, key=lambda found: found["categories"]["performance"]["score"])[
        len(runs) // 2
    ]
    return {
        "scores": scores,
        "runs": [percent(found) for found in runs],
        "failing": failing,
        "metrics": {key: middle["audits"][key].get("displayValue", "") for key in metrics},
        "benchmark_index": [found["environment"].get("benchmarkIndex") for found in runs],
    }


def wait_for_worker(env: dict[str, str], timeout: float = 600) -> None:
    """Wait until the worker has run every queued task: the demo's renditions above all.

    Until then pages show the original photos (no srcset) and the worker's AVIF encoding
    takes the CPU Lighthouse measures with: the first pages scored would pay for both.
    """
    code = ("from django_tasks_db.models import DBTaskResult as T;"
            "print(T.objects.ready().count() + T.objects.running().count())")  # fmt: skip
    deadline = time.monotonic() + timeout
    while int(manage(env, "shell", "-c", code).split()[-1]):
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker left tasks queued after {timeout:.0f} s")
        time.sleep(2)


def lighthouse(env: dict[str, str], urls: dict[str, str], save=None) -> dict[str, dict]:
    """Each indexable page type scored by Lighthouse, mobile and desktop, median of three.

    Per page: ``{"url", "indexable": True, "mobile": {...}, "desktop": {...}}`` (see
    median_scores) or ``{"url", "indexable": False, "robots": directive}``; a preset whose
    runs all failed holds ``{"error": ...}``. The runs are sequential: Lighthouse's simulated
    throttling scales with the CPU it observes (``benchmark_index``), so a busy machine
    lowers the performance scores. ``save(pages)``, if given, runs after each page: a long
    run interrupted keeps what it measured.
    """
    tool = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
    if not tool.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                       cwd=ROOT / "bench", check=True)  # fmt: skip
    server = serve(env, cache=True)
    pages = {}
    try:
        wait_for_worker(env)
        for name, path in lighthouse_pages(urls).items():
            url = f"http://127.0.0.1:{PORT}{path}"
            robots = noindex(url)  # and the page cache filled
            if robots:
                pages[name] = {"url": path, "indexable": False, "robots": robots}
                print(f"   lighthouse {name}: not indexable ({robots})", flush=True)
                continue
            pages[name] = {"url": path, "indexable": True}
            for preset, flags in LIGHTHOUSE_PRESETS.items():
                report = WORK / f"lighthouse-{name}-{preset}.json"
                try:
                    runs = [lighthouse_once(tool, url, flags, report)
                            for _ in range(LIGHTHOUSE_RUNS)]  # fmt: skip
                except RuntimeError as error:
                    pages[name][preset] = {"error": str(error)}
                    continue
                if LIGHTHOUSE_REPORTS:
                    kept = Path(LIGHTHOUSE_REPORTS)
                    kept.mkdir(parents=True, exist_ok=True)
                    for n, found in enumerate(runs):
                        (kept / f"{name}-{preset}-{n}.json").write_text(json.dumps(found))
                pages[name][preset] = median_scores(runs)
                print(f"   lighthouse {name} {preset}: {pages[name][preset]['scores']}",
                      flush=True)  # fmt: skip
            if save is not None:
                save(pages)
    finally:
        stop(server)
    return pages


def lighthouse_only() -> None:
    """BENCH_ONLY=lighthouse: the SQLite demo scored, into lighthouse.json and LIGHTHOUSE.md.

    Leaves bench.json and REPORT.md (the full run's) alone.
    """
    RESULTS.mkdir(exist_ok=True)
    print("== sqlite, demo: preparing", flush=True)
    env, _ = prepare("sqlite", 0)
    urls = probe(env)[1]
    print("   lighthouse", flush=True)

    def save(pages: dict) -> None:
        data = {"cores": os.cpu_count(), "lighthouse": pages}
        (RESULTS / "lighthouse.json").write_text(json.dumps(data, indent=2) + "\n")

    save(lighthouse(env, urls, save))
    subprocess.run([PYTHON, "bench/report.py", "lighthouse"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)


def main() -> None:
    if ONLY == "lighthouse":
        return lighthouse_only()
    if ONLY == "growth":
        return growth_only()
    if ONLY:
        raise SystemExit(f"BENCH_ONLY={ONLY!r}: only 'lighthouse' and 'growth' are known")
    for tool in ("wrk", "redis-cli"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: make bench installs it")
    kinds = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
    if "postgresql" in kinds and not answers(5432):
        print("PostgreSQL does not answer at 127.0.0.1:5432: benchmarking SQLite only.")
        kinds.remove("postgresql")
    RESULTS.mkdir(exist_ok=True)
    data = {"seconds": SECONDS, "connections": CONNECTIONS, "cores": os.cpu_count(),
            "cold_requests": COLD_REQUESTS, "quick": QUICK, "runs": [], "wagtail": {},
            "mixed": {}, "sql": {}, "varnish": None}  # fmt: skip
    for kind in kinds:
        sizes = [0, *SIZES]
        served = []  # (env, urls) per size, for the paired growth
        for size in sizes:
            print(f"== {kind}, {size or 'demo'}: preparing", flush=True)
            env, prepared = prepare(kind, size)
            if size == 0:
                data["wagtail"][kind] = peer(kind, env)
            found, urls = probe(env)
            served.append((env, urls))
            run = {"database": kind, "size": size, "generate_seconds": round(prepared, 1),
                   "queries": {n: p["queries"] for n, p in found["pages"].items()},
                   "bytes": {n: p["bytes"] for n, p in found["pages"].items()}}  # fmt: skip
            largest = size == sizes[-1]
            for cache in (False, True):
                print(f"   load, cache {'on' if cache else 'off'}", flush=True)
                during = None
                if cache:
                    if largest and env["REDIS_URL"]:

                        def during(base_url: str, env=env) -> dict:
                            print(f"   mixed load, {MIXED_SECONDS:.0f} s", flush=True)
                            return {"mixed": cache_load.mixed(base_url, env, MIXED_SECONDS)}

                rows = load(env, urls, cache, during)
                extra = rows.pop("_during", None) or {}
                if "mixed" in extra:
                    data["mixed"][kind] = {"size": size, **extra["mixed"]}
                run["cache_on" if cache else "cache_off"] = rows
            if largest and kind == "postgresql":
                print("   SQL plans", flush=True)
                data["sql"] = {"size": size, "pages": sql_plans(env, urls)}
            if size == 0:
                if data["varnish"] is None and "varnish" not in SKIP:
                    print("   Varnish purge latency", flush=True)
                    data["varnish"] = varnish(env)
                run["import_articles_per_second"] = import_rate(env)
                if kind == "sqlite" and "lighthouse" not in SKIP:
                    print("   lighthouse", flush=True)
                    run["lighthouse"] = lighthouse(env, urls)
            data["runs"].append(run)
            (RESULTS / "bench.json").write_text(json.dumps(data, indent=2) + "\n")
        if kind == "sqlite" and len(served) > 1 and "growth" not in SKIP:
            print(f"== {kind}: paired growth, demo and {sizes[-1]:,}", flush=True)
            data["growth"] = {"size": sizes[-1], "rounds": GROWTH_ROUNDS,
                              "pages": paired_growth(served[0], served[-1])}  # fmt: skip
            (RESULTS / "bench.json").write_text(json.dumps(data, indent=2) + "\n")
        if "search" not in SKIP:
            print(f"== {kind}: search latency", flush=True)
            search_latency(env["DATABASE_URL"])
    subprocess.run([PYTHON, "bench/report.py"], cwd=ROOT, check=True)
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
