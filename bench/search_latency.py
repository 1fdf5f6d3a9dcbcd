"""Search latency at demo size and with generated interviews, on SQLite or PostgreSQL.

    .venv/bin/python bench/search_latency.py                      # SQLite, demo + 10,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search_latency.py                  # PostgreSQL
    BENCH_DATABASE_URL=sqlite:////tmp/s100k.sqlite3 \\
        .venv/bin/python bench/search_latency.py                  # a database made before

Each run builds a fresh database (a temporary SQLite file, or a database named
``bench_search`` on the PostgreSQL server), loads the demo, times each query through the
whole view (``/search/?q=…``, Django's test client, no network) as wall-clock time and as
this process's CPU time (the median; the database server's own CPU is not in it), each
search made afresh (its kept results part dropped first), and the median of the same search
served from its kept part ("kept ms": ``search.views``), then adds
``BENCH_INTERVIEWS`` generated interviews (``bench/generate_content.py``: thirteen
question/answer pairs each, with films, screenings and news), re-indexes and times again.
A hundred thousand take a quarter of an hour to make, so ``BENCH_DATABASE_URL`` times a
database built once beforehand (migrate, ``load_demo``, ``generate_content.py N``) as it
is, after bringing its migrations up to date. Prints a Markdown table and writes it as JSON
to ``bench/results/search-latency-<db>.json``.
"""

from __future__ import annotations

import gc
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Generated interviews reuse the demo's sentences, so its words match nearly all of them (the
# worst case: a common word); "4242" is in the titles of one generated interview, film,
# person and news post (a rare word); then a phrase, an exclusion, OR, and no match.
QUERIES = ["filming", "Sundance", "4242", '"never sorry"', "filming -sundance",
           "china OR beijing", "NEAR(", "zzqx"]  # fmt: skip
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))


def configure() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        vendor = "postgresql" if os.environ["DATABASE_URL"].startswith("postgres") else "sqlite"
    elif url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_search")
            conn.execute("CREATE DATABASE bench_search")
        os.environ["DATABASE_URL"] = f"{base}/bench_search"
        vendor = "postgresql"
    else:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        vendor = "sqlite"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.db import connections

    # Connections stay open between requests, as production keeps them (CONN_MAX_AGE, 600 s
    # in config.settings.base); the test settings close each one after its request.
    connections["default"].settings_dict["CONN_MAX_AGE"] = 600
    return vendor


def generate(count: int) -> None:
    """``count`` live interviews (with films, screenings, news), as generate_content.py makes."""
    from bench.generate_content import generate_content

    generate_content(count, verbosity=0, stdout=io.StringIO())


def results(query: str) -> str:
    """How many results the page reports: a number, or "more than" the bound it counts to."""
    from search.backends import SearchResults
    from search.query import parse

    found = SearchResults(parse(query))
    if getattr(found, "more", False):
        return f"more than {found.most:,}"
    return f"{found.count():,}"


def measure(label: str) -> list[dict]:
    from django.test import Client

    from search.models import SearchEntry

    client = Client()
    entries = SearchEntry.objects.count()
    rows = []
    for query in QUERIES:
        client.get("/search/", {"q": query})  # warm caches and the page's renditions
    # What this process holds now lives as long as it: out of the collector's sight, as each
    # production process puts what it made while starting (config.wsgi).
    gc.collect()
    gc.freeze()
    for query in QUERIES:
        timings, cpu = [], []
        for _ in range(REPEATS):
            forget_kept_results(query)  # each timed search is made afresh
            started, used = time.perf_counter(), time.process_time()
            response = client.get("/search/", {"q": query})
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            assert response.status_code == 200
        kept = []
        for _ in range(REPEATS):  # the same search again: its results part is kept
            started = time.perf_counter()
            client.get("/search/", {"q": query})
            kept.append((time.perf_counter() - started) * 1000)
        timings.sort()
        rows.append({
            "size": label, "entries": entries, "query": query,
            "results": results(query),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
            "cpu_ms": round(statistics.median(cpu), 1),
            "kept_median_ms": round(statistics.median(kept), 1),
        })  # fmt: skip
    return rows


def forget_kept_results(query: str) -> None:
    """Drop the kept results part of ``query`` (``search.views``), and only that."""
    from django.conf import settings
    from django.core.cache import caches
    from django.http import QueryDict
    from django.utils.http import urlencode

    from cms.page_cache.models import ContentVersion
    from search.views import RESULTS_CACHE, results_key

    key = results_key(QueryDict(urlencode({"q": query})), settings.LANGUAGE_CODE)
    caches[RESULTS_CACHE].delete(f"{key}:{ContentVersion.current()}")


def main() -> None:
    vendor = configure()
    from django.core.management import call_command
    from django.db import connection

    from search.documents import rebuild

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        from interviews.models import Interview

        indexed = None
        count = Interview.objects.filter(slug__startswith="generated-").count()
        rows = measure(f"demo + {count:,}")
        print(f"\n{vendor}: a database made before\n")
    else:
        call_command("load_demo", verbosity=0)
        rebuild()
        rows = measure("demo")
        count = int(os.environ.get("BENCH_INTERVIEWS", "10000"))
        started = time.perf_counter()
        generate(count)  # rebuilds the index too
        generated = time.perf_counter() - started
        started = time.perf_counter()
        rebuild()
        indexed = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        rows += measure(f"demo + {count:,}")
        print(f"\n{vendor}: generated {count:,} interviews in {generated:.1f} s, "
              f"indexed in {indexed:.1f} s\n")  # fmt: skip
    print("| size | entries | query | results | median ms | p95 ms | app CPU ms | kept ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['size']} | {row['entries']:,} | `{row['query']}` | {row['results']} "
              f"| {row['median_ms']} | {row['p95_ms']} | {row['cpu_ms']} "
              f"| {row['kept_median_ms']} |")  # fmt: skip
    out = ROOT / "bench" / "results" / f"search-latency-{vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "index_seconds": indexed,
                               "rows": rows}, indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
