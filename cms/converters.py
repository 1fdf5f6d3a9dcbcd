"""URL converters: slugs may hold any letter, not only ASCII."""


class UnicodeSlugConverter:
    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
