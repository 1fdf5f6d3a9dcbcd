"""The admin form of every publishable page: the Schedule control, the stale-edit token and
its check."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from cms.publishing.history import compare, version_document
from cms.publishing.models import Publishable
from cms.publishing.scheduling import moment_text

# The Schedule control's choices. "scheduled" is the form's word for "published, from a
# moment still to come"; the model stores it as published with that ``publish_at``.
DRAFT, PUBLISHED, SCHEDULED = "draft", "published", "scheduled"
SCHEDULE_ANSWER = "schedule_answer"  # the future-date question's two buttons post this


class DateTimePicker(forms.DateTimeInput):
    """The browser's own date-time picker (``datetime-local``), read in the editor's zone.

    It also reads the admin's split date and time boxes (``<name>_0``, ``<name>_1``), which
    scripts and older tests post.
    """

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")

    def value_from_datadict(self, data, files, name):
        if name not in data and f"{name}_0" in data:
            return " ".join(v for v in (data.get(f"{name}_0"), data.get(f"{name}_1")) if v)
        return super().value_from_datadict(data, files, name)


class InScheduleControl(DateTimePicker):
    """A date-time field drawn inside the Schedule control rather than on a row of its own.

    Hidden as a row (the admin leaves the row out), it renders nothing where the admin
    would put it; ``ScheduleWidget`` draws it with ``DateTimePicker`` beside its choices.
    """

    is_hidden = True

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class ScheduleWidget(forms.RadioSelect):
    """Draft / Publish now / Schedule for [picker], and the expiry in a fold: one control.

    A plain radio group and ``datetime-local`` inputs in a normal POST: it works without
    script, with the keyboard and with a screen reader. ``form`` is set by the form.
    """

    template_name = "admin/cms/scheduling/schedule_widget.html"
    form: forms.Form | None = None

    class Media:
        css = {"all": ["css/admin-schedule.css"]}
        js = ["js/admin-schedule.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        form = self.form
        parts = {}
        for field in ("publish_at", "expire_at"):
            if form is not None and field in form.fields:
                bound = form[field]
                errors = [
                    message
                    for error in form.errors.as_data().get(field, [])
                    if error.code != "schedule_question"
                    for message in error.messages
                ]
                parts[field] = {
                    "html": bound.as_widget(widget=DateTimePicker(), attrs={
                        "aria-describedby": f"{bound.auto_id}_help"
                        + (f" {bound.auto_id}_schedule_error" if errors else "")
                    }),
                    "id": bound.auto_id,
                    "errors": errors,
                    "open": bool(bound.value()),
                }  # fmt: skip
        context["schedule"] = {
            **parts,
            "zone": timezone.get_current_timezone_name(),
            "question": getattr(form, "schedule_question", None),
            "can_publish": getattr(form, "can_publish", True),
        }
        return context


def edit_token(obj) -> str:
    """Which saved state an editor opened: the latest version, or the last save time."""
    latest = Version.objects.get_for_object(obj).values_list("pk", flat=True).first()
    if latest is not None:
        return f"v{latest}"
    return f"t{obj.updated_at.isoformat()}" if obj.updated_at else ""


class PublishableAdminForm(forms.ModelForm):
    """Refuses to save over changes made by someone else since this form was opened."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # Set by PublishableAdmin.get_form: how to describe what changed meanwhile.
    history_fields: list[str] = []
    history_related: list = []
    # Set by PublishableAdmin.get_form: may this editor publish, schedule or unpublish?
    can_publish: bool = True

    # The Schedule control's choice ("draft", "published", "scheduled"), once cleaned.
    schedule_choice: str | None = None
    # Set when a draft was given a future time: the moment the form asks to schedule it for.
    schedule_question: datetime | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["edit_token"] = edit_token(self.instance)
        if "status" in self.fields:
            default = self.fields["status"].initial  # the model's: a new page is a draft
            self.fields["status"] = self.schedule_field()
            self.fields["status"].initial = default
            if self.initial.get("status") == PUBLISHED and self.is_scheduled(self.instance):
                self.initial["status"] = SCHEDULED
        for name in ("publish_at", "expire_at"):
            if name in self.fields:
                # One picker instead of the admin's split date and time boxes, drawn (with
                # help of its own) inside the Schedule control.
                field = self.fields[name]
                self.fields[name] = forms.DateTimeField(
                    label=field.label, required=field.required, widget=InScheduleControl()
                )

    @property
    def schedule_question_text(self) -> str:
        """The moment the future-date question names, on the editor's clock."""
        return moment_text(self.schedule_question) if self.schedule_question else ""

    def schedule_field(self) -> forms.ChoiceField:
        """The status select become Draft / Publish now / Schedule for."""
        obj = self.instance
        live = obj.pk and obj.status == PUBLISHED and not self.is_scheduled(obj)
        field = forms.ChoiceField(
            label=_("Publishing"),
            choices=[
                (DRAFT, _("Draft: only staff see it")),
                (PUBLISHED, _("Published") if live else _("Publish now")),
                (SCHEDULED, _("Schedule for")),
            ],
            widget=ScheduleWidget(),
        )
        field.widget.form = self
        return field

    @staticmethod
    def is_scheduled(obj) -> bool:
        return bool(obj.pk and obj.status == PUBLISHED and obj.publish_at
                    and obj.publish_at > timezone.now())  # fmt: skip

    def clean_status(self) -> str:
        """ "Scheduled" is stored as published; which was chosen is kept for ``clean()``."""
        self.schedule_choice = self.cleaned_data["status"]
        return PUBLISHED if self.schedule_choice == SCHEDULED else self.schedule_choice

    def clean_publish_at(self):
        return self.same_minute_as_stored("publish_at")

    def clean_expire_at(self):
        return self.same_minute_as_stored("expire_at")

    def same_minute_as_stored(self, name: str):
        """The picker shows minutes: a stored 10:23:45 comes back as 10:23, and is kept as
        stored rather than changed by a save that did not touch it."""
        value = self.cleaned_data.get(name)
        stored = getattr(self.instance, name, None)
        if value and stored and value == stored.replace(second=0, microsecond=0):
            return stored
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.can_publish:
            self.refuse_publishing_changes(cleaned)
        self.apply_schedule(cleaned)
        if not self.instance.pk:
            return cleaned
        # Lock the row for the rest of the save, so two saves cannot both pass this check.
        current = type(self.instance).objects.select_for_update().get(pk=self.instance.pk)
        opened = self.data.get(self.add_prefix("edit_token"), "")
        if opened and opened != edit_token(current):
            raise ValidationError(self.stale_message(opened, current), code="stale")
        return cleaned

    def apply_schedule(self, cleaned: dict) -> None:
        """What the Schedule control's choice means for the dates.

        Publish now: from now, unless a time already passed was given (a live page keeps its
        date). Schedule: a time still to come is needed. Draft with a new time to come, from
        an editor who may schedule: ask whether to schedule it (``schedule_question``); the
        answer comes back in ``schedule_answer``.
        """
        choice = self.schedule_choice
        if choice is None or "publish_at" not in self.fields or "publish_at" in self.errors:
            return
        now = timezone.now()
        publish_at = cleaned.get("publish_at")
        if choice == PUBLISHED and (publish_at is None or publish_at > now):
            # Whole seconds: pages print the time in <time datetime>, which allows no more.
            cleaned["publish_at"] = now.replace(microsecond=0)
        elif choice == SCHEDULED and publish_at is None:
            self.add_error(
                "publish_at",
                ValidationError(
                    _("Choose the date and time it goes live."), code="schedule_needs_time"
                ),
            )
        elif choice == SCHEDULED and publish_at <= now:
            self.add_error("publish_at", ValidationError(
                _("%(when)s has passed: choose a time still to come, or “Publish now”.")
                % {"when": moment_text(publish_at)}, code="schedule_in_past"))  # fmt: skip
        elif choice == DRAFT and self.can_publish and publish_at and publish_at > now:
            answer = self.data.get(SCHEDULE_ANSWER)
            if answer == SCHEDULED:
                cleaned["status"], self.schedule_choice = PUBLISHED, SCHEDULED
            elif answer != DRAFT and self.asks_to_schedule():
                self.schedule_question = publish_at
                self.add_error("publish_at", ValidationError(
                    _("This draft has a time still to come (%(when)s). Schedule it for then, "
                      "or keep it as a draft?") % {"when": moment_text(publish_at)},
                    code="schedule_question"))  # fmt: skip
                # Kept, so the page's own checks (an expiry after it) still run and speak.
                cleaned["publish_at"] = publish_at

    def asks_to_schedule(self) -> bool:
        """A draft's time to come is asked about once: when it is given, on a draft (not
        when a scheduled page is taken back to draft and keeps its time)."""
        was_draft = not self.instance.pk or self.instance.status == DRAFT
        return was_draft and "publish_at" in self.changed_data

    def refuse_publishing_changes(self, cleaned: dict) -> None:
        """Without the publish permission a page stays as published or unpublished as it was.

        A draft's dates may change: they are the moment asked for, applied on approval.
        """
        instance = self.instance
        status = instance.status if instance.pk else Publishable.Status.DRAFT
        watched = ["status"]
        if status != Publishable.Status.DRAFT:
            watched += ["publish_at", "expire_at"]
        before = {"status": status, "publish_at": instance.publish_at,
                  "expire_at": instance.expire_at}  # fmt: skip
        if any(name in self.fields and name in cleaned and cleaned[name] != before[name]
               for name in watched):  # fmt: skip
            raise ValidationError(
                _("You may not publish, schedule or unpublish; submit the page for review."),
                code="publish_permission",
            )

    def stale_message(self, opened: str, current) -> str:
        who = current.updated_by.get_username() if current.updated_by else _("someone")
        when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        changed = self.changed_meanwhile(opened, current)
        details = (
            _(" Changed meanwhile: %(fields)s.") % {"fields": ", ".join(changed)} if changed else ""
        )
        return _(
            "%(who)s saved this page at %(when)s, after you opened it.%(details)s Nothing was "
            "saved, so their work is safe: copy your changes, open the page again and re-apply "
            "them."
        ) % {"who": who, "when": when, "details": details}

    def changed_meanwhile(self, opened: str, current) -> list[str]:
        if not opened.startswith("v") or not opened[1:].isdigit():
            return []
        versions = Version.objects.get_for_object(current)
        before = versions.filter(pk=opened[1:]).first()
        latest = versions.first()
        if before is None or latest is None:
            return []
        rows = compare(
            version_document(before, self.history_fields, self.history_related),
            version_document(latest, self.history_fields, self.history_related),
        )
        return [row["label"] for row in rows if row["changed"]]
