"""Sitemaps validate against the sitemaps.org schema, carry hero images and page at the limit."""

from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree
from taggit.models import Tag

from blog.models import Post
from blog.sitemaps import PostSitemap
from cms.publishing.sitemaps import LivePublishableSitemap
from config.sitemaps import SITEMAPS, TagSitemap
from films.models import Film, Screening
from interviews.models import Interview
from outreach.resources import Resource
from tests.demo_pages import DEMO_PAGES
from tests.factories import (
    FilmFactory,
    ImageFactory,
    InterviewFactory,
    PostFactory,
    ScreeningFactory,
    at,
)

ROOT = Path(__file__).resolve().parents[2]
SITEMAP_XSD = ROOT / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
IMAGE_XSD = Path(__file__).resolve().parents[1] / "schemas" / "sitemap-image.xsd"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def urlset_schema() -> etree.XMLSchema:
    """The official sitemaps.org schema, with the image extension it admits strictly."""
    assert SITEMAP_XSD.exists(), "run `make install-dev` (npm ci) for the sitemaps.org schema"
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="{NS["s"]}" schemaLocation="{SITEMAP_XSD.as_uri()}"/>
      <xsd:import namespace="{NS["image"]}" schemaLocation="{IMAGE_XSD.as_uri()}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def fetch(client: Client, url: str) -> etree._Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def sections(client: Client) -> list[str]:
    index = fetch(client, "/sitemap.xml")
    assert etree.QName(index).localname == "sitemapindex"
    for entry in index.findall("s:sitemap", NS):
        assert entry.find("s:loc", NS).text.startswith("http://testserver/")
    return [loc.text.removeprefix("http://testserver") for loc in index.findall(".//s:loc", NS)]


def test_every_section_of_the_demo_validates_against_the_sitemaps_org_schema(
    client, demo, urlset_schema
):
    urls = sections(client)
    assert len(urls) == 8
    for url in urls:
        urlset = fetch(client, url)
        assert urlset_schema.validate(urlset), (url, urlset_schema.error_log)


def test_hero_images_are_listed_for_live_pages_only(client, urlset_schema):
    interview = InterviewFactory(hero_image=ImageFactory())
    film = FilmFactory(poster=ImageFactory())
    PostFactory(hero_image=ImageFactory(licence_expires_on="2000-01-01"))  # licence lapsed
    InterviewFactory(status="draft", publish_at=None, slug="draft", hero_image=ImageFactory())
    for section, item, image in [("interviews", interview, interview.hero_image),
                                 ("films", film, film.poster)]:  # fmt: skip
        urlset = fetch(client, f"/sitemap-{section}.xml")
        assert urlset_schema.validate(urlset), urlset_schema.error_log
        entry = next(
            url for url in urlset.findall("s:url", NS)
            if url.find("s:loc", NS).text == f"http://testserver{item.get_absolute_url()}"
        )  # fmt: skip
        locs = [loc.text for loc in entry.findall("image:image/image:loc", NS)]
        assert locs == [f"http://testserver{image.url}"]
    assert client.get("/sitemap-news.xml").content.count(b"image:image") == 0
    assert b"/draft/" not in client.get("/sitemap-interviews.xml").content


def test_the_index_pages_a_section_past_its_limit(client, monkeypatch, urlset_schema):
    monkeypatch.setattr(PostSitemap, "limit", 2)
    for _ in range(5):
        PostFactory()
    urls = sections(client)
    assert [u for u in urls if "news" in u] == [
        "/sitemap-news.xml",
        "/sitemap-news.xml?p=2",
        "/sitemap-news.xml?p=3",
    ]
    last = fetch(client, "/sitemap-news.xml?p=3")
    assert len(last.findall("s:url", NS)) == 1
    assert urlset_schema.validate(last)
    assert client.get("/sitemap-news.xml?p=4").status_code == 404
    assert client.get("/sitemap-news.xml?p=abc").status_code == 404
    assert client.get("/sitemap-news.xml?p=0").status_code == 404
    assert client.get("/sitemap-news.xml?p=-1").status_code == 404


def test_a_page_holds_a_thousand_urls_so_it_costs_the_same_at_any_size():
    """The protocol allows 50,000; a page of 1,000 is what one request renders at most."""
    assert PostSitemap.limit == 1_000
    live = [s for s in SITEMAPS.values() if issubclass(s, LivePublishableSitemap)]
    assert len(live) == 7
    assert all(section.limit == 1_000 for section in live)


def test_every_address_is_the_pages_own_including_unicode_slugs(client, demo):
    """Addresses are built from one reverse() per section: each must be get_absolute_url()."""
    InterviewFactory(slug="ärzte-ohne-grenzen")
    PostFactory(slug="новости")
    expected = {
        f"http://testserver{page.get_absolute_url()}"
        for model in (Film, Interview, Post, Resource)
        for page in model.objects.live()
    } | {f"http://testserver{s.get_absolute_url()}" for s in Screening.objects.visible()}
    listed = set()
    for url in sections(client):
        listed |= {loc.text for loc in fetch(client, url).findall("s:url/s:loc", NS)}
    assert expected <= listed
    assert "http://testserver/interviews/%C3%A4rzte-ohne-grenzen/" in listed


def test_lastmod_is_each_pages_and_the_index_gives_each_sections_latest(client, settings):
    zone = settings.TIME_ZONE  # sitemaps print times on the site's clock
    old, new = PostFactory(), PostFactory()
    Post.objects.filter(pk=old.pk).update(updated_at=at(2024, 1, 2, 3, 4, tz=zone))
    Post.objects.filter(pk=new.pk).update(updated_at=at(2025, 6, 7, 8, 9, tz=zone))
    urlset = fetch(client, "/sitemap-news.xml")
    assert sorted(e.text for e in urlset.findall("s:url/s:lastmod", NS)) == [
        "2024-01-02T03:04:00-05:00",
        "2025-06-07T08:09:00-04:00",
    ]
    index = fetch(client, "/sitemap.xml")
    news = next(e for e in index.findall("s:sitemap", NS) if "news" in e.find("s:loc", NS).text)
    assert news.find("s:lastmod", NS).text == "2025-06-07T08:09:00-04:00"


@pytest.mark.parametrize("amount", [1, 30])
def test_a_sitemap_page_makes_the_same_queries_at_any_size(client, amount):
    """Once made (the page count and the page's rows, as values), a page is kept: its token."""
    for _ in range(amount):
        InterviewFactory(hero_image=ImageFactory())
    client.get("/sitemap-interviews.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-interviews.xml").status_code == 200
    assert len(queries) == 1


def test_the_schema_check_would_catch_a_broken_sitemap(urlset_schema):
    broken = etree.fromstring(
        f'<urlset xmlns="{NS["s"]}" xmlns:image="{NS["image"]}"><url><loc>http://x.org/</loc>'
        "<priority>2</priority><image:image><image:title>t</image:title></image:image>"
        "</url></urlset>".encode()
    )
    assert not urlset_schema.validate(broken)
    assert len(urlset_schema.error_log) == 2


def listed_in_sitemaps(client: Client) -> set[str]:
    """Every address in every page of every section the index lists."""
    listed = set()
    for url in sections(client):
        listed |= {loc.text for loc in fetch(client, url).findall("s:url/s:loc", NS)}
    return listed


def indexable(response) -> bool:
    """A page search engines may index: no "noindex" in its robots meta nor its header."""
    soup = BeautifulSoup(response.content, "html.parser")
    said = [meta.get("content", "") for meta in soup.select('meta[name="robots"]')]
    said.append(response.get("X-Robots-Tag", ""))
    return not any("noindex" in words.lower() for words in said)


def test_every_indexable_page_type_of_the_demo_is_in_a_sitemap(client, demo):
    """Each demo page a search engine may index is listed by its canonical address."""
    unlisted, kinds = [], 0
    listed = listed_in_sitemaps(client)
    for name, url in DEMO_PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        if not indexable(response):
            continue
        kinds += 1
        soup = BeautifulSoup(response.content, "html.parser")
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        if canonical not in listed:
            unlisted.append((name, canonical))
    assert unlisted == []
    assert kinds, "no demo page is indexable: the check would check nothing"


def test_the_indexable_check_reads_the_robots_meta_and_header(client, demo):
    assert not indexable(client.get("/search/?q=sundance"))
    assert indexable(client.get("/"))


def test_past_screenings_and_their_list_are_in_the_sitemaps(client):
    past = ScreeningFactory(starts_at=timezone.now() - timedelta(days=400))
    listed = listed_in_sitemaps(client)
    assert f"http://testserver{past.get_absolute_url()}" in listed
    assert "http://testserver/screenings/past/" in listed


def test_the_tag_sitemap_lists_tags_with_live_pages_only(client, urlset_schema):
    now = timezone.now()
    PostFactory().tags.add("Live news")
    FilmFactory().tags.add("Live film")
    InterviewFactory().tags.add("Human rights", "Live film")
    PostFactory(status="draft", publish_at=None).tags.add("Only drafts")
    InterviewFactory(publish_at=now + timedelta(days=1)).tags.add("Only scheduled")
    PostFactory(publish_at=now - timedelta(days=2), expire_at=now - timedelta(days=1)).tags.add(
        "Only expired"
    )
    Tag.objects.create(name="Unused")
    urlset = fetch(client, "/sitemap-tags.xml")
    assert urlset_schema.validate(urlset), urlset_schema.error_log
    assert [loc.text for loc in urlset.findall("s:url/s:loc", NS)] == [
        "http://testserver/tags/human-rights/",
        "http://testserver/tags/live-film/",
        "http://testserver/tags/live-news/",
    ]
    for loc in urlset.findall("s:url/s:loc", NS):
        assert client.get(loc.text).status_code == 200  # each tag page it lists answers


def test_a_tag_leaves_the_sitemap_when_its_last_live_page_goes(client):
    post = PostFactory()
    post.tags.add("Fleeting")
    assert b"/tags/fleeting/" in client.get("/sitemap-tags.xml").content
    post.status = "draft"
    post.save()
    assert b"/tags/fleeting/" not in client.get("/sitemap-tags.xml").content
    post.status = "published"
    post.save()
    post.tags.clear()
    assert b"/tags/fleeting/" not in client.get("/sitemap-tags.xml").content


def test_a_renamed_tag_is_listed_at_its_new_address_at_once(client):
    PostFactory().tags.add("Old name")
    assert b"/tags/old-name/" in client.get("/sitemap-tags.xml").content
    tag = Tag.objects.get(slug="old-name")
    tag.name, tag.slug = "New name", "new-name"
    tag.save()
    body = client.get("/sitemap-tags.xml").content
    assert b"/tags/new-name/" in body and b"/tags/old-name/" not in body


def test_the_tag_sitemap_pages_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(TagSitemap, "limit", 2)
    post = PostFactory()
    post.tags.add("a1", "a2", "a3", "a4", "a5")
    assert [u for u in sections(client) if "tags" in u] == [
        "/sitemap-tags.xml",
        "/sitemap-tags.xml?p=2",
        "/sitemap-tags.xml?p=3",
    ]
    assert len(fetch(client, "/sitemap-tags.xml?p=3").findall("s:url", NS)) == 1
    assert client.get("/sitemap-tags.xml?p=4").status_code == 404


@pytest.mark.parametrize("amount", [1, 30])
def test_the_tag_sitemap_makes_the_same_queries_at_any_size(client, settings, amount):
    """Made afresh: the count as far as its end and its rows, as values; kept: its token."""
    for number in range(amount):
        PostFactory().tags.add(f"tag {number}")
    settings.CMS_FRAGMENT_CACHE_ENABLED = False
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-tags.xml").status_code == 200
    assert len(queries) == 2
    settings.CMS_FRAGMENT_CACHE_ENABLED = True
    client.get("/sitemap-tags.xml")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap-tags.xml").status_code == 200
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_kept_sitemap_page_is_served_with_its_stored_etag_not_hashed_again(client, monkeypatch):
    """The ETag is hashed once, when the page is made: a large page costs no MD5 per request."""
    import django.middleware.http

    InterviewFactory()
    first = client.get("/sitemap-interviews.xml")
    hashed = []
    original = django.middleware.http.set_response_etag
    monkeypatch.setattr(
        django.middleware.http, "set_response_etag", lambda r: hashed.append(r) or original(r)
    )
    again = client.get("/sitemap-interviews.xml")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"] and hashed == []
    revalidated = client.get("/sitemap-interviews.xml", headers={"If-None-Match": first["ETag"]})
    assert revalidated.status_code == 304
