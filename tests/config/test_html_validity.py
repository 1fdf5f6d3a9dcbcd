"""Every public page type is valid HTML by the Nu HTML Checker (vnu.jar, from npm's vnu-jar).

The pages are rendered from the demo content by Django's test client, written to files
and checked in one run of the checker on the machine's Java (``tests/checkers.py``).
"""

import pytest

from tests.checkers import nu_errors
from tests.demo_pages import DEMO_PAGES, NOT_FOUND

PAGES = {**DEMO_PAGES, "screenings": "/screenings/?city=Park+City", "not-found": NOT_FOUND}


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(client, demo, tmp_path):
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
        files.append(path)
    assert nu_errors(files) == []


def test_the_checker_finds_errors_when_there_are_some(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><head></head><body><p><div>x</p></body></html>")
    assert len(nu_errors([page])) >= 2
