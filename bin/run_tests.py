#!/usr/bin/env python
"""Run the test suite on SQLite, then on PostgreSQL when a server answers at 127.0.0.1:5432.

Says plainly which databases ran; a database that is not there is reported, never faked.
Exits non-zero if any run fails.
"""

import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
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
    report = ARTIFACTS / f"junit-{label.lower()}.xml"
    report.unlink(missing_ok=True)
    env = {**os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
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
    results = {"SQLite": run("SQLite", {"DATABASE_URL": ""}, args)}
    if answers("127.0.0.1", 5432):
        # The browser tests exercise the browser, not the database: once, on SQLite, is enough.
        results["PostgreSQL"] = run(
            "PostgreSQL", {"DATABASE_URL": POSTGRES_URL}, [*args, "-m", "not browser"]
        )
        postgres_note = "ran"
    else:
        postgres_note = "did not answer at 127.0.0.1:5432, so the suite ran on SQLite only"
    print("\n=== Summary ===")
    passed = failed = skipped = 0
    for label, (code, total) in results.items():
        bad = total["failures"] + total["errors"]
        good = total["tests"] - bad - total["skipped"]
        passed, failed, skipped = passed + good, failed + bad, skipped + total["skipped"]
        verdict = "passed" if code == 0 else f"FAILED (pytest exit {code})"
        print(f"{label}: {verdict}: {good} passed, {bad} failed, {total['skipped']} skipped")
    print(f"PostgreSQL {postgres_note}.")
    print("Redis: not used yet (no cache is configured in this version), so nothing ran on it.")
    ok = all(code == 0 for code, _ in results.values())
    if not ok and failed == 0:
        failed = 1  # pytest failed without a test failing (collection or usage error)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
