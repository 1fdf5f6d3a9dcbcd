"""Pages about a subject, contributed by the apps that write them.

A film's page lists the interviews and the news about the film, yet the films app cannot
know those apps: they are built on it. So each app declares, when it is ready, a section
of its pages about a kind of subject (``register``); the subject's page shows every
declared section that has pages (``sections_about``), in the order the apps declared them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class RelatedSection:
    """A titled group of cards: ``pages(subject)`` lists them, ``summary`` names the teaser.

    ``feed(subject)``, if given, is the address of an Atom feed of the same pages, which the
    subject's page links to from its head.
    """

    heading: str
    anchor: str
    pages: Callable[[Model], list]
    summary: str
    feed: Callable[[Model], str] | None = None


_sections: dict[str, list[RelatedSection]] = defaultdict(list)


def register(subject: str, section: RelatedSection) -> None:
    """Show ``section`` on the page of every ``subject`` ("app_label.Model")."""
    if section not in _sections[subject]:
        _sections[subject].append(section)


def feeds_about(subject: Model) -> list[dict]:
    """The feeds of the declared sections about ``subject``, with titles naming it."""
    return [
        {"title": f"{section.heading}: {subject}", "url": section.feed(subject)}
        for section in _sections[subject._meta.label]
        if section.feed is not None
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
