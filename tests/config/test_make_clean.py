"""`make clean` removes everything the commands and the test suite make, and nothing tracked."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What `make run`, `make serve`, `make test` and `make bench` leave in the checkout.
MADE = [
    ".venv/bin/python",  # every command
    "node_modules/axe-core/axe.js",  # make test
    "bench/node_modules/lighthouse/cli.js",  # make bench
    "db.sqlite3",  # make run, make serve
    "media/demo/klayman-with-ai-weiwei.jpg",  # load_demo
    "staticfiles/staticfiles.json",  # make serve, make bench
    "var/secret_key",  # make serve, make editor
    "test-artifacts/junit-sqlite.xml",  # make test
    ".pytest_cache/README.md",
    ".ruff_cache/CACHEDIR.TAG",
    ".hypothesis/constants/0",
    ".import_linter_cache/0.data.json",  # lint-imports
    "outreach_cms.egg-info/PKG-INFO",  # pip install -e .
    "cms/__pycache__/models.cpython-311.pyc",
    "tests/config/__pycache__/test_make_clean.cpython-311.pyc",
]


def tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout  # fmt: skip
    return [name for name in listed.decode().split("\0") if name]


def test_make_clean_removes_what_was_made_and_keeps_every_tracked_file(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    tracked = tracked_files()
    for name in [*tracked, *MADE]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    subprocess.run(["make", "--no-print-directory", "-s", "clean"], cwd=tmp_path, env=env,
                   check=True, timeout=60)  # fmt: skip
    assert [name for name in MADE if (tmp_path / name).exists()] == []
    assert [name for name in tracked if not (tmp_path / name).exists()] == []
    top_level = {name.split("/")[0] for name in tracked} | {"Makefile"}
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(top_level)
    assert list(tmp_path.rglob("__pycache__")) == []
