"""The sitemap of live pages; each content app lists its own pages in its ``sitemaps.py``."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urljoin

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.utils.functional import cached_property

from cms.media.models import Image

# Django's reverse() quotes a path with these left as they are; a slug is quoted alike.
PATH_SAFE = "!$&'()*+,;=/~:@"


class PagePaginator(Paginator):
    """Counts the rows only as far as the row after page ``asked`` (None: all of them).

    A sitemap page needs to know that it is not past the end; the index, which lists every
    page, counts them all.
    """

    def __init__(self, object_list, per_page: int, asked: int | str | None = None, *,
                 counted: QuerySet) -> None:  # fmt: skip
        super().__init__(object_list, per_page)
        self.counted = counted.order_by()  # the rows alone, without the joins shown
        try:
            self.bound = max(int(asked), 1) * per_page + 1 if asked is not None else None
        except (TypeError, ValueError):
            self.bound = None  # not a page number: a 404 whatever the count

    @cached_property
    def count(self) -> int:
        rows = self.counted
        return rows.count() if self.bound is None else rows[: self.bound].count()


class LivePublishableSitemap(Sitemap):
    """Every live page of ``model``, with the time it last changed and its hero image.

    ``image_field`` names the foreign key to the picture the page leads with; the sitemap
    template lists it as an image-sitemap entry when viewers may see it.

    A sitemap page reads rows as plain values (no model instances) and builds each
    address from one ``reverse()``: its cost is its ``limit`` of URLs, whatever the
    number of pages, and it counts rows only as far as its own end. The index's "last
    modified" is one row read along an index, not a pass over every live row.
    """

    model = None
    changefreq = "weekly"
    image_field: str | None = None
    # URLs per sitemap page. The protocol allows 50,000 and a crawler takes any size; a
    # page of 1,000 (185 KB) is served from its kept copy for about the cost of any page,
    # and made again after an edit in tens of milliseconds, at whatever size the site is.
    limit = 1_000
    url_field = "slug"  # the field ``get_absolute_url()`` puts in the address ...
    url_mark = "sitemap-slug-mark"  # ... and a value of it that reverse() leaves as it is
    lastmod_field: str | None = "updated_at"
    asked_page: int | str | None = None  # while one page is made (``get_urls``)

    def rows(self) -> QuerySet:
        """The live rows in the order the pages list them, newest first."""
        return self.model.objects.live().order_by("-publish_at", "-pk")

    def items(self) -> QuerySet:
        fields = {"key": F(self.url_field)}
        if self.lastmod_field:
            fields["modified"] = F(self.lastmod_field)
        if self.image_field:
            fields |= {
                "image_file": F(f"{self.image_field}__file"),
                "image_expires": F(f"{self.image_field}__licence_expires_on"),
            }
        return self.rows().values(**fields)

    @cached_property
    def address_parts(self) -> tuple[str, str]:
        """The model's address around ``url_field``: ``get_absolute_url()`` of a marked row."""
        address = self.model(**{self.url_field: self.url_mark}).get_absolute_url()
        before, mark, after = address.partition(str(self.url_mark))
        if not mark:
            raise ValueError(f"{self.model.__name__}'s address does not hold its {self.url_field}")
        return before, after

    def location(self, item: dict) -> str:
        before, after = self.address_parts
        return before + quote(str(item["key"]), safe=PATH_SAFE) + after

    def lastmod(self, item: dict) -> datetime | None:
        return item.get("modified")

    def get_latest_lastmod(self) -> datetime | None:
        """The section's last change, for the index: the live row changed last.

        Read along an index on the field where the model has one (``ORDER BY ... LIMIT 1``
        stops at the first live row), rather than an aggregate over every live row.
        """
        if not self.lastmod_field:
            return None
        latest = self.rows().order_by(f"-{self.lastmod_field}").values_list(self.lastmod_field)
        return next(iter(latest[:1]), (None,))[0]

    def images(self, item: dict) -> list:
        """The hero image, when viewers may see it (``Image.is_usable``, the one rule)."""
        if not self.image_field or not item["image_file"]:
            return []
        image = Image(file=item["image_file"], licence_expires_on=item["image_expires"])
        return [image] if image.is_usable else []

    @property
    def paginator(self) -> Paginator:
        return PagePaginator(self._items(), self.limit, self.asked_page, counted=self.rows())

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        self.asked_page = page
        try:
            urls = super().get_urls(page=page, site=site, protocol=protocol)
        finally:
            self.asked_page = None
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}/"
        for url in urls:  # media on object storage already has absolute URLs
            url["images"] = [urljoin(origin, image.url) for image in self.images(url["item"])]
        return urls
