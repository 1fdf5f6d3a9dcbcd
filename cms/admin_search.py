"""Admin search through the site's search index: words in answers, captions and bodies."""

from __future__ import annotations


class IndexedSearchAdminMixin:
    """Filled by issue 15, part 7."""
