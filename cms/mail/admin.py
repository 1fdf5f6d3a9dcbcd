"""The outbox in the admin: every message the site sent or means to send, read-only.

Editors see what went out, what is waiting and why a message failed, and send failed (or
long overdue) messages again, after the mail server is mended. Nobody writes or edits a
message here: they are made by the site's forms, from templates.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import OutgoingEmail
from .sending import send_again


class OverdueFilter(admin.SimpleListFilter):
    """Queued messages waiting well past their time: the worker is not running."""

    title = _("delivery")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("yes", _("Waiting too long"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.overdue() if self.value() == "yes" else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "status", "attempts", "error", "created_at", "sent_at"]
    list_filter = ["status", OverdueFilter]
    search_fields = ["to", "subject", "reference"]
    actions = ["send_again"]
    change_form_template = "admin/cms/outgoingemail/change_form.html"
    fields = ["to", "subject", "status", "attempts", "last_error", "created_at",
              "next_attempt_at", "sent_at", "reference", "text", "html", "attached"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # messages come from the site's forms

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # what was sent stays as it was sent

    def has_send_again_permission(self, request: HttpRequest) -> bool:
        """Editors (the Editors group holds "change outgoing e-mail") and superusers."""
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.display(description=_("last error"))
    def error(self, obj: OutgoingEmail) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("text"))
    def text(self, obj: OutgoingEmail) -> str:
        return format_html('<pre class="cms-mail-body">{}</pre>', obj.text_body)

    @admin.display(description=_("HTML"))
    def html(self, obj: OutgoingEmail) -> str:
        if not obj.html_body:
            return "—"
        return format_html("<details><summary>{}</summary><pre>{}</pre></details>",
                           _("HTML source"), obj.html_body)  # fmt: skip

    @admin.display(description=_("attachments"))
    def attached(self, obj: OutgoingEmail) -> str:
        return format_html_join(", ", "{} ({})", (
            (attachment.get("filename", "?"), attachment.get("mimetype", "?"))
            for attachment in obj.attachments
        )) or "—"  # fmt: skip

    @admin.action(description=_("Send again"), permissions=["send_again"])
    def send_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        chosen = list(queryset)
        queued_ids = send_again(chosen)
        for email in chosen:
            if email.pk in queued_ids:
                self.log_change(request, email, "Sent again.")
        queued = len(queued_ids)
        if queued:
            self.message_user(request, ngettext(
                "%(count)d message is queued to be sent again.",
                "%(count)d messages are queued to be sent again.", queued,
            ) % {"count": queued}, messages.SUCCESS)  # fmt: skip
        if skipped := len(chosen) - queued:
            self.message_user(request, ngettext(
                "%(count)d message was left as it was: only failed messages, or messages "
                "waiting too long, can be sent again.",
                "%(count)d messages were left as they were: only failed messages, or messages "
                "waiting too long, can be sent again.", skipped,
            ) % {"count": skipped}, messages.WARNING)  # fmt: skip

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None):  # fmt: skip
        """The message, with a "Send again" button when it failed (or waits too long)."""
        email = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_send_again": email is not None
            and self.has_send_again_permission(request)
            and email.can_send_again(),
        }
        return super().change_view(request, object_id, form_url, extra_context)
