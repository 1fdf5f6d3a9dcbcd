"""The search index: one row of plain text per searchable page.

The full-text index over these rows belongs to the database: an FTS5 table on SQLite, a
weighted ``tsvector`` column with a GIN index on PostgreSQL (both made in migration 0002).
Rows hold text only; whether a viewer may see a row is decided when searching, by each
model's own ``live()`` rule, so publishing, scheduling and expiry never wait for the index.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class SearchEntryQuerySet(models.QuerySet):
    def visible(self) -> SearchEntryQuerySet:
        """Entries whose page a viewer may see now, by each kind's own publishing rule.

        Each test is a correlated ``EXISTS`` on the object's primary key, so a search with
        few matches checks those few rows rather than listing every live page.
        """
        from blog.models import Post
        from films.models import Credit, Film, Screening
        from interviews.models import Interview

        def exists(rows: models.QuerySet, field: str = "pk") -> Exists:
            return Exists(rows.filter(**{field: OuterRef("object_id")}))

        live_films = Film.objects.live()
        kind = SearchEntry.Kind
        return self.filter(
            Q(kind=kind.INTERVIEW) & exists(Interview.objects.live())
            | Q(kind=kind.FILM) & exists(live_films)
            | Q(kind=kind.POST) & exists(Post.objects.live())
            | Q(kind=kind.SCREENING) & exists(Screening.objects.filter(film__in=live_films))
            | Q(kind=kind.PERSON) & exists(Credit.objects.filter(film__in=live_films), "person_id")
        )


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("Interviews")
        FILM = "film", _("Films")
        PERSON = "person", _("People")
        SCREENING = "screening", _("Screenings")
        POST = "post", _("News")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=255)
    keywords = models.TextField(_("keywords"), blank=True, help_text=_("Tags, names, places."))
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"
