"""Project-wide guarantees: migrations match the models, production settings fail fast and
pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Nothing of the runner's own services: the Redis memory check has its own tests
    # (tests/cms/test_checks.py), against redis-servers started with and without a limit.
    prefixes = ("DJANGO_", "DATABASE_", "REDIS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "config.settings.prod"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789-xyz",
    "DJANGO_ALLOWED_HOSTS": "outreach.example.org",
    "DATABASE_URL": "sqlite:////tmp/never-created.sqlite3",
}


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_production_settings_refuse_to_start_without_each_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PACKAGES = ["config", "cms", "films", "interviews", "blog", "outreach", "search", "bin"]


def imported_top_level_modules(folder: Path) -> set[str]:
    """Every top-level module a folder's Python imports (``import x.y``, ``from x import``)."""
    import ast

    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_production_code_needs_only_the_packages_make_run_installs():
    """`make run` installs ``[project] dependencies`` only: a module production code imports
    from a dev-only package (fpdf2 once was) would break a fresh machine, not the tests."""
    import tomllib
    from importlib.metadata import packages_distributions, requires

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {Requirement(line).name.lower() for line in project["dependencies"]}
    # What those distributions pull in themselves counts too (Django brings asgiref, ...).
    pending, installed_by_run = list(wanted), set()
    while pending:
        name = pending.pop()
        if name in installed_by_run:
            continue
        installed_by_run.add(name)
        for line in requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name.lower().replace("_", "-"))
    ours = set(PRODUCTION_PACKAGES)
    distributions = packages_distributions()
    missing = {}
    for package in PRODUCTION_PACKAGES:
        for module in imported_top_level_modules(ROOT / package) - ours:
            if module in sys.stdlib_module_names or module not in distributions:
                continue  # the standard library, or our own modules run as scripts
            names = {d.lower().replace("_", "-") for d in distributions[module]}
            if not names & installed_by_run:
                missing[module] = sorted(names)
    assert missing == {}


def test_postgresql_connections_run_without_jit_and_keep_options_of_their_own():
    """JIT compiled the boundary queries for 300 ms each at 100,000 interviews (settings)."""
    from config.settings.base import database_from_url

    assert database_from_url("postgres://u@db/site")["OPTIONS"]["options"] == "-c jit=off"
    own = database_from_url("postgres://u@db/site?options=-c%20statement_timeout%3D5000")
    assert own["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=5000"
    assert "options" not in database_from_url("sqlite:///site.db")["OPTIONS"]


@pytest.mark.django_db
def test_sqlite_connections_write_ahead_and_keep_64_mib_of_pages(tmp_path):
    """A search's thousand row lookups at 100,000 interviews: 8 ms with SQLite's 2 MiB cache,
    5 ms with 64 MiB (settings)."""
    from django.db.utils import ConnectionHandler

    from config.settings.base import database_from_url

    handler = ConnectionHandler({"default": database_from_url(f"sqlite:///{tmp_path}/site.db")})
    wrapper = handler["default"]
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -65536
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()


WORKER_DATABASES = """
import json, os
import django
django.setup()
from django.conf import settings
print(json.dumps([settings.REDIS_URL, os.environ["REDIS_URL"], os.environ["TEST_REDIS_SPARE_DB"]]))
"""


def test_each_test_worker_takes_redis_databases_of_its_own():
    """Tests flush the Redis databases they use: two pytest-xdist workers, or the two runs of
    bin/run_tests.py, must never share one (the servers a test starts read the environment)."""
    runs = {
        "SQLite": {"REDIS_URL": "", "TEST_REDIS_SPARE_DB": "13"},
        "PostgreSQL + Redis": {
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "TEST_REDIS_SPARE_DB": "14",
        },
    }
    taken: dict[str, str] = {}
    for worker in ("gw0", "gw1"):
        for label, run in runs.items():
            env = os.environ | run | {"PYTEST_XDIST_WORKER": worker}
            env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
            result = subprocess.run([sys.executable, "-c", WORKER_DATABASES], cwd=ROOT, env=env,
                                    capture_output=True, text=True, timeout=60)  # fmt: skip
            assert result.returncode == 0, result.stderr
            in_settings, in_environment, spare = json.loads(result.stdout)
            assert in_settings == in_environment  # what the test's own servers are given
            for database in (in_settings.rpartition("/")[2], spare):
                if database:
                    assert database not in taken, f"{label} {worker} and {taken.get(database)}"
                    taken[database] = f"{label} {worker}"
    assert taken["11"] == "PostgreSQL + Redis gw1" and taken["9"] == "SQLite gw1"
    assert len(taken) == 6


def test_a_fifth_test_worker_is_refused_a_redis_database_rather_than_given_a_shared_one():
    from config.settings.test import own_redis_database

    assert own_redis_database(15, "gw3") == 3
    with pytest.raises(ValueError, match="leaves none for worker gw4"):
        own_redis_database(15, "gw4")
