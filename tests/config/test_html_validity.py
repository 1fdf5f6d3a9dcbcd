"""Every public page type is valid HTML by the Nu HTML Checker (vnu.jar, from npm's vnu-jar).

The pages are rendered from the demo content by Django's test client, written to files
and checked in one run of the checker on the machine's Java.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.demo_pages import DEMO_PAGES, NOT_FOUND

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES = {**DEMO_PAGES, "screenings": "/screenings/?city=Park+City", "not-found": NOT_FOUND}


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(client, demo, tmp_path):
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: run `make java`"
    assert VNU.exists(), "run `make install-dev` (npm ci) for vnu-jar"
    from django.core.management import call_command

    from search.documents import rebuild

    rebuild()  # the demo's search entries, for the search page
    call_command("check", verbosity=0)
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == []
    checked = {Path(m["url"]).stem for m in messages}
    assert checked <= set(PAGES)  # messages name only our files


def test_the_checker_finds_errors_when_there_are_some(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><head></head><body><p><div>x</p></body></html>")
    result = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--format", "json", "--exit-zero-always",
         str(page)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    types = [m["type"] for m in json.loads(result.stderr)["messages"]]
    assert types.count("error") >= 2
