"""Engagement resources: discussion guides, lesson plans and the like, per film.

A resource is a published page (``Publishable``: drafts, scheduling, history) with either
an uploaded PDF, checked and cleaned before it is stored (``pdfs``), or a link elsewhere.
Teachers find them by grade band, subject, audience and language on ``/resources/``.
"""

from __future__ import annotations

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.page_cache.models import PublicContent
from cms.publishing.models import Publishable, PublishableManager, PublishableQuerySet
from films.models import Film


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

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class ResourceQuerySet(PublishableQuerySet):
    def for_grades(self, low: int, high: int) -> ResourceQuerySet:
        """Resources whose grade range overlaps ``low``–``high``."""
        return self.filter(grade_from__lte=high, grade_to__gte=low)


class ResourceManager(PublishableManager.from_queryset(ResourceQuerySet)):
    pass


def resource_upload_to(resource: Resource, filename: str) -> str:
    return f"resources/{resource.slug or 'resource'}.pdf"


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

    def clean(self) -> None:
        super().clean()
        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Give either a PDF or a link, not both."))
        if (self.grade_from is None) != (self.grade_to is None):
            raise ValidationError({"grade_to": _("Give both ends of the grade range, or neither.")})
        if self.grade_from is not None and self.grade_to < self.grade_from:
            raise ValidationError({"grade_to": _("The range must end at or after its start.")})
