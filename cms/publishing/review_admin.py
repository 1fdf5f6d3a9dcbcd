"""Roles and review in the admin: submit for review, approve or ask for changes, comments.

What a role may do is decided here, on the server, per page: without the publish
permission (contributors) a page may be changed only while it is a draft, and deleted only
by its first author if it was never published. The review steps are POSTs to
``<page>/review/<action>/``; each one checks who asks, changes nothing when refused, and
puts the transition in the page's history (a log entry and a revision with its comment).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cms.publishing.models import Publishable
from cms.publishing.review import (
    Review,
    ReviewComment,
    TransitionRefused,
    add_comment,
    approve,
    ask_for_changes,
    ever_published,
    first_author,
    forget_reviews,
    latest_review,
    may_approve,
    may_publish,
    set_resolved,
    settle_open_reviews,
    submit_for_review,
)

# The name of the button, in the page's own form, that saves and then submits for review.
SUBMIT_BUTTON = "_review_submit"


class ReviewAdminMixin:
    """The review panel and transitions of a publishable page's admin (issue 15, part 4).

    Mixed into ``PublishableAdmin``, which provides ``has_publish_permission`` and
    ``log_bulk_change``.
    """

    review_actions = ("submit", "approve", "changes", "comment", "resolve", "reopen")

    # Who may do what, per page.

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        """Without the publish permission, a live, scheduled or expired page is read-only, and
        so is a draft waiting for review: what the reviewers approve is what they read."""
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or self.has_publish_permission(request, obj):
            return allowed
        if obj.status != Publishable.Status.DRAFT:
            return False
        return not Review.objects.about(obj).pending().exists()

    def revision_view(self, request: HttpRequest, object_id: str, version_id: str,
                      extra_context=None) -> HttpResponse:  # fmt: skip
        """Reversion rolls the row back to the old version before the form checks who may
        change it; check the page as it stands, so an old draft version cannot be used to
        rewrite (and take down) a page this account may not change. Looking at an old
        version needs only the view permission."""
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST":
            allowed = obj is None or self.has_change_permission(request, obj)
        else:
            allowed = obj is None or self.has_view_or_change_permission(request, obj)
        if not allowed:
            raise PermissionDenied
        return super().revision_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Without the publish permission, only one's own never-published drafts: deleting a
        page that was out takes it down, which is an editor's decision."""
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or self.has_publish_permission(request, obj):
            return allowed
        author = first_author(obj)
        return author is not None and author.pk == request.user.pk and not ever_published(obj)

    def has_approve_permission(self, request: HttpRequest, obj=None) -> bool:
        """Reviewers and editors: ``approve_<model>``."""
        return may_approve(request.user, self.model)

    def may_submit(self, request: HttpRequest, obj: Publishable) -> bool:
        return obj.status == Publishable.Status.DRAFT and self.has_change_permission(request, obj)

    # The panel beside the form.

    def render_change_form(self, request, context, add=False, change=False, form_url="",
                           obj=None):  # fmt: skip
        if obj is not None and obj.pk is not None:
            context["review_panel"] = self.review_panel(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def review_panel(self, request: HttpRequest, obj: Publishable) -> dict:
        """What the review panel shows: where the page stands, what this user may do, and
        the comment threads."""
        review = latest_review(obj)
        pending = review is not None and review.state == Review.State.PENDING
        own = pending and review.submitted_by_id == request.user.pk
        opts = self.model._meta
        url_name = f"admin:{opts.app_label}_{opts.model_name}_review"
        threads = ReviewComment.objects.about(obj).threads()
        return {
            "review": review,
            "pending": pending,
            "can_submit": not pending and self.may_submit(request, obj),
            "can_decide": pending
            and self.has_approve_permission(request, obj)
            and (not own or may_publish(request.user, self.model)),
            "schedules": obj.publish_at is not None and obj.publish_at > timezone.now(),
            "form_id": f"{opts.model_name}_form",
            "submit_button": SUBMIT_BUTTON,
            "urls": {
                action: reverse(url_name, args=[obj.pk, action]) for action in self.review_actions
            },  # fmt: skip
            "open_threads": [thread for thread in threads if not thread.is_resolved],
            "resolved_threads": [thread for thread in threads if thread.is_resolved],
        }

    # Published without the review step: the open review is settled.

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if obj.status == Publishable.Status.PUBLISHED and may_publish(request.user, self.model):
            settle_open_reviews(self.model, [obj.pk], request.user)

    def bulk_change(self, request: HttpRequest, queryset: QuerySet, action: str):
        ids = list(queryset.values_list("pk", flat=True))
        response = super().bulk_change(request, queryset, action)
        if action == "publish_now" and response is None:
            settle_open_reviews(self.model, ids, request.user)
        return response

    # "Save and submit for review", from the page's own form.

    def response_change(self, request: HttpRequest, obj) -> HttpResponse:
        if SUBMIT_BUTTON in request.POST:
            self.run_transition(request, obj, "submit")
            return redirect(f"{self.review_return_url(obj)}#review")
        return super().response_change(request, obj)

    # The review steps.

    def get_urls(self):
        opts = self.model._meta
        review = path(
            "<path:object_id>/review/<slug:action>/",
            self.admin_site.admin_view(self.review_view),
            name=f"{opts.app_label}_{opts.model_name}_review",
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        """One review step on one page, then back to its form (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in self.review_actions:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        if not self.may_run(request, obj, action):
            raise PermissionDenied
        self.run_transition(request, obj, action)
        return redirect(f"{self.review_return_url(obj)}#review")

    def may_run(self, request: HttpRequest, obj: Publishable, action: str) -> bool:
        if action == "submit":
            return self.may_submit(request, obj)
        if action in ("approve", "changes"):
            return self.has_approve_permission(request, obj)
        return True  # comments: anyone who may see the page's form

    def run_transition(self, request: HttpRequest, obj: Publishable, action: str) -> None:
        """Do ``action``; say what happened, or why nothing did."""
        context = {"page_url": request.build_absolute_uri(self.review_return_url(obj))}
        data = request.POST
        try:
            with transaction.atomic():
                match action:
                    case "submit":
                        submit_for_review(obj, request.user, context=context)
                        self.record(request, obj, _("Submitted for review."))
                        message = _("Submitted for review: the reviewers have been told.")
                    case "approve":
                        approve(obj, request.user, context=context)
                        message = self.approval_message(obj)
                        self.record(request, obj, message)
                    case "changes":
                        ask_for_changes(obj, request.user, data.get("body", ""), context=context)
                        self.record(request, obj, _("Changes asked for."))
                        message = _("Changes asked for: the author has been told.")
                    case "comment":
                        add_comment(obj, request.user, data.get("body", ""), data.get("parent"))
                        message = _("Comment added.")
                    case "resolve" | "reopen":
                        set_resolved(obj, request.user, data.get("comment", ""),
                                     resolved=action == "resolve")  # fmt: skip
                        message = (_("Thread resolved.") if action == "resolve"
                                   else _("Thread reopened."))  # fmt: skip
        except TransitionRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)

    def approval_message(self, obj: Publishable) -> str:
        obj.refresh_from_db()
        if type(obj).objects.filter(pk=obj.pk).scheduled().exists():
            when = date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            return _("Approved and scheduled for %(when)s.") % {"when": when}
        return _("Approved and published.")

    def record(self, request: HttpRequest, obj: Publishable, message: str) -> None:
        """The transition in the page's history: a log entry and a revision saying it."""
        self.log_bulk_change(request, [obj.pk], message)

    def review_return_url(self, obj: Publishable) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])

    # Bulk approval from the list, and deletion.

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if actions is not None and self.actions is not None \
                and self.has_approve_permission(request):  # fmt: skip
            action = type(self).approve_submitted
            actions["approve_submitted"] = (action, "approve_submitted", action.short_description)
        return actions

    @admin.action(description=gettext_lazy("Approve (pages waiting for review)"))
    def approve_submitted(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Approve each chosen page that waits for review; others are left as they were."""
        if not self.has_approve_permission(request):
            raise PermissionDenied
        context_of = {"page_url": ""}
        approved, refused = 0, []
        for obj in queryset:
            context_of["page_url"] = request.build_absolute_uri(self.review_return_url(obj))
            try:
                approve(obj, request.user, context=dict(context_of))
            except TransitionRefused as refusal:
                refused.append(f"{obj}: {refusal}")
                continue
            self.record(request, obj, self.approval_message(obj))
            approved += 1
        if approved:
            self.message_user(request, ngettext(
                "%(count)d page approved.", "%(count)d pages approved.", approved
            ) % {"count": approved}, messages.SUCCESS)  # fmt: skip
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    def delete_model(self, request: HttpRequest, obj) -> None:
        with transaction.atomic():
            forget_reviews(self.model, [obj.pk])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            forget_reviews(self.model, list(queryset.values_list("pk", flat=True)))
            super().delete_queryset(request, queryset)
