"""Engagement resources: discussion guides, lesson plans and the like, per film.

A resource is a published page (``Publishable``: drafts, scheduling, history) with either
an uploaded PDF, checked and cleaned before it is stored (``pdfs``), or a link elsewhere.
Teachers find them by grade band, subject, audience and language on ``/resources/``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.page_cache.models import PublicContent
from cms.publishing.models import (
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    SlugManager,
    live_condition,
)
from films.models import Credit, Film

from .pdfs import checked_pdf, size_text


class Grade(models.IntegerChoices):
    """School grades as US educators name them, then beyond school."""

    KINDERGARTEN = 0, _("Kindergarten")
    GRADE_1 = 1, _("Grade 1")
    GRADE_2 = 2, _("Grade 2")
    GRADE_3 = 3, _("Grade 3")
    GRADE_4 = 4, _("Grade 4")
    GRADE_5 = 5, _("Grade 5")
    GRADE_6 = 6, _("Grade 6")
    GRADE_7 = 7, _("Grade 7")
    GRADE_8 = 8, _("Grade 8")
    GRADE_9 = 9, _("Grade 9")
    GRADE_10 = 10, _("Grade 10")
    GRADE_11 = 11, _("Grade 11")
    GRADE_12 = 12, _("Grade 12")
    COLLEGE = 13, _("College")
    ADULT = 14, _("Adult learners")


class Subject(PublicContent):
    """A school subject or discipline ("Civics", "Visual arts"), kept by editors."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = SlugManager()  # fixtures name subjects by slug

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


def school_grade(grade: int) -> str:
    """A school grade as it is written in a range: "K", "1" ... "12"."""
    return "K" if grade == Grade.KINDERGARTEN else str(grade)


def grade_range_text(low: int | None, high: int | None) -> str:
    """How a grade range reads: "Grades 9–12", "Grade 5", "Grade 9 to adult learners"."""
    if low is None or high is None:
        return ""
    if low == high:
        return str(Grade(low).label)
    if high <= Grade.GRADE_12:
        return f"Grades {school_grade(low)}–{school_grade(high)}"
    return f"{Grade(low).label} to {str(Grade(high).label).lower()}"


@dataclass(frozen=True)
class GradeBand:
    """A band teachers search by, as written in the address (``?grade=9-12``)."""

    value: str
    low: int
    high: int

    @property
    def label(self) -> str:
        return grade_range_text(self.low, self.high)


GRADE_BANDS = [
    GradeBand("k-2", Grade.KINDERGARTEN, Grade.GRADE_2),
    GradeBand("3-5", Grade.GRADE_3, Grade.GRADE_5),
    GradeBand("6-8", Grade.GRADE_6, Grade.GRADE_8),
    GradeBand("9-12", Grade.GRADE_9, Grade.GRADE_12),
    GradeBand("college", Grade.COLLEGE, Grade.COLLEGE),
    GradeBand("adult", Grade.ADULT, Grade.ADULT),
]


@dataclass(frozen=True)
class Audience:
    """Who a resource is for, as written in the address (``?audience=educators``)."""

    value: str
    label: str
    field: str
    educational_role: str  # schema.org's EducationalAudience.educationalRole


AUDIENCES = [
    Audience("educators", _("Educators"), "for_educators", "teacher"),
    Audience("community-hosts", _("Community hosts"), "for_hosts", "community host"),
    Audience("students", _("Students"), "for_students", "student"),
]
LANGUAGE_NAMES = dict(global_settings.LANGUAGES)


class ResourceQuerySet(PublishableQuerySet):
    """What the resource pages show, and the rule that a resource is seen with its film only.

    A resource is about its film: while the film is not live (a draft, scheduled, expired),
    nor are its resources, so no page, list, search result or sitemap names it early.
    """

    def live_condition(self, at: datetime | None = None) -> Q:
        return live_condition(at) & live_condition(at, prefix="film__")

    def for_grades(self, low: int, high: int) -> ResourceQuerySet:
        """Resources whose grade range overlaps ``low``–``high``."""
        return self.filter(grade_from__lte=high, grade_to__gte=low)

    def for_audience(self, audience: Audience) -> ResourceQuerySet:
        return self.filter(**{audience.field: True})

    def for_cards(self) -> ResourceQuerySet:
        """With the picture a card shows: the resource's own, else its film's poster."""
        return self.select_related("social_image", "film__poster").prefetch_related(
            "social_image__renditions", "film__poster__renditions"
        )

    def for_listing(self) -> ResourceQuerySet:
        return self.select_related("film").prefetch_related("subjects")

    def for_detail(self) -> ResourceQuerySet:
        credits = Credit.objects.select_related("person")  # the film's director, in JSON-LD
        return self.for_cards().prefetch_related(
            "subjects", Prefetch("film__credits", queryset=credits)
        )


class ResourceManager(PublishableManager.from_queryset(ResourceQuerySet)):
    pass


def resource_upload_to(resource: Resource, filename: str) -> str:
    """A random folder, so that a draft's file cannot be guessed; the slug to recognise it."""
    name = slugify(resource.slug)[:60].strip("-") or "resource"
    return f"resources/{uuid.uuid4().hex}/{name}.pdf"


class Resource(Publishable):
    class Kind(models.TextChoices):
        DISCUSSION_GUIDE = "discussion-guide", _("Discussion guide")
        LESSON_PLAN = "lesson-plan", _("Lesson plan")
        ACTIVITY = "activity", _("Activity")
        FACT_SHEET = "fact-sheet", _("Fact sheet")
        FURTHER_READING = "further-reading", _("Further reading")

    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="resources", verbose_name=_("film")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary"), help_text=_("Two or three sentences: what it is for."))
    for_educators = models.BooleanField(_("for educators"), default=False)
    for_hosts = models.BooleanField(_("for community hosts"), default=False)
    for_students = models.BooleanField(_("for students"), default=False)
    grade_from = models.PositiveSmallIntegerField(
        _("from grade"), choices=Grade.choices, null=True, blank=True
    )
    grade_to = models.PositiveSmallIntegerField(
        _("to grade"), choices=Grade.choices, null=True, blank=True
    )
    subjects = models.ManyToManyField(
        Subject, related_name="resources", blank=True, verbose_name=_("subjects")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=global_settings.LANGUAGES, default="en"
    )
    file = models.FileField(_("PDF"), upload_to=resource_upload_to, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True, editable=False)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True, editable=False)
    url = models.URLField(_("link"), blank=True, help_text=_("Instead of a PDF: where it lives."))

    objects = ResourceManager()

    class Meta(Publishable.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        permissions = [
            ("publish_resource", "Can publish, schedule and unpublish resources"),
            ("approve_resource", "Can approve resources submitted for review"),
        ]
        ordering = ["film__title", "kind", "title"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="outreach_resource_file_or_link",
            ),
            models.CheckConstraint(
                condition=Q(grade_from__isnull=True)
                | Q(grade_to__isnull=True)
                | Q(grade_to__gte=models.F("grade_from")),
                name="outreach_resource_grades_in_order",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("outreach:resource", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs) -> None:
        if not self.file:  # a link now, or no file yet: nothing to describe
            self.file_size = self.page_count = None
        super().save(*args, **kwargs)

    def attach_pdf(self, upload: File) -> None:
        """Check an uploaded PDF (``pdfs.checked_pdf``) and keep its clean copy as the file.

        Raises ``ValidationError`` with the reason for a refused file, changing nothing.
        The copy is written to storage when the resource is saved.
        """
        checked = checked_pdf(upload)
        self.file = ContentFile(checked.content, name="resource.pdf")
        self.file_size = checked.size
        self.page_count = checked.page_count

    def with_contents(self) -> Resource:
        """The resource with all its page shows: its film with the credits the JSON-LD names,
        its subjects and its pictures; loaded on first use from the parts of its page that
        are rendered (``ResourceQuerySet.for_detail`` in a page's own query), not again."""
        credits = Credit.objects.select_related("person")
        prefetch_related_objects(
            [self], "social_image__renditions", "film__poster__renditions", "subjects",
            Prefetch("film__credits", queryset=credits),
        )  # fmt: skip
        return self

    @property
    def image(self):
        """The picture a card shows: the resource's sharing image, else its film's poster."""
        return self.social_image or self.film.poster

    @property
    def audiences(self) -> list[Audience]:
        return [audience for audience in AUDIENCES if getattr(self, audience.field)]

    @property
    def grades_text(self) -> str:
        """ "Grades 9–12", "Grade 9 to adult learners"; empty without grades."""
        return grade_range_text(self.grade_from, self.grade_to)

    @property
    def language_name(self) -> str:
        return str(LANGUAGE_NAMES.get(self.language, self.language))

    @property
    def language_tag(self) -> str:
        """The language as a BCP 47 tag: "en", "pt-BR", "zh-Hans"."""
        first, *rest = self.language.split("-")
        subtags = [part.upper() if len(part) == 2 else part.title() for part in rest]
        return "-".join([first, *subtags])

    @property
    def file_text(self) -> str:
        """What the download button says of the file: "PDF, 12 pages, 340 KB"."""
        if not self.file:
            return ""
        parts = ["PDF"]
        if self.page_count:
            pages = ngettext("%(count)d page", "%(count)d pages", self.page_count)
            parts.append(pages % {"count": self.page_count})
        if self.file_size:
            parts.append(size_text(self.file_size))
        return ", ".join(parts)

    @property
    def link_host(self) -> str:
        """Where a linked resource lives, as people name sites: "pbs.org"."""
        return (urlsplit(self.url).hostname or "").removeprefix("www.")

    @property
    def download_filename(self) -> str:
        """A name any system accepts for the downloaded file: ASCII letters, digits, hyphens."""
        return f"{slugify(self.slug)[:100].strip('-') or 'resource'}.pdf"

    def clean(self) -> None:
        super().clean()
        # Said at a field, so that the check constraint saying the same is not checked too.
        if self.file and self.url:
            raise ValidationError(
                {"url": ValidationError(_("Give either a PDF or a link, not both."), code="both")}
            )
        if not self.file and not self.url:
            raise ValidationError(
                {"file": ValidationError(_("Give a PDF or a link."), code="neither")}
            )
        if (self.grade_from is None) != (self.grade_to is None):
            raise ValidationError({"grade_to": _("Give both ends of the grade range, or neither.")})
        if self.grade_from is not None and self.grade_to < self.grade_from:
            raise ValidationError({"grade_to": _("The range must end at or after its start.")})
