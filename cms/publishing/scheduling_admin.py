"""Scheduling you can see: the Schedule control, save messages, bulk actions with undo."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.publishing.scheduling import (
    remember_bulk_change,
    schedule_of,
    state_note,
    undo_bulk_change,
    undo_seconds,
)

NOTE_ATTRIBUTE = "_cms_schedule_note"


class SchedulingAdminMixin:
    """The scheduling side of a publishable page's admin (issue 15, part 5).

    A save's message says what it did and when ("Scheduled for Tue 1 Dec, 09:00 your
    time"); bulk publish and unpublish ask first, then can be undone from their message for
    ``CMS_UNDO_SECONDS``. The host admin provides ``has_publish_permission`` and
    ``log_bulk_change``.
    """

    bulk_confirmation_template = "admin/cms/scheduling/confirm_bulk.html"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        row = self.model.objects.with_state().filter(pk=obj.pk).first()
        if row is not None:
            setattr(request, NOTE_ATTRIBUTE, state_note(row))

    def message_user(self, request, message, level=messages.INFO, extra_tags="",
                     fail_silently=False) -> None:  # fmt: skip
        """The admin's "was changed successfully", followed by what the save did and when."""
        note = request.__dict__.pop(NOTE_ATTRIBUTE, None)
        if note and level == messages.SUCCESS:
            message = format_html("{} {}", message, note)
        super().message_user(request, message, level, extra_tags, fail_silently)

    # --- Bulk actions: confirm, apply, undo ------------------------------------------------

    @admin.action(description=_("Publish now"), permissions=["publish"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.bulk_change(request, queryset, "publish_now")

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self.bulk_change(request, queryset, "unpublish")

    def bulk_change(self, request: HttpRequest, queryset: QuerySet, action: str):
        """Ask first (a page listing the items); on "Yes", change them and offer an undo."""
        publishing = action == "publish_now"
        if request.POST.get("post") != "yes":
            return self.confirm_bulk_change(request, queryset, action)
        changing = queryset.drafts() if publishing else queryset.exclude(status="draft")
        by = request.user
        done = _("Published.") if publishing else _("Unpublished.")
        # One transaction, the rows locked: the undo puts back what was changed, and the
        # change and its history are kept together or not at all.
        with transaction.atomic():
            # Locked by key: the list's queryset has outer joins PostgreSQL cannot lock.
            locked = self.model.objects.select_for_update().filter(pk__in=changing.values("pk"))
            before = {row.pk: schedule_of(row) for row in locked}
            ids = queryset.publish(by=by) if publishing else queryset.unpublish(by=by)
            ids = [pk for pk in ids if pk in before]
            self.log_bulk_change(request, ids, done)
        if not ids:
            self.message_user(request, _("Nothing changed: every item chosen was already %(s)s.")
                              % {"s": _("published") if publishing else _("a draft")},
                              messages.WARNING)  # fmt: skip
            return None
        token = remember_bulk_change(request, self.model, {pk: before[pk] for pk in ids}, done)
        text = (
            ngettext("%d item published.", "%d items published.", len(ids))
            if publishing
            else ngettext("%d item unpublished.", "%d items unpublished.", len(ids))
        ) % len(ids)
        self.message_user(request, self.undo_message(request, text, token), messages.SUCCESS)
        return None

    def confirm_bulk_change(self, request: HttpRequest, queryset: QuerySet, action: str):
        publishing = action == "publish_now"
        items = list(queryset.with_state())
        changing = [item for item in items if (item.status == "draft") == publishing]
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish these items?") if publishing else _("Unpublish these items?"),
            "opts": opts,
            "action": action,
            "publishing": publishing,
            "changing": changing,
            "unchanged": [item for item in items if item not in changing],
            "items": items,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": request.get_full_path(),  # the list, with its filters
        }
        return TemplateResponse(request, self.bulk_confirmation_template, context)

    def undo_message(self, request: HttpRequest, text: str, token: str):
        """The success message with an Undo button: a small POST form of its own."""
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_undo", args=[token])
        minutes = max(1, round(undo_seconds() / 60))
        return format_html(
            '{} <form method="post" action="{}" class="cms-undo">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="button">{}</button> <span class="cms-undo__help">{}'
            "</span></form>",
            text, url, get_token(request), _("Undo"),
            ngettext("(for %d minute)", "(for %d minutes)", minutes) % minutes,
        )  # fmt: skip

    def get_urls(self):
        opts = self.model._meta
        undo = path(
            "undo/<str:token>/",
            self.admin_site.admin_view(self.undo_view),
            name=f"{opts.app_label}_{opts.model_name}_undo",
        )
        return [undo, *super().get_urls()]

    def undo_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """Put back what a bulk action changed (POST), or say clearly why not."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        opts = self.model._meta
        changelist = f"admin:{opts.app_label}_{opts.model_name}_changelist"
        if not self.has_publish_permission(request):
            self.message_user(request, _("You may not publish or unpublish, so you cannot undo "
                                         "this."), messages.ERROR)  # fmt: skip
            return redirect(changelist)
        result = undo_bulk_change(request, self.model, token)
        self.message_user(
            request, result.message, messages.SUCCESS if result.ok else messages.ERROR
        )
        return redirect(changelist)
