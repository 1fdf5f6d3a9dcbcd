"""Page cache under load: a short run cache on and off, and the hit rate under mixed load.

    .venv/bin/python bench/cache_load.py
    .venv/bin/python bench/cache_load.py --hit-rate LABEL [--size 10000] [--seconds 60]

The hit rate under mixed load (``mixed``, which bench/run.py calls at each database's
largest size) reads 1,000 pages (interviews, films, posts, tags: ``--pages``) at random
from several threads while another process saves one edit a second through the ORM
(``--edit``, as an editor's save: an interview's intro or a post's body), and counts the
``X-Cache`` answers: the share of hits is what the page cache's invalidation leaves.

``--hit-rate LABEL`` measures that alone, on its own fresh database per kind (SQLite, and
PostgreSQL when it answers: ``BENCH_DATABASES``), the demo plus ``--size`` generated
interviews, Redis as the page cache, one gunicorn worker started as bin/serve.py starts it
(bench/serve_prepared.py), and records it as LABEL in ``hit-rate.json`` in BENCH_RESULTS
(default bench/results), which bench/report.py shows beside the run's own figure. With
``BENCH_ROOT`` naming another checkout (a git worktree of an older commit, its ``.venv``
linked to this one), the server, the database's schema, the content and the editor are
that checkout's code, while this script does the measuring: the hit rate before a change.

The short run:

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
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from wrk import wrk

SCRIPT = Path(__file__).resolve()
# The code measured: this checkout, or another one's (BENCH_ROOT).
ROOT = Path(os.environ.get("BENCH_ROOT") or SCRIPT.parent.parent).resolve()
RESULTS = Path(os.environ.get("BENCH_RESULTS") or SCRIPT.parent / "results")
PORT = 8350
HIT_RATE_PORT = int(os.environ.get("BENCH_HIT_RATE_PORT", "8352"))
HIT_RATE_REDIS = "redis://127.0.0.1:6379/6"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
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


def public_pages(count: int) -> list[str]:
    """``count`` public addresses: the latest live interviews, films, posts and tag pages."""
    from django.urls import reverse
    from taggit.models import Tag

    from blog.models import Post
    from films.models import Film
    from interviews.models import Interview

    share = {Film: count // 10, Post: count // 5}
    found = [obj.get_absolute_url() for model, n in share.items()
             for obj in model.objects.live().order_by("-publish_at")[:n]]  # fmt: skip
    found += ["/", "/interviews/", "/films/", "/blog/", "/screenings/"]
    tags = Tag.objects.order_by("name").values_list("slug", flat=True)[:50]
    found += [reverse("tag", args=[slug]) for slug in tags]
    interviews = Interview.objects.live().order_by("-publish_at")[: max(0, count - len(found))]
    found += [interview.get_absolute_url() for interview in interviews]
    return list(dict.fromkeys(found))[:count]


def edit(seconds: float, pages: int) -> int:
    """Save one edit a second for ``seconds``, as editors would; returns the edits made.

    Alternates between a live interview's intro and a live post's body, among those
    ``public_pages(pages)`` reads, and restores each text after its edit is timed.
    """
    from blog.models import Post
    from interviews.models import Interview

    rng = random.Random(11)
    choices = {Interview: "intro", Post: "body"}
    pools = {model: list(model.objects.live().order_by("-publish_at")[: pages // 2])
             for model in choices}  # fmt: skip
    made, until = 0, time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.monotonic()
        model = list(choices)[made % 2]
        obj = rng.choice(pools[model])
        field = choices[model]
        text = getattr(obj, field)
        setattr(obj, field, text + f"<p>Edit {made}.</p>")
        obj.save()
        setattr(obj, field, text)  # the next edit of this object starts from the original
        made += 1
        time.sleep(max(0.0, 1 - (time.monotonic() - started)))
    return made


def mixed(base_url: str, env: dict[str, str], seconds: float, pages: int = 1000,
          readers: int = 4) -> dict:  # fmt: skip
    """The page cache's hit rate reading ``pages`` pages while one edit a second is saved.

    ``base_url`` is a server with the page cache on; ``env`` reaches its database. Every
    page is read once first (the cache filled), then ``readers`` threads read pages at
    random for ``seconds`` while ``--edit`` runs in another process.
    """
    script = [sys.executable, str(SCRIPT)]
    env = {**env, "BENCH_ROOT": str(ROOT)}
    listed = subprocess.run([*script, "--pages", str(pages)], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)  # fmt: skip
    paths = json.loads(listed.stdout)

    def read(path: str) -> str:
        try:
            with urllib.request.urlopen(base_url + path, timeout=60) as response:
                response.read()
                return response.headers.get("X-Cache", "none")
        except OSError as error:
            return f"error: {getattr(error, 'code', type(error).__name__)}"

    for path in paths:
        read(path)
    counts: Counter[str] = Counter()
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def reader(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < until:
            state = read(rng.choice(paths))
            with lock:
                counts[state] += 1

    editor = subprocess.Popen([*script, "--edit", str(seconds), str(pages)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    edits = int(editor.communicate(timeout=120)[0].strip() or 0)
    total = sum(counts.values())
    return {"pages": len(paths), "seconds": seconds, "edits": edits, "reads": total,
            "answers": dict(counts),
            "hit_rate": round(counts["hit"] / total, 4) if total else None}  # fmt: skip


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def hit_rate_database(kind: str, workdir: Path) -> str:
    """A fresh database for ``--hit-rate``: a file, or a PostgreSQL database made anew."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'hit-rate.sqlite3'}"
    import psycopg

    name = os.environ.get("BENCH_HIT_RATE_DATABASE", "outreach_bench_hit_rate")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{POSTGRES}/{name}"


def hit_rate(kind: str, size: int, seconds: float, workdir: Path) -> dict:
    """The mixed-load hit rate of ROOT's code on ``kind`` with ``size`` generated interviews."""
    env = {**os.environ, "BENCH_ROOT": str(ROOT), "DJANGO_SETTINGS_MODULE": "bench.settings",
           "DATABASE_URL": hit_rate_database(kind, workdir),
           "DJANGO_SECRET_KEY": "bench-" + "k" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_SERVE_MEDIA": "1", "DJANGO_MEDIA_ROOT": str(workdir / "media"),
           "REDIS_URL": HIT_RATE_REDIS, "DJANGO_PAGE_CACHE": "1",
           "PORT": str(HIT_RATE_PORT), "WEB_CONCURRENCY": "1"}  # fmt: skip
    steps = [["manage.py", "migrate", "--noinput"], ["manage.py", "load_demo"],
             ["bench/generate_content.py", str(size), "--verbosity", "0"],
             ["manage.py", "collectstatic", "--noinput", "--verbosity", "0"]]  # fmt: skip
    for step in steps:
        subprocess.run([sys.executable, *step], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    subprocess.run(["redis-cli", "-n", HIT_RATE_REDIS.rsplit("/", 1)[1], "flushdb"],
                   check=True, capture_output=True)  # fmt: skip
    if answers(HIT_RATE_PORT):
        raise SystemExit(f"port {HIT_RATE_PORT} is busy")
    log = workdir / f"server-{kind}.log"
    server = subprocess.Popen([sys.executable, str(SCRIPT.parent / "serve_prepared.py"),
                               env["DJANGO_SETTINGS_MODULE"]], cwd=ROOT, env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)  # fmt: skip
    try:
        until = time.monotonic() + 120
        while not answers(HIT_RATE_PORT):
            if server.poll() is not None or time.monotonic() > until:
                raise SystemExit(f"the server did not start: {log.read_text()[-1500:]}")
            time.sleep(0.3)
        found = mixed(f"http://127.0.0.1:{HIT_RATE_PORT}", env, seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {"size": size, "commit": commit + (" + uncommitted changes" if dirty else ""),
            "cache": "Redis", **found}  # fmt: skip


def record_hit_rate(label: str, size: int, seconds: float) -> None:
    """``--hit-rate``: measure each database kind and store the figures under ``label``."""
    import tempfile

    kinds = os.environ.get("BENCH_DATABASES", "sqlite postgresql").split()
    if "postgresql" in kinds and not answers(5432):
        kinds.remove("postgresql")
    out = RESULTS / "hit-rate.json"
    recorded = json.loads(out.read_text()) if out.exists() else {}
    for kind in kinds:
        workdir = Path(tempfile.mkdtemp(prefix="outreach-hit-rate-"))
        try:
            print(f"== {label}, {kind}: {size} interviews, {seconds:.0f} s", flush=True)
            found = hit_rate(kind, size, seconds, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(json.dumps(found), flush=True)
        recorded.setdefault(label, {})[kind] = found
        RESULTS.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(recorded, indent=2) + "\n")


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def main() -> None:
    if sys.argv[1:2] == ["--pages"]:
        django_setup()
        print(json.dumps(public_pages(int(sys.argv[2]))))
        return
    if sys.argv[1:2] == ["--edit"]:
        django_setup()
        print(edit(float(sys.argv[2]), int(sys.argv[3])))
        return
    if sys.argv[1:2] == ["--hit-rate"]:
        import argparse

        parser = argparse.ArgumentParser(prog="cache_load.py --hit-rate")
        parser.add_argument("label")
        parser.add_argument("--size", type=int, default=10000)
        parser.add_argument("--seconds", type=float, default=60)
        args = parser.parse_args(sys.argv[2:])
        record_hit_rate(args.label, args.size, args.seconds)
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    env = environment()
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            raise SystemExit(f"port {PORT} is busy")
    rows = run("on", env) + run("off", env)
    print(f"\n{SECONDS} s per page, {CONNECTIONS} connections, wrk -t2, "
          f"{os.cpu_count()} cores shared by server and load\n")  # fmt: skip
    print("| page | cache | requests/s | p50 ms | p99 ms | errors (non-2xx, sockets) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in sorted(rows, key=lambda r: (PAGES.index(r["page"]), r["cache"] == "off")):
        print(
            f"| `{row['page']}` | {row['cache']} | {row['rps']:.0f} | {row['p50_ms']} "
            f"| {row['p99_ms']} | {row['errors']} |"
        )
    out = ROOT / "bench" / "results" / "cache-load.json"
    out.write_text(json.dumps({"seconds": SECONDS, "connections": CONNECTIONS, "rows": rows},
                              indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
