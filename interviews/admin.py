from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils.translation import gettext_lazy as _

from cms.publishing.admin import PublishableAdmin
from cms.publishing.forms import PublishableAdminForm
from cms.publishing.history import RelatedRows
from films.premieres import PremiereTimedFormMixin, goes_live_text

from .import_admin import import_view
from .models import Figure, Interview, QuestionAnswer, anchor_for


class QuestionAnswerFormSet(BaseInlineFormSet):
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


class QuestionAnswerForm(forms.ModelForm):
    class Meta:
        model = QuestionAnswer
        fields = ["sort_order", "question", "answer", "anchor"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2, "cols": 80})}


class QuestionAnswerInline(admin.StackedInline):
    model = QuestionAnswer
    formset = QuestionAnswerFormSet
    form = QuestionAnswerForm
    extra = 1
    fields = ["sort_order", "question", "answer", "anchor"]
    classes = ["cms-sortable"]


class FigureInline(admin.TabularInline):
    model = Figure
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 28})},
        models.PositiveIntegerField: {"widget": forms.NumberInput(attrs={"style": "width:4em"})},
    }
    extra = 0
    autocomplete_fields = ["image"]
    fields = ["pair", "sort_order", "image", "caption", "credit"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # "After answer" offers this interview's answers only.
        if db_field.name == "pair":
            interview_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = QuestionAnswer.objects.filter(
                interview_id=interview_id if str(interview_id or "").isdigit() else None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InterviewAdminForm(PremiereTimedFormMixin, PublishableAdminForm):
    """The publishing form, with the hours from the film's premiere checked against the film."""


@admin.register(Interview)
class InterviewAdmin(PublishableAdmin):
    form = InterviewAdminForm
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
        js = ["js/admin-reorder.js"]
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
        super().save_related(request, form, formsets, change)
        form.instance.renumber_pairs()
