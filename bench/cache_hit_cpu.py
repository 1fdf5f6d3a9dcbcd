"""CPU per page-cache hit beside Django's hello-world view, in one process (make bench's floor).

    .venv/bin/python bench/cache_hit_cpu.py [CHECKOUT]

Sets up CHECKOUT (default: this one) with the benchmark settings (``bench.settings``:
production's, plus ``/bench/hello/``) on a new SQLite file with the demo, its static files
collected, and the Redis at 127.0.0.1:6379 (database 13, flushed), then times 1,500
anonymous requests each of ``/bench/hello/`` and the demo interview (a cache hit) through
Django's test client, by this process's CPU time (not wall clock, so a busy machine skews
it less). Prints both and their ratio; give another checkout (a ``git worktree`` that has
``bench/settings.py``) to compare two versions in one run.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
URL = "/interviews/alison-klayman-on-filming-ai-weiwei/"
REQUESTS = 1500


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
        REDIS_URL="redis://127.0.0.1:6379/13",
        DJANGO_PAGE_CACHE="1",
        DJANGO_SERVE_MEDIA="1",
        DJANGO_MEDIA_ROOT=tempfile.mkdtemp(),
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest pages use
    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")

    def cpu_ms(url: str) -> tuple[float, str]:
        client.get(url)  # fills the cache
        start = time.process_time()
        for _ in range(REQUESTS):
            response = client.get(url)
        return (time.process_time() - start) / REQUESTS * 1000, response.get("X-Cache", "")

    for _ in range(2):  # the first round warms up
        hello, (page, state) = cpu_ms("/bench/hello/")[0], cpu_ms(URL)
    print(f"{ROOT}: hello {hello:.3f} ms, interview from the cache {page:.3f} ms ({state}), "
          f"ratio {page / hello:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
