#!/usr/bin/env python
"""Run the test suite on SQLite, then on PostgreSQL with the Redis cache when they answer.

The first run is the embedded default (SQLite, the cache in process memory). The second is
the production shape: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, each when
it answers. Says plainly which ran; a service that is not there is reported, never faked.
Exits non-zero if any run fails.
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


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def run(label: str, extra_env: dict[str, str], args: list[str]) -> tuple[int, dict[str, int]]:
    """Run pytest once; return its exit code and its counts from the JUnit report."""
    print(f"\n=== Test suite on {label} ===", flush=True)
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"junit-{label.lower().replace(' + ', '-')}.xml"
    report.unlink(missing_ok=True)
    env = {**os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    code = subprocess.call([sys.executable, "-m", "pytest", f"--junitxml={report}", *args], env=env)
    return code, counts(report)


def counts(report: Path) -> dict[str, int]:
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        for suite in ET.parse(report).getroot().iter("testsuite"):
            for key in totals:
                totals[key] += int(suite.get(key, 0))
    return totals


def main() -> int:
    args = sys.argv[1:]
    results = {"SQLite": run("SQLite", {"DATABASE_URL": "", "REDIS_URL": ""}, args)}
    postgres, redis = answers("127.0.0.1", 5432), answers("127.0.0.1", 6379)
    second: dict[str, str] = {}
    if postgres:
        second["DATABASE_URL"] = POSTGRES_URL
    if redis:
        second["REDIS_URL"] = REDIS_URL
    if second:
        # The browser tests exercise the browser, not the services: once, on SQLite, is enough.
        label = " + ".join(name for name, up in (("PostgreSQL", postgres), ("Redis", redis)) if up)
        second.setdefault("DATABASE_URL", "")
        results[label] = run(label, second, [*args, "-m", "not browser"])
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
            "ran (second run)."
            if postgres
            else "did not answer at 127.0.0.1:5432: the suite did not run on it."
        )
    )
    print(
        "Redis "
        + (
            "ran as the cache (second run)."
            if redis
            else "did not answer at 127.0.0.1:6379: the cache tests ran on process memory only."
        )
    )
    print("S3: the storage tests ran against a local moto server (tests/cms/media).")
    ok = all(code == 0 for code, _ in results.values())
    if not ok and failed == 0:
        failed = 1  # pytest failed without a test failing (collection or usage error)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
