"""Pages about a subject, contributed by the apps that write them.

A film's page lists the interviews and the news about the film, yet the films app cannot
know those apps: they are built on it. So each app declares, when it is ready, a section
of its pages about a kind of subject (``register``); the subject's page shows every
declared section that has pages (``sections_about``), in the order the apps declared them.
Apps may also offer an action on a subject's page, a link to a page of theirs ("Host a
screening of this film", "RSVP"), the same way (``register_action``, ``actions_about``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class RelatedSection:
    """A titled group of cards: ``pages(subject)`` lists them, ``summary`` names the teaser.

    ``feed(subject)`` and ``rss_feed(subject)``, if given, are the addresses of an Atom and
    an RSS feed of the same pages, which the subject's page links to (and announces in its
    head).
    """

    heading: str
    anchor: str
    pages: Callable[[Model], list]
    summary: str
    feed: Callable[[Model], str] | None = None
    rss_feed: Callable[[Model], str] | None = None


@dataclass(frozen=True)
class RelatedAction:
    """A link an app offers on a subject's page: ``url(subject)`` is its address, or None
    where it does not apply (a screening that takes no RSVPs here). ``group`` says where on
    the page it goes ("screenings" on a film's page, "tickets" on a screening's)."""

    group: str
    text: Callable[[Model], str]
    url: Callable[[Model], str | None]


_sections: dict[str, list[RelatedSection]] = defaultdict(list)
_actions: dict[str, list[RelatedAction]] = defaultdict(list)


def register(subject: str, section: RelatedSection) -> None:
    """Show ``section`` on the page of every ``subject`` ("app_label.Model")."""
    if section not in _sections[subject]:
        _sections[subject].append(section)


FEED_TYPES = (("feed", "application/atom+xml"), ("rss_feed", "application/rss+xml"))


def feeds_about(subject: Model) -> list[dict]:
    """The feeds of the declared sections about ``subject`` (Atom, then RSS), with titles
    naming it and the media type a ``<link rel="alternate">`` announces."""
    return [
        {"title": f"{section.heading}: {subject}", "url": address(subject), "type": media_type}
        for section in _sections[subject._meta.label]
        for attribute, media_type in FEED_TYPES
        if (address := getattr(section, attribute)) is not None
    ]


def sections_about(subject: Model) -> list[dict]:
    """The declared sections about ``subject`` that have pages, each with its cards."""
    found = []
    for section in _sections[subject._meta.label]:
        pages = section.pages(subject)
        if pages:
            cards = [{"item": page, "summary": getattr(page, section.summary)} for page in pages]
            found.append({"heading": section.heading, "anchor": section.anchor, "cards": cards})
    return found


def register_action(subject: str, action: RelatedAction) -> None:
    """Offer ``action`` on the page of every ``subject`` ("app_label.Model")."""
    if action not in _actions[subject]:
        _actions[subject].append(action)


def actions_about(subject: Model) -> dict[str, list[dict]]:
    """The declared actions that apply to ``subject``, by group: ``{group: [{text, url}]}``."""
    found: dict[str, list[dict]] = defaultdict(list)
    for action in _actions[subject._meta.label]:
        url = action.url(subject)
        if url:
            found[action.group].append({"text": action.text(subject), "url": url})
    return dict(found)
