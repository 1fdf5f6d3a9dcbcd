"""Forms for resources: the admin's (the PDF checked and cleaned), and the public filters."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cms.page_cache.dependencies import shows
from cms.publishing.forms import PublishableAdminForm
from films.models import Film

from .pdfs import size_text
from .resources import AUDIENCES, GRADE_BANDS, LANGUAGE_NAMES, ResourceQuerySet, Subject


class StoredFile:
    """The stored PDF as the file widget shows it: its name, linked to its download."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name


class PdfInput(AdminFileWidget):
    """The admin's file input, for PDFs, whose "Currently" link is the resource's download.

    Uploaded media is not served as such (``cms.media.serving`` serves images alone), so
    the widget's usual link to the stored name would lead nowhere.
    """

    download_url = ""

    def __init__(self, attrs=None) -> None:
        super().__init__({"accept": "application/pdf,.pdf", **(attrs or {})})

    def format_value(self, value):
        if self.is_initial(value) and self.download_url:
            return StoredFile(value.name.rsplit("/", 1)[-1], self.download_url)
        return super().format_value(value)


class ResourceAdminForm(PublishableAdminForm):
    """The publishing form, whose uploaded PDF is checked and stored as a clean copy.

    A refused file is a field error that names the reason; nothing is written to storage
    until the whole form is valid and the resource is saved.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is None:
            return
        field.help_text = _(
            "A PDF of up to %(limit)s. It is checked (no scripts, actions, attachments or "
            "password) and stored without its document properties (author, title, software)."
        ) % {"limit": size_text(settings.OUTREACH_RESOURCE_MAX_BYTES)}
        if self.instance.pk and self.instance.file and isinstance(field.widget, PdfInput):
            field.widget.download_url = reverse(
                "outreach:resource-download", kwargs={"slug": self.instance.slug}
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new upload: unchanged and cleared need no check
            self.instance.attach_pdf(upload)
            return self.instance.file
        return upload

    def _post_clean(self) -> None:
        refused = self.has_error("file")
        super()._post_clean()
        if refused:
            # The PDF's refusal is said at the field; "Give a PDF or a link" beside it would
            # only contradict the upload just made.
            errors = self._errors["file"]
            errors.data = [
                error for error in errors.data if getattr(error, "code", "") != "neither"
            ]


@dataclass(frozen=True)
class FilterChoices:
    """The (value, label) pairs the filters offer: plain values, so they can be kept
    (``cms.page_cache.kept``) and a filtered list checked without building a query."""

    films: tuple[tuple[str, str], ...]
    subjects: tuple[tuple[str, str], ...]
    languages: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, live: ResourceQuerySet) -> FilterChoices:
        """What the ``live`` resources are about: their films, subjects and languages."""
        shows(live.model, Film, Subject)  # read through subqueries, which are not recorded
        films = Film.objects.filter(resources__in=live).distinct().order_by("title")
        subjects = Subject.objects.filter(resources__in=live).distinct().order_by("name")
        languages = live.order_by().values_list("language", flat=True).distinct()
        return cls(
            films=tuple(films.values_list("slug", "title")),
            subjects=tuple(subjects.values_list("slug", "name")),
            languages=tuple(sorted(
                ((code, str(LANGUAGE_NAMES.get(code, code))) for code in languages),
                key=lambda choice: choice[1],
            )),
        )  # fmt: skip


class ResourceFilterForm(forms.Form):
    """The filters of ``/resources/``: film, audience, grade band, subject and language.

    Each offers the values that find live resources. A value that is not one of them (a
    typed or stale address) is reported as an error and ignored; the others still apply.
    """

    film = forms.ChoiceField(label=_("Film"), required=False)
    audience = forms.ChoiceField(
        label=_("For"), required=False,
        choices=[("", _("Everyone")), *((a.value, a.label) for a in AUDIENCES)],
    )  # fmt: skip
    grade = forms.ChoiceField(
        label=_("Grades"), required=False,
        choices=[("", _("All grades")), *((band.value, band.label) for band in GRADE_BANDS)],
    )  # fmt: skip
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, offered: FilterChoices, **kwargs) -> None:
        """``offered``: the films, subjects and languages of live resources (``FilterChoices``)."""
        super().__init__(*args, **kwargs)
        self.fields["film"].choices = [("", _("All films")), *offered.films]
        self.fields["subject"].choices = [("", _("All subjects")), *offered.subjects]
        self.fields["language"].choices = [("", _("All languages")), *offered.languages]

    def filter(self, resources: ResourceQuerySet) -> ResourceQuerySet:
        """Apply every filter whose value is valid; the others are left as form errors."""
        self.is_valid()
        value = self.cleaned_data.get
        if value("film"):
            resources = resources.filter(film__slug=value("film"))
        if value("audience"):
            audience = next(a for a in AUDIENCES if a.value == value("audience"))
            resources = resources.for_audience(audience)
        if value("grade"):
            band = next(band for band in GRADE_BANDS if band.value == value("grade"))
            resources = resources.for_grades(band.low, band.high)
        if value("subject"):
            resources = resources.filter(subjects__slug=value("subject"))
        if value("language"):
            resources = resources.filter(language=value("language"))
        for name in self.errors:  # tie each ignored filter to the note saying so
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": "filters-ignored"}
            )
        return resources

    @property
    def ignored_labels(self) -> list[str]:
        """The labels of the filters whose values were not recognised."""
        return [str(self.fields[name].label) for name in self.errors]

    @property
    def active(self) -> bool:
        """Whether any valid filter applies."""
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)
