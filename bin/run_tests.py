#!/usr/bin/env python
"""Run the test suite on SQLite, then on PostgreSQL with Redis when they answer.

The first run is the embedded default (SQLite, the cache in process memory). The second is
the production shape: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, each when
it answers. Says plainly which ran; a service that is not there is reported, never faked.
Exits non-zero if any run fails.

Each run's tests but the browser's are spread over the machine's cores by pytest-xdist
(``TEST_WORKERS=N`` to choose, 1 for none), in the order pytest-django gives them, so each
worker runs its transactional tests last, as one process would. Each worker has its own
database, its own Redis databases (``config/settings/test.py``) and free ports. The
browser tests then run alone, one at a time, on SQLite only: they exercise the browser,
not the services, and their waits (an import journey's 30 seconds) are measured against
a machine that is not busy with other tests.
"""

import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Database 15, so the tests' cache flushes never touch a Redis a developer uses for more.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# At most four workers: each takes Redis databases four apart (config/settings/test.py).
WORKERS = max(1, min(4, int(os.environ.get("TEST_WORKERS", 0)) or os.cpu_count() or 1))
NO_TESTS_COLLECTED = 5  # pytest's exit code when the options select no test at all


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def slug(label: str) -> str:
    return label.lower().replace(" + ", "-").replace(", ", "-").replace(" ", "-")


def run(label: str, extra_env: dict[str, str], args: list[str]) -> tuple[int, dict[str, int]]:
    """Run pytest for one part of the suite; its exit code and its report's counts."""
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"junit-{slug(label)}.xml"
    report.unlink(missing_ok=True)
    env = {**os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    print(f"\n=== Test suite on {label} ===", flush=True)
    command = [sys.executable, "-m", "pytest", f"--junitxml={report}", *args]
    code = subprocess.run(command, env=env).returncode
    return (0 if code == NO_TESTS_COLLECTED else code), counts(report)


def counts(report: Path) -> dict[str, int]:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        for suite in ET.parse(report).getroot().iter("testsuite"):
            for key in totals:
                totals[key] += int(suite.get(key, 0))
    return totals


def main() -> int:
    args = sys.argv[1:]
    postgres, redis = answers("127.0.0.1", 5432), answers("127.0.0.1", 6379)
    spread = ["-n", str(WORKERS), "--dist", "load"] if WORKERS > 1 else []
    sqlite = {"DATABASE_URL": "", "REDIS_URL": "", "TEST_REDIS_SPARE_DB": "13"}
    parts = {
        "SQLite": (sqlite, [*args, "-m", "not browser", *spread]),
        "SQLite, in the browser": (sqlite, [*args, "-m", "browser"]),
    }
    if postgres or redis:
        second = {"DATABASE_URL": POSTGRES_URL if postgres else "",
                  "REDIS_URL": REDIS_URL if redis else "", "TEST_REDIS_SPARE_DB": "14"}  # fmt: skip
        label = " + ".join(name for name, up in (("PostgreSQL", postgres), ("Redis", redis)) if up)
        parts[label] = (second, [*args, "-p", "no:cacheprovider", "-m", "not browser", *spread])
    print(f"The tests outside the browser run in {WORKERS} worker(s) (TEST_WORKERS).")
    results = {label: run(label, env, part_args) for label, (env, part_args) in parts.items()}

    print("\n=== Summary ===")
    passed = failed = skipped = 0
    for label, (code, total) in results.items():
        bad = total["failures"] + total["errors"]
        good = total["tests"] - bad - total["skipped"]
        passed, failed, skipped = passed + good, failed + bad, skipped + total["skipped"]
        verdict = "passed" if code == 0 else f"FAILED (pytest exit {code})"
        print(f"{label}: {verdict}: {good} passed, {bad} failed, {total['skipped']} skipped")
    print(
        "PostgreSQL "
        + (
            "ran (the last run)."
            if postgres
            else "did not answer at 127.0.0.1:5432: the suite did not run on it."
        )
    )
    print(
        "Redis "
        + (
            "ran as the cache (the last run)."
            if redis
            else "did not answer at 127.0.0.1:6379: the cache tests ran on process memory only."
        )
    )
    print("S3: the storage tests ran against a local moto server (tests/cms/media).")
    ok = all(code == 0 for code, _ in results.values())
    if not ok and failed == 0:
        failed = 1  # pytest failed without a test failing (collection or usage error)
    if passed + failed == 0:
        ok, failed = False, 1  # the options selected no test in any part
        print("No test ran: the options given select none.")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
