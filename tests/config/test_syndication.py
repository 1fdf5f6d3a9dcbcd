"""Feeds and sitemaps: only live content, valid for feed readers and search engines."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from tests.factories import FilmFactory, ImageFactory, InterviewFactory, PostFactory

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/blog/feed/", "/blog/feed/atom/", "/interviews/feed/",
                                 "/interviews/feed/atom/"])  # fmt: skip
def test_feeds_parse_cleanly_and_hold_only_live_items(client, url):
    PostFactory(title="Live news", hero_image=ImageFactory())
    PostFactory(title="Draft news", status="draft", publish_at=None)
    InterviewFactory(title="Live talk", hero_image=ImageFactory())
    InterviewFactory(title="Future talk", publish_at=timezone.now() + timedelta(days=1))
    parsed = feedparser.parse(client.get(url).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [entry.title for entry in parsed.entries]
    assert titles in (["Live news"], ["Live talk"])
    entry = parsed.entries[0]
    assert entry.published_parsed and entry.link.startswith("http://testserver/")
    assert [e.type for e in entry.enclosures] == ["image/jpeg"]


@pytest.mark.django_db
def test_demo_feed_reads_as_a_feed_reader_would(client, demo):
    parsed = feedparser.parse(client.get("/blog/feed/").content)
    assert parsed.feed.title == "News"
    assert [e.title for e in parsed.entries][0].startswith("ITVS Welcomes Brandii Rice")
    assert len(parsed.entries) == 4  # the three news items and the post timed to the premiere


@pytest.mark.django_db
def test_a_films_feed_and_unknown_films_404(client):
    film = FilmFactory(slug="never-sorry")
    InterviewFactory(film=film, title="About it")
    InterviewFactory(title="About another")
    parsed = feedparser.parse(client.get("/interviews/film/never-sorry/feed/atom/").content)
    assert [e.title for e in parsed.entries] == ["About it"]
    assert client.get("/interviews/film/nope/feed/").status_code == 404
    draft = FilmFactory(slug="secret", status="draft", publish_at=None)
    assert client.get(f"/interviews/film/{draft.slug}/feed/").status_code == 404
    page = client.get(film.get_absolute_url()).content.decode()
    assert 'href="/interviews/film/never-sorry/feed/atom/"' in page


@pytest.mark.django_db
def test_pages_advertise_the_feeds(client):
    page = client.get("/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in page
    assert 'href="/blog/feed/atom/"' in page


@pytest.mark.django_db
def test_sitemaps_list_live_pages_only_with_lastmod(client):
    live = InterviewFactory(title="Live")
    InterviewFactory(slug="hidden-draft", status="draft", publish_at=None)
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert "http://testserver/sitemap-interviews.xml" in sections
    urlset = ElementTree.fromstring(client.get("/sitemap-interviews.xml").content)
    urls = {u.find("s:loc", SITEMAP_NS).text: u for u in urlset.findall("s:url", SITEMAP_NS)}
    assert f"http://testserver{live.get_absolute_url()}" in urls
    assert not [u for u in urls if "hidden-draft" in u]
    assert (
        urls[f"http://testserver{live.get_absolute_url()}"].find("s:lastmod", SITEMAP_NS)
        is not None
    )
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_points_at_the_sitemap():
    assert "Sitemap: http://testserver/sitemap.xml" in Client().get("/robots.txt").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["feed/", "feed/atom/"])
def test_a_tags_feed_holds_every_kind_of_live_page_with_it_newest_first(client, suffix):
    now = timezone.now()
    film = FilmFactory(title="Tagged film", publish_at=now - timedelta(days=3))
    interview = InterviewFactory(
        title="Tagged talk", byline="Ana Diaz", publish_at=now - timedelta(days=1),
        hero_image=ImageFactory(),
    )  # fmt: skip
    post = PostFactory(
        title="Tagged news", body="<p>All of it.</p>", publish_at=now - timedelta(days=2)
    )
    draft = PostFactory(title="Tagged draft", status="draft", publish_at=None)
    untagged = InterviewFactory(title="Untagged")
    for item in (film, interview, post, draft):
        item.tags.add("Human rights")
    untagged.tags.add("Other")
    parsed = feedparser.parse(client.get(f"/tags/human-rights/{suffix}").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert "Human rights" in parsed.feed.title
    assert [e.title for e in parsed.entries] == ["Tagged talk", "Tagged news", "Tagged film"]
    talk, news, _ = parsed.entries
    assert talk.author == "Ana Diaz"
    assert [e.type for e in talk.enclosures] == ["image/jpeg"]
    assert "All of it." in (news.get("summary") or news.content[0].value)
    assert talk.link == f"http://testserver{interview.get_absolute_url()}"


@pytest.mark.django_db
def test_unknown_tags_and_tags_with_nothing_live_have_no_feed(client):
    assert client.get("/tags/nope/feed/").status_code == 404
    assert client.get("/tags/nope/feed/atom/").status_code == 404
    PostFactory(status="draft", publish_at=None).tags.add("Secret")
    assert client.get("/tags/secret/feed/").status_code == 404


@pytest.mark.django_db
def test_the_tag_page_advertises_its_feeds(client):
    PostFactory().tags.add("Human rights")
    page = client.get("/tags/human-rights/").content.decode()
    assert (
        'type="application/rss+xml" title="Tagged “Human rights”" href="/tags/human-rights/feed/"'
        in page
    )
    assert 'href="/tags/human-rights/feed/atom/"' in page


HOSTILE_EXCERPT = '<img src=x onerror="alert(1)"> Fish & chips'
ESCAPED_EXCERPT = "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Fish &amp; chips</p>"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/blog/feed/", lambda: PostFactory(body="", dek=HOSTILE_EXCERPT)),
        ("/blog/feed/atom/", lambda: PostFactory(body="<p> </p><hr>", dek=HOSTILE_EXCERPT)),
        ("/interviews/feed/",
         lambda: InterviewFactory(intro="", search_description=HOSTILE_EXCERPT)),
        ("/interviews/feed/atom/",
         lambda: InterviewFactory(intro="", search_description=HOSTILE_EXCERPT)),
        ("/tags/hostile/feed/", lambda: FilmFactory(synopsis="", logline=HOSTILE_EXCERPT)),
        ("/tags/hostile/feed/atom/", lambda: FilmFactory(synopsis="", logline=HOSTILE_EXCERPT)),
    ],
)  # fmt: skip
def test_a_plain_text_summary_reaches_feed_readers_as_text_not_markup(client, url, make):
    """With no rich text, the excerpt is escaped HTML: a feed reader shows the tag as text."""
    make().tags.add("hostile")
    raw = client.get(url).content
    summaries = [
        element.text
        for element in ElementTree.fromstring(raw).iter()
        if element.tag.rsplit("}", 1)[-1] in ("description", "summary") and element.text
    ]
    item_summary = summaries[-1]  # the channel's own description comes first in RSS
    # After XML parsing, the description is HTML in which the excerpt is escaped text.
    assert item_summary == ESCAPED_EXCERPT, item_summary
    if "atom" in url:
        assert b'<summary type="html">' in raw
    entry = feedparser.parse(raw).entries[0]
    # feedparser's sanitised output keeps the excerpt as the words it is, tag and all.
    assert BeautifulSoup(entry.summary, "html.parser").get_text() == HOSTILE_EXCERPT
    assert "<img" not in entry.summary


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/blog/feed/atom/", "/interviews/feed/atom/",
                                 "/tags/bylines/feed/atom/"])  # fmt: skip
def test_an_atom_entry_with_no_author_has_no_author_element(client, settings, url):
    """An empty byline is left out, not written as ``<author><name/></author>`` (a W3C
    feedvalidator warning); the feed's own author covers it, as RFC 4287 asks."""
    now = timezone.now()
    signed = [PostFactory(bylines="Ana Diaz", publish_at=now - timedelta(hours=1)),
              InterviewFactory(byline="Ana Diaz", publish_at=now - timedelta(hours=1))]  # fmt: skip
    unsigned = [PostFactory(bylines="", publish_at=now - timedelta(hours=2)),
                InterviewFactory(byline="", publish_at=now - timedelta(hours=2))]  # fmt: skip
    for item in (*signed, *unsigned):
        item.tags.add("Bylines")
    feed = ElementTree.fromstring(client.get(url).content)
    feed_authors = [author.findtext(f"{ATOM}name") for author in feed.findall(f"{ATOM}author")]
    assert feed_authors == [settings.SITE_NAME]
    authors = {
        entry.findtext(f"{ATOM}title"): [
            author.findtext(f"{ATOM}name") for author in entry.findall(f"{ATOM}author")
        ]
        for entry in feed.findall(f"{ATOM}entry")
    }
    for item in signed:
        if item.title in authors:
            assert authors[item.title] == ["Ana Diaz"]
    for item in unsigned:
        if item.title in authors:
            assert authors[item.title] == []
    assert ["Ana Diaz"] in authors.values() and [] in authors.values()
    assert b"<name></name>" not in client.get(url).content


@pytest.mark.django_db
def test_an_rss_item_with_no_author_has_no_creator(client):
    PostFactory(bylines="")
    body = client.get("/blog/feed/").content
    assert b"<dc:creator" not in body and b"<author" not in body
    assert not feedparser.parse(body).bozo
