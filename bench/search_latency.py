"""Search latency at demo size and with generated interviews, on SQLite or PostgreSQL.

    .venv/bin/python bench/search_latency.py                      # SQLite, demo + 10,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search_latency.py                  # PostgreSQL

Each run builds a fresh database (a temporary SQLite file, or a database named
``bench_search`` on the PostgreSQL server), loads the demo, times each query through the
whole view (``/search/?q=…``, Django's test client, no network), then adds generated
interviews of thirteen question/answer pairs each, re-indexes and times again. Prints a
Markdown table and writes it as JSON to ``bench/results/search-latency-<db>.json``.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Generated interviews reuse the demo's sentences, so its words match nearly all of them (the
# worst case); "subject42" is in one generated interview in a hundred.
QUERIES = ["Sundance", "courage", "filming", '"never sorry"', "china OR beijing", "subject42",
           "NEAR(", "zzqx"]  # fmt: skip
REPEATS = 30


def configure() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
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
    return vendor


def generate(count: int) -> None:
    """``count`` live interviews whose answers are the demo's sentences, reshuffled."""
    from django.utils import timezone

    from interviews.models import Interview, QuestionAnswer

    demo = list(QuestionAnswer.objects.values_list("question", "answer"))
    sentences = [s for _, a in demo for s in a.replace("</p>", " ").split(". ") if s]
    rng = random.Random(5)
    now = timezone.now()
    for start in range(0, count, 1000):
        batch = [
            Interview(
                title=f"Generated interview {n}: {rng.choice(sentences)[:80]}",
                slug=f"generated-{n}",
                status="published",
                publish_at=now - timedelta(minutes=n),
                intro=f"<p>{rng.choice(sentences)}. On subject{n % 100:02d}.</p>",
                byline="Generated",
            )
            for n in range(start, min(start + 1000, count))
        ]
        Interview.objects.bulk_create(batch)
        pairs = [
            QuestionAnswer(
                interview=interview,
                question=rng.choice(demo)[0],
                answer="<p>" + ". ".join(rng.sample(sentences, 4)) + ".</p>",
                sort_order=k,
                anchor=f"q{k}",
            )
            for interview in batch
            for k in range(1, 14)
        ]
        QuestionAnswer.objects.bulk_create(pairs)


def measure(label: str) -> list[dict]:
    from django.test import Client

    from search.backends import SearchResults
    from search.models import SearchEntry
    from search.query import parse

    client = Client()
    rows = []
    for query in QUERIES:
        client.get("/search/", {"q": query})  # warm caches and the page's renditions
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        rows.append({
            "size": label, "entries": SearchEntry.objects.count(), "query": query,
        "results": SearchResults(parse(query)).count(),
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        })  # fmt: skip
    return rows


def main() -> None:
    vendor = configure()
    from django.core.management import call_command
    from django.db import connection

    from search.documents import rebuild

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    rebuild()
    rows = measure("demo")
    count = int(os.environ.get("BENCH_INTERVIEWS", "10000"))
    started = time.perf_counter()
    generate(count)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    rebuild()
    indexed = time.perf_counter() - started
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    rows += measure(f"demo + {count:,}")
    print(f"\n{vendor}: generated {count:,} interviews in {generated:.1f} s, "
          f"indexed in {indexed:.1f} s\n")  # fmt: skip
    print("| size | entries | query | results | median ms | p95 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(f"| {row['size']} | {row['entries']:,} | `{row['query']}` | {row['results']:,} "
              f"| {row['median_ms']} | {row['p95_ms']} |")  # fmt: skip
    out = ROOT / "bench" / "results" / f"search-latency-{vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"database": vendor, "index_seconds": round(indexed, 1),
                               "rows": rows}, indent=2) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()
