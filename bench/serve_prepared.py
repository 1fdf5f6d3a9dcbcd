"""bin/serve.py's gunicorn and worker under its supervisor, without its setup steps.

    .venv/bin/python bench/serve_prepared.py SETTINGS_MODULE

bench/run.py has migrated the database, loaded the content and collected static files once
(``prepare``); restarting bin/serve.py would redo all of it before every load (about ten
seconds of CPU) and run ``migrate`` on a database a long run must keep as it was built.
This starts the same commands (``serve_commands``) with the same environment
(``production_environment``) under the same supervisor (``supervise``), so a stop reaches
gunicorn, its workers and the background worker.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

# The checkout served: this one, or another (BENCH_ROOT, as bench/cache_load.py sets it).
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)


def main(settings: str) -> int:
    spec = importlib.util.spec_from_file_location("serve", ROOT / "bin" / "serve.py")
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    env = serve.production_environment(settings=settings)
    return serve.supervise(serve.serve_commands(env), env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
