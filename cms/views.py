"""What every public page has: breadcrumbs and structured data."""

from __future__ import annotations

from cms import schema_org
from cms.fixed_urls import fixed_url


class PageMetadataMixin:
    """Breadcrumbs (shown on the page and given as JSON-LD) and the page's structured data.

    ``section`` is the (label, URL name) of the list page a page belongs under.
    """

    section: tuple[str, str] | None = None

    def get_breadcrumbs(self) -> list[tuple[str, str]]:
        crumbs = [("Home", fixed_url("home"))]
        if self.section:
            crumbs.append((self.section[0], fixed_url(self.section[1])))
        return crumbs

    def get_structured_data(self) -> list[dict]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        breadcrumbs = self.get_breadcrumbs()
        data = self.get_structured_data()
        if len(breadcrumbs) > 2:  # a section's own page needs no trail back to it
            data.append(schema_org.breadcrumb_list(self.request, breadcrumbs))
        context.update(breadcrumbs=breadcrumbs, structured_data=data)
        return context
