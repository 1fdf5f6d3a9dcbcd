"""The admin form of every publishable page: the stale-edit token and its check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from cms.publishing.history import compare, version_document
from cms.publishing.models import Publishable


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["edit_token"] = edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not self.can_publish:
            self.refuse_publishing_changes(cleaned)
        # "Leave empty to use the moment it is published": fill it in before the model's
        # constraint (a published page has a date) is checked.
        published = cleaned.get("status") == Publishable.Status.PUBLISHED
        if published and "publish_at" in self.fields and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        if not self.instance.pk:
            return cleaned
        # Lock the row for the rest of the save, so two saves cannot both pass this check.
        current = type(self.instance).objects.select_for_update().get(pk=self.instance.pk)
        opened = self.data.get(self.add_prefix("edit_token"), "")
        if opened and opened != edit_token(current):
            raise ValidationError(self.stale_message(opened, current), code="stale")
        return cleaned

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
