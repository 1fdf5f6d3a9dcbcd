"""Every page of the "Host a screening" flow is valid HTML (the Nu HTML Checker) in each of
its states: empty, with errors, refused, and the host's private pages before and after a
decision. axe-core checks the same states in a browser (tests/browser/test_outreach_pages.py)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from films.models import Screening
from outreach.guestlists import Guestlist, Rsvp
from outreach.host_forms import HONEYPOT
from outreach.host_requests import HostRequest
from tests.checkers import nu_errors
from tests.factories import FilmFactory, ScreeningFactory
from tests.outreach.test_host_requests import form_data


def host_pages(client: Client) -> dict[str, tuple[str, str, dict | None, int]]:
    """(method, path, data, status) of each page type, over a film, a request and RSVPs."""
    film = FilmFactory(title="The Library Book", slug="the-library-book")
    client.post("/host/", form_data(film=film.slug), REMOTE_ADDR="10.9.0.1")
    open_request = HostRequest.objects.get()
    long_address = "community.programmes.and.partnerships@rockridge-branch-library.example.org"
    client.post("/host/", form_data(email=long_address), REMOTE_ADDR="10.9.0.2")
    approved = HostRequest.objects.exclude(pk=open_request.pk).get()
    screening = ScreeningFactory(film=film, kind=Screening.Kind.COMMUNITY)
    HostRequest.objects.filter(pk=approved.pk).update(status="approved", screening=screening)
    guestlist = Guestlist.objects.create(screening=screening, capacity=10)
    Rsvp.objects.create(guestlist=guestlist, name="Bo Lindqvist", email="bo@example.org")
    mine, theirs = open_request.private_path(), approved.private_path()
    return {
        "form": ("get", "/host/", None, 200),
        "film-form": ("get", f"/films/{film.slug}/host/", None, 200),
        "form-errors": ("post", "/host/", form_data(day="2001-01-01", email="x"), 400),
        "honeypot": ("post", "/host/", form_data(**{HONEYPOT: "x"}), 400),
        "private": ("get", f"{mine}?done=received", None, 200),
        "change": ("get", f"{mine}change/", None, 200),
        "withdraw": ("get", f"{mine}withdraw/", None, 200),
        "approved": ("get", theirs, None, 200),
        "decided": ("get", f"{theirs}change/", None, 409),
    }


def fetch(client: Client, method: str, path: str, data: dict | None, address: str = "10.9.0.3"):
    return getattr(client, method)(path, data, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_every_host_page_is_valid_html(client, tmp_path):
    files = []
    for name, (method, path, data, status) in host_pages(client).items():
        response = fetch(client, method, path, data)
        assert response.status_code == status, name
        files.append(tmp_path / f"{name}.html")
        files[-1].write_bytes(response.content)
    with override_settings(OUTREACH_REQUESTS_PER_ADDRESS_PER_DAY=0):
        refused = fetch(client, "post", "/host/", form_data())
    assert refused.status_code == 429
    files.append(tmp_path / "too-many.html")
    files[-1].write_bytes(refused.content)
    assert nu_errors(files) == []
