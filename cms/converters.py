"""URL converters: slugs may hold any letter, not only ASCII; tokens only their alphabet."""


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ShareTokenConverter:
    """A share link's token: URL-safe base64 (``secrets.token_urlsafe``), nothing else.

    Anything else, a NUL byte above all (which PostgreSQL refuses in a query), is a 404
    before any lookup.
    """

    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
