"""The SQL each page runs, and PostgreSQL's plan and timing of each query (run by run.py).

    DATABASE_URL=postgres://... DJANGO_SETTINGS_MODULE=bench.settings \\
        python bench/sql_plans.py '{"interview": "/interviews/.../", ...}'

Builds each page once through Django's test client (page cache off, renditions made and
the server's buffers warm), then again under CaptureQueriesContext (search afresh: its kept
results dropped, the entries it leaves out still kept, as between two changes), and runs
``EXPLAIN (ANALYZE, BUFFERS)`` on every SELECT it captured. Prints JSON: per page, its
queries with their plans, and the total planning + execution time the plans report.
"""

import json
import os
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_PAGE_CACHE"] = "0"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from search_latency import forget_kept_results  # noqa: E402

TIMING = re.compile(r"^(Planning|Execution) Time: ([\d.]+) ms$", re.M)


def explain(sql: str) -> tuple[str, float]:
    """PostgreSQL's plan of ``sql`` (a SELECT with its parameters inlined) and its ms."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return plan, sum(float(ms) for _, ms in TIMING.findall(plan))


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("sql_plans.py explains PostgreSQL's plans: set DATABASE_URL")
    urls = json.loads(sys.argv[1])
    client = Client(HTTP_HOST="127.0.0.1")
    pages = {}
    for name, url in urls.items():
        client.get(url)
        searched = parse_qs(urlsplit(url).query).get("q")
        if searched:  # a search's results are kept (search.views): its SQL is a new search's
            forget_kept_results(searched[0])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries = []
        for query in captured.captured_queries:
            sql = query["sql"]
            row = {"sql": sql, "django_ms": round(float(query["time"]) * 1000, 3)}
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                row["plan"], row["plan_ms"] = explain(sql)
            queries.append(row)
        pages[name] = {"url": url, "status": response.status_code, "queries": queries,
                       "plan_ms": round(sum(q.get("plan_ms", 0) for q in queries), 3),
                       "django_ms": round(sum(q["django_ms"] for q in queries), 3)}  # fmt: skip
    print(json.dumps(pages))


if __name__ == "__main__":
    main()
