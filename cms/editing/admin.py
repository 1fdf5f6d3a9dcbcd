"""Autosave and presence for admin forms (issue 15, part 3).

The browser does the watching (``static/js/admin-unsaved.js``, ``admin-autosave.js``,
``admin-presence.js``); these views only store what it sends, for the editor who sent it,
after the same permission checks the form itself makes.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms.editing.models import Autosave, Presence


def local_moment(moment) -> str:
    """ "10:42" today, "Tue 1 Dec, 10:42" another day: in the editor's zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return date_format(local, "H:i")
    return date_format(local, "D j M, H:i")


def presence_text(presence: Presence) -> str:
    return _("%(name)s has been editing since %(since)s") % {
        "name": presence.editor_name,
        "since": local_moment(presence.started_at),
    }


class EditingAdminMixin:
    """Offers an editor's autosaved draft back and shows who else has the page open.

    Adds to a ``ModelAdmin``: the scripts that warn before unsaved changes are lost and
    autosave the form; the autosave, discard and heartbeat views; the notices at the top
    of the change form and of the change list. A normal save deletes the editor's autosave.
    """

    change_list_template = "admin/cms/publishable_change_list.html"

    @property
    def media(self) -> forms.Media:
        return super().media + forms.Media(
            js=["js/admin-unsaved.js", "js/admin-autosave.js", "js/admin-presence.js"],
            css={"all": ["css/admin-editing.css"]},
        )

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("add/autosave/", view(self.autosave_view), name=f"{info}_autosave_add"),
            path("add/autosave/discard/", view(self.discard_autosave_view),
                 name=f"{info}_autosave_discard_add"),
            path("<path:object_id>/autosave/", view(self.autosave_view), name=f"{info}_autosave"),
            path("<path:object_id>/autosave/discard/", view(self.discard_autosave_view),
                 name=f"{info}_autosave_discard"),
            path("<path:object_id>/presence/", view(self.presence_view), name=f"{info}_presence"),
            *super().get_urls(),
        ]  # fmt: skip

    # The views -----------------------------------------------------------------------------

    def editable_object(self, request: HttpRequest, object_id: str | None):
        """The page the editor may change (None for an add form they may use), or refuse."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def editing_content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    @staticmethod
    def object_key(obj) -> int | None:
        return None if obj is None else obj.pk

    def autosave_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """Store the form the browser sends (JSON) as this editor's autosave of it."""
        if request.method != "POST":
            return JsonResponse({"error": _("Send the form with POST.")}, status=405)
        obj = self.editable_object(request, object_id)
        try:
            data = Autosave.parse(request.body)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        Autosave.objects.expired().delete()  # the housekeeping: copies nobody came back to
        autosave = Autosave.store(
            request.user, self.editing_content_type(), self.object_key(obj), data
        )
        return JsonResponse({
            "saved_at": autosave.saved_at.isoformat(),
            "message": _("Your changes were autosaved at %(when)s; save the page to keep them.")
            % {"when": local_moment(autosave.saved_at)},
        })  # fmt: skip

    def discard_autosave_view(self, request: HttpRequest, object_id: str | None = None):
        """Delete this editor's autosave of the form and open the form again."""
        if request.method != "POST":
            return HttpResponse(_("Discard with POST."), status=405, content_type="text/plain")
        obj = self.editable_object(request, object_id)
        deleted, _rows = Autosave.objects.for_form(
            request.user, self.editing_content_type(), self.object_key(obj)
        ).delete()
        if deleted:
            self.message_user(request, _("Your autosaved changes were discarded."), messages.INFO)
        info = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        if obj is None:
            return redirect(f"{info}_add")
        return redirect(f"{info}_change", quote(obj.pk))

    def presence_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The heartbeat of an open form: who else is editing; ``leave=1`` when it closes."""
        if request.method != "POST":
            return JsonResponse({"error": _("Send the heartbeat with POST.")}, status=405)
        obj = self.editable_object(request, object_id)
        content_type = self.editing_content_type()
        Presence.objects.stale().delete()  # the housekeeping: visits that lapsed
        if request.POST.get("leave"):
            Presence.objects.filter(user=request.user, content_type=content_type,
                                    object_id=obj.pk).delete()  # fmt: skip
            return HttpResponse(status=204)
        Presence.beat(request.user, content_type, obj.pk)
        others = Presence.objects.others_on(request.user, content_type, [obj.pk])
        return JsonResponse({"others": [presence_text(presence) for presence in others]})

    # The change form and the change list ---------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["editing"] = self.editing_context(request, context, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def editing_context(self, request: HttpRequest, context: dict, obj) -> dict:
        """What the notices and scripts need: the autosave to offer, the others, the URLs."""
        can_edit = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        content_type = self.editing_content_type()
        info = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        key = self.object_key(obj)
        args = [] if obj is None else [quote(obj.pk)]
        suffix = "_add" if obj is None else ""
        editing: dict = {
            "can_edit": can_edit,
            "autosave_seconds": settings.CMS_AUTOSAVE_SECONDS,
            "heartbeat_seconds": settings.CMS_PRESENCE_HEARTBEAT_SECONDS,
            "others": [],
        }
        if can_edit:
            editing["autosave_url"] = reverse(f"{info}_autosave{suffix}", args=args)
            editing["discard_url"] = reverse(f"{info}_autosave_discard{suffix}", args=args)
        # After a refused save the form shows the editor's own data: nothing to offer back.
        if can_edit and request.method == "GET":
            autosave = Autosave.objects.for_form(request.user, content_type, key).first()
            if autosave is not None:
                editing["autosave"] = autosave
                editing["autosave_when"] = local_moment(autosave.saved_at)
                editing["saved_since"] = self.saved_since(context, autosave, obj)
        if obj is not None:
            if can_edit:
                editing["presence_url"] = reverse(f"{info}_presence", args=args)
                if request.method == "GET":
                    Presence.beat(request.user, content_type, obj.pk)
            others = Presence.objects.others_on(request.user, content_type, [obj.pk])
            editing["others"] = [presence_text(presence) for presence in others]
        return editing

    @staticmethod
    def saved_since(context: dict, autosave: Autosave, obj) -> str:
        """Who saved the page after the autosave was made, as a warning; else ""."""
        adminform = context.get("adminform")
        current = adminform.form.initial.get("edit_token", "") if adminform else ""
        autosaved = (autosave.data["fields"].get("edit_token") or [""])[0]
        if obj is None or not current or not autosaved or current == autosaved:
            return ""
        who = getattr(obj, "updated_by", None)
        when = getattr(obj, "updated_at", None)
        return _(
            "%(who)s saved this page%(when)s after your autosave: restoring puts your version "
            "of every field back over theirs, so check it before you save."
        ) % {
            "who": (who.get_full_name() or who.get_username()) if who else _("Someone"),
            "when": f" ({local_moment(when)})" if when else "",
        }

    def save_model(self, request, obj, form, change) -> None:
        """A real save supersedes the autosave: the editor's copy of this form is deleted."""
        super().save_model(request, obj, form, change)
        content_type = self.editing_content_type()
        stale = Autosave.objects.for_form(request.user, content_type, obj.pk)
        if not change:
            stale = stale | Autosave.objects.for_form(request.user, content_type, None)
        stale.delete()

    def get_changelist_instance(self, request: HttpRequest):
        """The list, with who else has each listed page open (one query for the page)."""
        changelist = super().get_changelist_instance(request)
        # Evaluates the page's rows now; the template iterates the same, cached, list.
        rows = list(changelist.result_list)
        by_pk = {obj.pk: obj for obj in rows}
        open_by_others: dict[int, dict] = {}
        for presence in Presence.objects.others_on(
            request.user, self.editing_content_type(), list(by_pk)
        ):
            entry = open_by_others.setdefault(
                presence.object_id, {"object": by_pk[presence.object_id], "texts": [], "names": []}
            )
            entry["texts"].append(presence_text(presence))
            entry["names"].append(presence.editor_name)
        changelist.open_by_others = list(open_by_others.values())
        return changelist
