"""Metadata on every page, and JSON-LD checked against the schema.org vocabulary offline.

The vocabulary is schema.org's own release file (``schemaorg-current-https.jsonld``, from
``shared/reference``), kept gzipped beside these tests.
"""

import gzip
import json
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from films.availability import AvailabilityWindow
from tests.factories import (
    CreditFactory,
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PostFactory,
    ScreeningFactory,
)

VOCABULARY = Path(__file__).resolve().parents[1] / "schemas" / "schemaorg-current-https.jsonld.gz"
INTERVIEW_URL = "/interviews/alison-klayman-on-filming-ai-weiwei/"
FILM_URL = "/films/ai-weiwei-never-sorry/"
BROADCAST_URL = "/screenings/6f1c2b7e-5d1a-4c1e-9b7e-2013022522ee/"
POST_URL = "/blog/lisa-tawil-joins-the-international-board-of-input/"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?[+-]\d\d:\d\d$")

PUBLIC_PAGES = ["/", "/films/", FILM_URL, "/interviews/", INTERVIEW_URL, "/screenings/",
                "/screenings/past/", BROADCAST_URL, "/blog/", POST_URL, "/tags/china/",
                "/search/?q=sundance", "/watch/"]  # fmt: skip


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]], set[str]]:
    """(superclasses of each class, classes each property applies to, every term's name)."""
    graph = json.loads(gzip.decompress(VOCABULARY.read_bytes()))["@graph"]

    def ids(value) -> set[str]:
        values = value if isinstance(value, list) else [value] if value else []
        return {v["@id"].removeprefix("schema:") for v in values}

    parents = {n["@id"].removeprefix("schema:"): ids(n.get("rdfs:subClassOf"))
               for n in graph if "rdfs:Class" in n.get("@type", [])}  # fmt: skip
    domains = {n["@id"].removeprefix("schema:"): ids(n.get("schema:domainIncludes"))
               for n in graph if "rdf:Property" in n.get("@type", [])}  # fmt: skip
    terms = {n["@id"].removeprefix("schema:") for n in graph}
    return parents, domains, terms


def ancestors(kind: str) -> set[str]:
    parents, _, _ = vocabulary()
    seen, todo = set(), [kind]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def vocabulary_errors(node, path: str = "$") -> list[str]:
    """Every type, property and enumeration value in ``node`` that schema.org does not define."""
    parents, domains, terms = vocabulary()
    if isinstance(node, list):
        return [e for i, item in enumerate(node) for e in vocabulary_errors(item, f"{path}[{i}]")]
    if not isinstance(node, dict):
        if isinstance(node, str) and node.startswith("https://schema.org/"):
            name = node.removeprefix("https://schema.org/")
            return [] if name in terms else [f"{path}: unknown term {node}"]
        return []
    kind = node.get("@type")
    if kind not in parents:
        return [f"{path}: unknown type {kind!r}"]
    errors = []
    for key, value in node.items():
        if key in {"@context", "@type", "@id"}:
            continue
        if key not in domains:
            errors.append(f"{path}.{key}: not a schema.org property")
        elif not domains[key] & ancestors(kind):
            errors.append(f"{path}.{key}: not a property of {kind}")
        errors += vocabulary_errors(value, f"{path}.{key}")
    return errors


def json_ld(client, url: str) -> dict[str, dict]:
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    for block in blocks:
        assert block["@context"] == "https://schema.org"
        assert vocabulary_errors(block) == [], url
    return {block["@type"]: block for block in blocks}


@pytest.mark.django_db
def test_the_interview_is_an_article_about_the_movie(client, demo):
    data = json_ld(client, INTERVIEW_URL)
    article = data["Article"]
    assert article["headline"] == "Alison Klayman on Filming Ai Weiwei"
    assert OFFSET.match(article["datePublished"]) and OFFSET.match(article["dateModified"])
    assert article["about"]["@type"] == "Movie"
    assert article["about"]["name"] == "Ai Weiwei: Never Sorry"
    assert article["about"]["url"] == f"http://testserver{FILM_URL}"
    assert article["author"]["@type"] == "Organization"  # the byline is "Independent Lens"
    assert article["publisher"]["name"] == "Independent Lens Outreach"
    assert article["image"].startswith("http://testserver/media/")
    assert article["mainEntityOfPage"] == f"http://testserver{INTERVIEW_URL}"
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [
        (1, "Home"), (2, "Interviews"), (3, "Alison Klayman on Filming Ai Weiwei")
    ]  # fmt: skip
    assert crumbs[-1]["item"] == f"http://testserver{INTERVIEW_URL}"


@pytest.mark.django_db
def test_the_film_is_a_movie_with_director_duration_and_date(client, demo):
    movie = json_ld(client, FILM_URL)["Movie"]
    assert movie["name"] == "Ai Weiwei: Never Sorry"
    assert [d["name"] for d in movie["director"]] == ["Alison Klayman"]
    assert movie["duration"] == "PT1H31M"
    assert movie["dateCreated"] == "2012"
    assert movie["image"].startswith("http://testserver/media/")


@pytest.mark.django_db
def test_each_open_window_is_a_watch_action_on_the_movie(client, demo):
    """The demo's free and members' windows; one still to open and one closed are left out."""
    film = AvailabilityWindow.objects.get(platform="free_streaming").film
    now = timezone.now()
    AvailabilityWindow.objects.create(
        film=film, platform="rent_or_buy", service="Rent It", url="https://example.org/rent",
        starts_at=now + timedelta(days=2),
    )  # fmt: skip
    AvailabilityWindow.objects.create(
        film=film, platform="streaming", service="Gone", url="https://example.org/gone",
        starts_at=now - timedelta(days=9), ends_at=now - timedelta(seconds=1),
    )  # fmt: skip
    AvailabilityWindow.objects.create(
        film=film, platform="streaming", service="Kanopy", url="https://example.org/kanopy",
        starts_at=now - timedelta(days=9),
    )  # fmt: skip
    actions = json_ld(client, FILM_URL)["Movie"]["potentialAction"]
    assert [a["name"] for a in actions] == ["PBS App", "PBS Passport", "Kanopy"]
    free, members, kanopy = actions
    assert free["@type"] == "WatchAction"
    assert free["target"]["@type"] == "EntryPoint"
    assert free["target"]["urlTemplate"].startswith("https://www.pbs.org/")
    assert "https://schema.org/IOSPlatform" in free["target"]["actionPlatform"]
    offer = free["expectsAcceptanceOf"]
    assert offer["@type"] == "Offer" and offer["category"] == "free" and offer["price"] == 0
    assert offer["eligibleRegion"] == [{"@type": "Country", "name": "US"}]
    assert OFFSET.match(offer["availabilityStarts"]) and OFFSET.match(offer["availabilityEnds"])
    assert offer["availabilityEnds"].startswith("2027-03-26T23:59")
    assert members["expectsAcceptanceOf"]["category"] == "subscription"
    assert "price" not in members["expectsAcceptanceOf"]
    kanopy_offer = kanopy["expectsAcceptanceOf"]
    assert "eligibleRegion" not in kanopy_offer and "availabilityEnds" not in kanopy_offer
    assert kanopy["target"]["actionPlatform"] == [
        "https://schema.org/DesktopWebPlatform", "https://schema.org/MobileWebPlatform"
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_broadcast_premiere_is_an_online_screening_event(client, demo):
    event = json_ld(client, BROADCAST_URL)["ScreeningEvent"]
    # 10 PM local time, in every zone: a floating time, as on the page and in the .ics.
    assert (event["startDate"], event["endDate"]) == ("2013-02-25T22:00:00", "2013-02-25T23:30:00")
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"]["@type"] == "VirtualLocation"
    assert event["workPresented"]["@type"] == "Movie"


@pytest.mark.django_db
def test_a_cancelled_venue_screening_has_a_place_and_its_status(client):
    screening = ScreeningFactory(
        venue="IFC Center", address="323 Sixth Avenue", postcode="10014", city="New York",
        region="NY", country="United States", time_zone="America/New_York", status="cancelled",
        tickets_url="https://example.org/tickets",
    )  # fmt: skip
    event = json_ld(client, screening.get_absolute_url())["ScreeningEvent"]
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place", "name": "IFC Center",
        "address": {"@type": "PostalAddress", "streetAddress": "323 Sixth Avenue",
                    "addressLocality": "New York", "addressRegion": "NY", "postalCode": "10014",
                    "addressCountry": "US"},
    }  # fmt: skip
    assert OFFSET.match(event["startDate"])
    assert event["startDate"].endswith(("-05:00", "-04:00"))
    assert event["offers"]["url"] == "https://example.org/tickets"


@pytest.mark.django_db
def test_a_post_is_an_article_about_its_film_when_it_has_one(client):
    film = FilmFactory(title="Salt Lines")
    CreditFactory(film=film)
    post = PostFactory(related_film=film, hero_image=ImageFactory())
    article = json_ld(client, post.get_absolute_url())["Article"]
    assert article["about"]["name"] == "Salt Lines"
    assert article["articleSection"] == "News"
    draft_film = FilmFactory(status="draft", publish_at=None)
    hidden = PostFactory(related_film=draft_film)
    assert "about" not in json_ld(client, hidden.get_absolute_url())["Article"]


@pytest.mark.django_db
def test_text_cannot_break_out_of_the_json_ld_script(client):
    interview = InterviewFactory(title="</script><script>alert(1)</script>", film=None)
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    assert json_ld(client, interview.get_absolute_url())["Article"]["headline"].startswith(
        "</script>"
    )


@pytest.mark.django_db
def test_the_home_page_describes_the_site_and_its_search(client, demo):
    site = json_ld(client, "/")["WebSite"]
    target = site["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_page_has_canonical_description_and_social_cards(client, demo, url):
    soup = BeautifulSoup(client.get(url, {"utm_source": "x"} if "?" not in url else {}).content,
                         "html.parser")  # fmt: skip

    def meta(attr: str, name: str) -> str:
        tags = soup.select(f'meta[{attr}="{name}"]')
        assert len(tags) == 1, (url, name)
        return tags[0]["content"]

    canonical = soup.select_one('link[rel="canonical"]')["href"]
    assert canonical == f"http://testserver{url.split('?')[0]}"  # no query string
    assert meta("property", "og:url") == canonical
    assert 20 <= len(meta("name", "description")) <= 300
    assert meta("property", "og:description") == meta("name", "description")
    assert meta("property", "og:title") and meta("name", "twitter:title")
    assert meta("property", "og:image").startswith("http://testserver/")
    assert meta("name", "twitter:image") == meta("property", "og:image")
    assert meta("name", "twitter:card") in {"summary", "summary_large_image"}
    assert meta("property", "og:image:alt")
    json_ld(client, url)  # whatever JSON-LD the page has is valid schema.org


@pytest.mark.django_db
def test_canonical_keeps_only_a_real_page_number(client):
    for _ in range(12):
        PostFactory()
    soup = BeautifulSoup(client.get("/blog/?page=2&utm_source=x").content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == "http://testserver/blog/?page=2"
    soup = BeautifulSoup(client.get("/blog/?page=1").content, "html.parser")
    assert soup.select_one('link[rel="canonical"]')["href"] == "http://testserver/blog/"


@pytest.mark.django_db
def test_breadcrumbs_are_shown_as_well_as_described(client, demo):
    soup = BeautifulSoup(client.get(BROADCAST_URL).content, "html.parser")
    crumbs = soup.select('nav[aria-label="Breadcrumb"] li')
    assert [c.get_text(strip=True) for c in crumbs] == [
        "Home", "Screenings", "Broadcast premiere on Independent Lens"
    ]  # fmt: skip
    assert crumbs[-1].select_one('[aria-current="page"]') is not None


def test_the_checker_catches_what_schema_org_does_not_define():
    assert vocabulary_errors({"@type": "Movie", "director": [], "startDate": "x"}) == [
        "$.startDate: not a property of Movie"
    ]
    assert vocabulary_errors({"@type": "Film"}) == ["$: unknown type 'Film'"]
    assert vocabulary_errors({"@type": "Event", "eventStatus": "https://schema.org/Nope"}) == [
        "$.eventStatus: unknown term https://schema.org/Nope"
    ]


@pytest.mark.django_db
def test_a_page_number_past_the_list_is_not_canonical_elsewhere(client):
    interview = InterviewFactory()
    for url in (f"{interview.get_absolute_url()}?page=2", "/?page=2", "/?page=²"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert "?page" not in soup.select_one('link[rel="canonical"]')["href"]
