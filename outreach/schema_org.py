"""schema.org description of an engagement resource: a ``LearningResource`` about its film.

Search engines and educational catalogues read who it is for (``audience`` with each
``educationalRole``), the grades (``educationalLevel``), the subjects it teaches, its
language, the film it is about (a ``Movie``) and, for a PDF, the file (``encoding``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from cms.schema_org import CONTEXT, absolute, image_url, iso, organization
from films.schema_org import movie

from .pdfs import size_text
from .resources import Resource


def learning_resource(resource: Resource, request: HttpRequest) -> dict:
    """The resource as a ``LearningResource``; reads its film's credits and its subjects."""
    page = absolute(request, resource.get_absolute_url())
    return {
        "@context": CONTEXT,
        "@type": "LearningResource",
        "name": resource.title,
        "description": (resource.search_description or resource.summary)[:300],
        "url": page,
        "mainEntityOfPage": page,
        "learningResourceType": resource.get_kind_display(),
        "educationalLevel": resource.grades_text,
        "audience": [
            {"@type": "EducationalAudience", "educationalRole": audience.educational_role}
            for audience in resource.audiences
        ],
        "about": movie(resource.film, request, summary=True),
        "teaches": [subject.name for subject in resource.subjects.all()],
        "inLanguage": resource.language_tag,
        "isAccessibleForFree": True,
        "datePublished": iso(resource.publish_at),
        "dateModified": iso(resource.updated_at),
        "publisher": organization(request),
        "image": image_url(request, resource.image),
        "encoding": file_object(resource, request),
        "sameAs": resource.url,  # a resource that lives elsewhere: its own address
    }


def file_object(resource: Resource, request: HttpRequest) -> dict | None:
    """The PDF as a ``MediaObject`` with its address, format and size; None for a link."""
    if not resource.file:
        return None
    download = reverse("outreach:resource-download", kwargs={"slug": resource.slug})
    return {
        "@type": "MediaObject",
        "contentUrl": absolute(request, download),
        "encodingFormat": "application/pdf",
        "contentSize": size_text(resource.file_size) if resource.file_size else None,
    }
