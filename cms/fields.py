"""Model fields shared by the content apps."""

from django.db import models


class UnicodeSlugField(models.SlugField):
    """A slug that keeps non-ASCII letters, so names like "Zhào" stay readable in URLs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_unicode", True)
        super().__init__(*args, **kwargs)
