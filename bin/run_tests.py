#!/usr/bin/env python
"""Run the test suite on SQLite, then on PostgreSQL when a server answers at 127.0.0.1:5432.

Says plainly which databases ran; a database that is not there is reported, never faked.
Exits non-zero if any run fails.
"""

import os
import socket
import subprocess
import sys

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def run(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    print(f"\n=== Test suite on {label} ===", flush=True)
    env = {**os.environ, **extra_env, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def main() -> int:
    args = sys.argv[1:]
    results = {"SQLite": run("SQLite", {"DATABASE_URL": ""}, args)}
    if answers("127.0.0.1", 5432):
        # The browser tests exercise the browser, not the database: once, on SQLite, is enough.
        results["PostgreSQL"] = run(
            "PostgreSQL", {"DATABASE_URL": POSTGRES_URL}, [*args, "-m", "not browser"]
        )
    else:
        print("\nPostgreSQL does not answer at 127.0.0.1:5432: the suite ran on SQLite only.")
    print("\n=== Summary ===")
    for label, code in results.items():
        print(f"{label}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
