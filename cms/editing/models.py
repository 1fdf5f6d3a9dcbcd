"""An editor's autosaved form and who has which admin form open.

Both point at the page they concern through a content type and an object id, as the
admin's own ``LogEntry`` does, so the kit knows no domain model. Neither is content: an
autosave is never published and is not a revision; it is a private copy of one editor's
unsaved form, offered back to that editor only.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def object_filter(content_type: ContentType, object_id: int | None) -> Q:
    """The rows about one admin form: a page, or (``object_id`` None) the add form."""
    if object_id is None:
        return Q(content_type=content_type, object_id__isnull=True)
    return Q(content_type=content_type, object_id=object_id)


class AutosaveQuerySet(models.QuerySet):
    def for_form(self, user, content_type: ContentType, object_id: int | None) -> AutosaveQuerySet:
        return self.filter(object_filter(content_type, object_id), user=user)

    def expired(self) -> AutosaveQuerySet:
        """Autosaves nobody came back to within ``CMS_AUTOSAVE_KEEP_DAYS``."""
        cutoff = timezone.now() - timedelta(days=settings.CMS_AUTOSAVE_KEEP_DAYS)
        return self.filter(saved_at__lt=cutoff)


class Autosave(models.Model):
    """One editor's unsaved admin form, kept so a closed tab or a crash loses nothing.

    ``data`` holds what the browser's form holds: ``fields`` maps each field name (inline
    rows and their management form included) to its list of values; ``labels`` keeps the
    text of chosen options of selects that load their options on demand (autocomplete).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("editor"))  # fmt: skip
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(
        _("object id"), null=True, blank=True, help_text=_("Empty for a page not yet added.")
    )
    data = models.JSONField(_("form data"))
    saved_at = models.DateTimeField(_("saved at"))

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("autosaved form")
        verbose_name_plural = _("autosaved forms")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="cms_autosave_one_per_page"
            ),
            models.UniqueConstraint(
                fields=["user", "content_type"],
                condition=Q(object_id__isnull=True),
                name="cms_autosave_one_per_add_form",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.content_type} {self.object_id or 'new'} · {self.saved_at}"

    @classmethod
    def store(cls, user, content_type: ContentType, object_id: int | None, data: dict) -> Autosave:
        """Keep ``data`` as this editor's one autosave of this form, replacing an older one."""
        autosave, _created = cls.objects.update_or_create(
            user=user, content_type=content_type, object_id=object_id,
            defaults={"data": data, "saved_at": timezone.now()},
        )  # fmt: skip
        return autosave

    @staticmethod
    def parse(body: bytes) -> dict:
        """The form data a browser sent, checked; ``ValidationError`` says what is wrong.

        Checked to the shape the restoring script reads, so nothing stored can break it:
        ``{"fields": {name: [str, ...]}, "labels": {name: {value: text}}}``.
        """
        if len(body) > settings.CMS_AUTOSAVE_MAX_BYTES:
            raise ValidationError(
                _("The form is too large to autosave (limit %(limit)d kB).")
                % {"limit": settings.CMS_AUTOSAVE_MAX_BYTES // 1024},
                code="too_large",
            )
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError) as error:
            raise ValidationError(
                _("The autosave is not valid JSON: %(error)s") % {"error": error}, code="json"
            ) from error
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            raise ValidationError(
                _('The autosave must be an object with a "fields" object.'), code="shape"
            )
        labels = data.get("labels", {})
        fields_ok = all(
            isinstance(values, list) and all(isinstance(v, str) for v in values)
            for values in data["fields"].values()
        )
        labels_ok = isinstance(labels, dict) and all(
            isinstance(texts, dict) and all(isinstance(t, str) for t in texts.values())
            for texts in labels.values()
        )
        if not fields_ok or not labels_ok:
            raise ValidationError(
                _('Each field must be a list of strings, each label a {"value": "text"} object.'),
                code="shape",
            )
        return {"fields": data["fields"], "labels": labels}


class PresenceQuerySet(models.QuerySet):
    def active(self) -> PresenceQuerySet:
        """Forms whose heartbeat came within ``CMS_PRESENCE_STALE_SECONDS``."""
        return self.filter(seen_at__gte=Presence.stale_before())

    def stale(self) -> PresenceQuerySet:
        return self.filter(seen_at__lt=Presence.stale_before())

    def others_on(self, user, content_type: ContentType, object_ids: list) -> PresenceQuerySet:
        """Who else has any of these pages open now, earliest first, with their accounts."""
        return (
            self.active()
            .filter(content_type=content_type, object_id__in=object_ids)
            .exclude(user=user)
            .select_related("user")
            .order_by("started_at")
        )


class Presence(models.Model):
    """An editor has a page's admin form open: kept alive by the form's heartbeat."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("editor"))  # fmt: skip
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    started_at = models.DateTimeField(_("editing since"))
    seen_at = models.DateTimeField(_("last heartbeat"))

    objects = PresenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("editor presence")
        verbose_name_plural = _("editor presences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="cms_presence_one_per_page"
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "seen_at"], name="cms_presence_page_idx"
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.content_type} {self.object_id} since {self.started_at}"

    @staticmethod
    def stale_before():
        return timezone.now() - timedelta(seconds=settings.CMS_PRESENCE_STALE_SECONDS)

    @classmethod
    def beat(cls, user, content_type: ContentType, object_id: int) -> Presence:
        """This editor still has the page open; "since" restarts after a lapse."""
        now = timezone.now()
        presence, created = cls.objects.get_or_create(
            user=user, content_type=content_type, object_id=object_id,
            defaults={"started_at": now, "seen_at": now},
        )  # fmt: skip
        if not created:
            if presence.seen_at < cls.stale_before():
                presence.started_at = now
            presence.seen_at = now
            presence.save(update_fields=["started_at", "seen_at"])
        return presence

    @property
    def editor_name(self) -> str:
        """Full name, or the user name when none is set."""
        return self.user.get_full_name() or self.user.get_username()
