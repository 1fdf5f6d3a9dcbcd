"""Engagement resources in the site search: found by title, film, subjects and summary."""

from __future__ import annotations

from cms.searching import Entry, SearchDocument, tidy

from .resources import Resource


class ResourceDocument(SearchDocument):
    """Its film, kind, grades, audiences and subjects are keywords: "lesson plan civics"."""

    model = Resource
    depends_on = ("film", "subjects")

    def rows(self):
        return Resource.objects.select_related("film").prefetch_related("subjects")

    def visible(self):
        return Resource.objects.live()

    def fields(self, resource: Resource) -> Entry:
        return Entry(
            title=resource.title,
            keywords=tidy(
                resource.film.title,
                resource.get_kind_display(),
                resource.grades_text,
                " ".join(str(audience.label) for audience in resource.audiences),
                " ".join(subject.name for subject in resource.subjects.all()),
            ),
            summary=tidy(resource.summary, resource.search_description),
            url=resource.get_absolute_url(),
            date=resource.publish_at,
        )
