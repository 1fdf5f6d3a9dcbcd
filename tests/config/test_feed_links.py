"""Every feed and calendar the URLconf serves is linked from a page of the demo: a link a
person can follow, and a ``<link rel="alternate">`` of the right type that feed readers and
calendars discover. The feeds and calendars are found in the URLconf, not listed here, so a
new one that no page links fails."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.syndication.views import Feed
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.demo_pages import DEMO_PAGES

CALENDAR = "text/calendar"


@dataclass(frozen=True)
class Link:
    page: str
    kind: str  # "a": shown to people; "alternate": announced in the head
    type: str
    title: str


def named_routes(patterns: list, namespace: str = "", prefix: str = "") -> Iterator[tuple]:
    """Every named URL pattern as (namespaced name, route, view), includes followed."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern.callback


def feed_class(view) -> type[Feed] | None:
    """The feed a view serves: ``cms.publishing.feeds.feed_view`` or a ``Feed`` instance."""
    if isinstance(view, Feed):
        return type(view)
    return getattr(view, "feed_class", None)


def subscriptions() -> dict[str, str]:
    """Each feed's and calendar's URL name, with the media type its links should announce."""
    found = {}
    for name, route, view in named_routes(get_resolver().url_patterns):
        feed = feed_class(view)
        if feed is not None:
            found[name] = feed.feed_type.content_type.split(";")[0]
        elif route.endswith(".ics"):
            found[name] = CALENDAR
    return found


def links_of_demo_pages(client) -> dict[str, list[Link]]:
    """Per URL name, every link to it on the demo's pages (shown or in the head)."""
    links = defaultdict(list)
    for page, url in DEMO_PAGES.items():
        response = client.get(url)
        assert response.status_code == 200, url
        soup = BeautifulSoup(response.content, "html.parser")
        found = [("a", tag) for tag in soup.select("a[href]")]
        found += [("alternate", tag) for tag in soup.select('link[rel~="alternate"][href]')]
        for kind, tag in found:
            address = urlsplit(tag["href"])
            if address.netloc not in ("", "testserver"):
                continue
            try:
                match = resolve(address.path)
            except Resolver404:
                continue
            links[match.view_name].append(
                Link(page, kind, tag.get("type", ""), tag.get("title", ""))
            )
    return links


def test_the_urlconf_serves_feeds_and_calendars_of_every_kind():
    """The finding of feeds and calendars finds them (else the checks below check nothing)."""
    found = subscriptions()
    assert {"application/rss+xml", "application/atom+xml", CALENDAR} == set(found.values())
    assert found["blog:feed-atom"] == "application/atom+xml"
    assert found["films:screenings-ics"] == CALENDAR


@pytest.mark.django_db
def test_every_feed_and_calendar_has_a_link_on_some_demo_page(client, demo):
    links = links_of_demo_pages(client)
    shown = {name for name, found in links.items() if any(link.kind == "a" for link in found)}
    assert sorted(set(subscriptions()) - shown) == []


@pytest.mark.django_db
def test_every_feed_and_calendar_is_announced_with_its_type_and_a_title(client, demo):
    links = links_of_demo_pages(client)
    missing, wrong = [], []
    for name, media_type in subscriptions().items():
        announced = [link for link in links[name] if link.kind == "alternate"]
        if not announced:
            missing.append(name)
        wrong += [(name, link) for link in announced
                  if link.type != media_type or not link.title.strip()]  # fmt: skip
    assert (sorted(missing), wrong) == ([], [])
