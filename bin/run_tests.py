#!/usr/bin/env python
"""Run the test suite on SQLite, then on PostgreSQL with Redis when they answer.

The first run is the embedded default (SQLite, the cache in process memory). The second is
the production shape: PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, each when
it answers. Says plainly which ran; a service that is not there is reported, never faked.
Exits non-zero if any run fails.

``TEST_SIDE_BY_SIDE=1`` runs the two side by side instead, for a developer with cores to
spare: the second run's output is written to a log and printed whole when the first ends.
They share nothing: each has its own database, its own Redis databases
(``TEST_REDIS_SPARE_DB``, for the tests that start servers of their own and flush them) and
free ports. ``make test`` runs them one after the other: on two cores the browser tests'
timings (an import journey's 30-second waits) failed under the doubled load.
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


def slug(label: str) -> str:
    return label.lower().replace(" + ", "-")


def start(label: str, extra_env: dict[str, str], args: list[str], log: Path | None = None):
    """Start pytest for one run; its output goes to ``log`` if given, else to ours."""
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"junit-{slug(label)}.xml"
    report.unlink(missing_ok=True)
    env = {**os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [sys.executable, "-m", "pytest", f"--junitxml={report}", *args]
    if log is None:
        print(f"\n=== Test suite on {label} ===", flush=True)
        return subprocess.Popen(command, env=env)
    print(f"\n=== Test suite on {label}: started beside it, output in {log} ===", flush=True)
    with log.open("w") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


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
    second: dict[str, str] = {}
    if postgres:
        second["DATABASE_URL"] = POSTGRES_URL
    if redis:
        second["REDIS_URL"] = REDIS_URL
    planned = {"SQLite": ({"DATABASE_URL": "", "REDIS_URL": "", "TEST_REDIS_SPARE_DB": "13"},
                          args)}  # fmt: skip
    if second:
        # The browser tests exercise the browser, not the services: once, on SQLite, is enough.
        label = " + ".join(name for name, up in (("PostgreSQL", postgres), ("Redis", redis)) if up)
        second |= {"TEST_REDIS_SPARE_DB": "14"}
        second.setdefault("DATABASE_URL", "")
        planned[label] = (second, [*args, "-p", "no:cacheprovider", "-m", "not browser"])
    side_by_side = os.environ.get("TEST_SIDE_BY_SIDE") == "1" and len(planned) > 1
    results = {}
    running = []
    try:
        if side_by_side:
            beside_label, (env, extra) = list(planned.items())[1]
            log = ARTIFACTS / f"{slug(beside_label)}.log"
            beside = start(beside_label, env, extra, log)
            running.append(beside)
        for label, (env, extra) in list(planned.items())[: 1 if side_by_side else None]:
            process = start(label, env, extra)
            running.append(process)
            results[label] = (process.wait(), counts(ARTIFACTS / f"junit-{slug(label)}.xml"))
        if side_by_side:
            print(f"\n=== Test suite on {beside_label} (run beside the first) ===", flush=True)
            code = beside.wait()
            print(log.read_text(), end="", flush=True)
            results[beside_label] = (code, counts(ARTIFACTS / f"junit-{slug(beside_label)}.xml"))
    finally:
        for process in running:
            if process.poll() is None:  # interrupted: leave no run behind
                process.terminate()
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
            "ran (the second run)."
            if postgres
            else "did not answer at 127.0.0.1:5432: the suite did not run on it."
        )
    )
    print(
        "Redis "
        + (
            "ran as the cache (the second run)."
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
