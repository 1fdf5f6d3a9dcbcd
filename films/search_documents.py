"""Films, people and screenings in the site search."""

from __future__ import annotations

from cms.searching import Entry, SearchDocument, plain, tag_names, tidy

from .models import Credit, Film, Person, Screening


class FilmDocument(SearchDocument):
    model = Film
    depends_on = ("credits__person", "tags")

    def rows(self):
        return Film.objects.prefetch_related("tags", "credits__person")

    def visible(self):
        return Film.objects.live()

    def fields(self, film: Film) -> Entry:
        return Entry(
            title=film.title,
            keywords=" ".join(
                [tag_names(film), str(film.year or "")]
                + [credit.person.name for credit in film.credits.all()]
            ),
            summary=tidy(film.logline, film.search_description),
            body=plain(film.synopsis),
            url=film.get_absolute_url(),
            date=film.publish_at,
        )


class PersonDocument(SearchDocument):
    """A person has no page of their own: a result links to their most recent live film."""

    model = Person
    depends_on = ("credits",)

    def rows(self):
        return Person.objects.prefetch_related("credits")

    def visible(self):
        return Person.objects.visible()

    def fields(self, person: Person) -> Entry:
        return Entry(
            title=person.name,
            keywords=" ".join(credit.get_role_display() for credit in person.credits.all()),
            summary=person.bio,
        )

    def link(self, hits: list) -> None:
        credits = (
            Credit.objects.visible()
            .filter(person_id__in=[hit.object_id for hit in hits])
            .select_related("film")
            .order_by("person_id", "-film__year", "sort_order")
        )
        films: dict[int, Film] = {}
        for credit in credits:
            films.setdefault(credit.person_id, credit.film)
        for hit in hits:
            film = films.get(hit.object_id)
            hit.url = film.get_absolute_url() if film else ""
            hit.context = f"In {film.title}" if film else ""


class ScreeningDocument(SearchDocument):
    """Titled after its film unless it has a title of its own."""

    model = Screening
    depends_on = ("film",)

    def rows(self):
        return Screening.objects.select_related("film")

    def visible(self):
        return Screening.objects.visible()

    def fields(self, screening: Screening) -> Entry:
        return Entry(
            title=screening.display_title,
            keywords=" ".join(
                [
                    screening.venue,
                    screening.place,
                    screening.get_kind_display(),
                    screening.film.title,
                ]
            ),
            summary=screening.address,
            body=screening.notes,
            url=screening.get_absolute_url(),
            date=screening.starts_at,
        )
