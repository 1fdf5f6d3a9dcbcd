from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from cms.publishing.admin import PublishableAdmin
from cms.publishing.forms import PublishableAdminForm
from cms.publishing.history import RelatedRows
from cms.sortable_admin import (
    OrderedInlineForm,
    OrderedInlineFormSet,
    OrderedStackedInline,
    OrderedTabularInline,
)
from films.premieres import PremiereTimedFormMixin, goes_live_text

from .import_admin import import_view
from .models import Figure, Interview, QuestionAnswer, anchor_for


class QuestionAnswerFormSet(OrderedInlineFormSet):
    """Fills blank anchors before uniqueness is checked, so new pairs never clash on ""."""

    def clean(self) -> None:
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        taken = {form.cleaned_data["anchor"] for form in kept if form.cleaned_data.get("anchor")}
        for form in kept:
            if not form.cleaned_data.get("anchor") and form.cleaned_data.get("question"):
                anchor = anchor_for(form.cleaned_data["question"], taken)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
                taken.add(anchor)
        super().clean()


class QuestionAnswerForm(OrderedInlineForm):
    class Meta:
        model = QuestionAnswer
        fields = ["sort_order", "question", "answer", "anchor"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2, "cols": 80})}


class QuestionAnswerInline(OrderedStackedInline):
    """Pairs in reading order: dragged by their heading, the anchor kept in "Advanced"."""

    model = QuestionAnswer
    formset = QuestionAnswerFormSet
    form = QuestionAnswerForm
    extra = 1
    fieldsets = [
        (None, {"fields": ["sort_order", "question", "answer"]}),
        (_("Advanced"), {"fields": ["anchor"], "classes": ["collapse"]}),
    ]


class PairChoiceField(forms.ModelChoiceField):
    """An answer named as the editor sees it: "3. How did you gain…"."""

    default_error_messages = {
        "invalid_choice": _("Choose an answer of this interview (saved answers only).")
    }

    def label_from_instance(self, obj: QuestionAnswer) -> str:
        return f"{obj.sort_order}. {Truncator(obj.question).chars(40)}"


def interview_being_edited(request) -> str | None:
    """The interview a form is about: its id in the address, or on reversion's recover
    page (whose address names only the version) the id of that version's interview."""
    match = request.resolver_match
    interview_id = match.kwargs.get("object_id")
    if interview_id is None and match.url_name == "interviews_interview_recover" and match.args:
        interview_id = (
            Version.objects.filter(pk=match.args[0]).values_list("object_id", flat=True).first()
        )
    return interview_id if str(interview_id or "").isdigit() else None


class FigureInline(OrderedTabularInline):
    """Photos, each after an answer it follows when pairs move.

    Dragging a photo changes only its place among the photos after the same answer; the
    answer it follows is chosen in "After answer". The list reads in the text's order.
    """

    model = Figure
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 28})},
    }
    extra = 0
    autocomplete_fields = ["image"]
    fields = ["pair", "sort_order", "image", "caption", "credit"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("pair")
            .order_by(F("pair__sort_order").asc(nulls_first=True), "pair_id", "sort_order", "id")
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # "After answer" offers this interview's saved answers only, by number.
        if db_field.name == "pair":
            interview_id = interview_being_edited(request)
            return PairChoiceField(
                queryset=QuestionAnswer.objects.filter(interview_id=interview_id).order_by(
                    "sort_order", "id"
                ),
                required=False,
                # The script renumbers these labels as pairs move, and numbers photos
                # among those after the same answer.
                widget=forms.Select(
                    attrs={"data-cms-follows": "pairs", "data-cms-order-within": "pair"}
                ),
                label=db_field.verbose_name.capitalize(),
                empty_label=_("Before the first question"),
                help_text=_(
                    "The answer this photo follows; it moves with that answer. "
                    "Save to place a photo after a new answer."
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InterviewAdminForm(PremiereTimedFormMixin, PublishableAdminForm):
    """The publishing form, with the hours from the film's premiere checked against the film."""


@admin.register(Interview)
class InterviewAdmin(PublishableAdmin):
    form = InterviewAdminForm
    change_list_template = "admin/interviews/interview/change_list.html"
    readonly_fields = ["goes_live_at"]
    list_display = ["title", "film", "live", "state", "goes_live_at", "updated_by"]
    list_filter = [*PublishableAdmin.list_filter, "film", "is_featured", "tags"]
    list_select_related = ["film", "updated_by"]
    search_fields = ["title", "intro", "byline", "pairs__question", "interviewees__name"]
    autocomplete_fields = ["film", "interviewees", "hero_image", "social_image", "video"]
    inlines = [QuestionAnswerInline, FigureInline]
    history_fields = [*PublishableAdmin.history_fields, "byline", "intro", "film", "is_featured"]
    history_related = [
        RelatedRows(QuestionAnswer, "interview", "sort_order", "Question {n}",
                    ("question", "answer")),
        RelatedRows(Figure, "interview", "sort_order", "Figure {n}", ("pair", "caption")),
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["title", "slug", "film", "interviewees", "byline", "intro"]}),
        (_("Presentation"), {"fields": ["hero_image", "video", "is_featured", "tags"]}),
        PublishableAdmin.publishing_fieldset,
        (_("Or at the premiere"), {"fields": ["premiere_offset_hours", "goes_live_at"]}),
        PublishableAdmin.seo_fieldset,
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_urls(self):
        importing = path(
            "import/",
            self.admin_site.admin_view(lambda request: import_view(request, self)),
            name="interviews_interview_import",
        )
        return [importing, *super().get_urls()]

    @admin.display(description=_("goes live at"), ordering="goes_live_at")
    def goes_live_at(self, obj: Interview) -> str:
        return goes_live_text(obj)

    def save_related(self, request, form, formsets, change) -> None:
        # Photos first: one following an answer deleted in the same save is then moved to
        # the answer before by that deletion, instead of being saved pointing at it.
        formsets = sorted(formsets, key=lambda formset: formset.model is not Figure)
        super().save_related(request, form, formsets, change)
        form.instance.renumber_pairs()
