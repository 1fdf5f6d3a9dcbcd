"""Review before publishing: a page submitted for review, the decision on it, and comments.

A ``Review`` is one request that a page be checked (by standards, legal, an editor) before
it goes out; the page's latest review says where it stands, and at most one is pending at a
time. ``ReviewComment`` rows are editorial notes on a page, threaded one level deep (a
reply answers a comment) and resolvable as a thread. Both point at their page through a
generic relation, so every publishable model takes part without a column of its own.

The transitions (``submit_for_review``, ``approve``, ``ask_for_changes``) change the page,
the review and the outbox in one transaction; the admin checks who may ask for them and
records each one in the page's history.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.errors import RevertError
from reversion.models import Version

from cms.attention import Attention
from cms.mail.sending import send_later
from cms.publishing.dashboard import admin_url, publishable_models
from cms.publishing.models import Publishable
from cms.publishing.permissions import may_publish

MAIL_TEMPLATES = "admin/cms/review/mail/"


class TransitionRefused(Exception):
    """A review step that cannot happen now; its message says why, for the editor."""


def page_filter(page: models.Model) -> Q:
    """The rows (reviews, comments) about ``page``."""
    return Q(content_type=ContentType.objects.get_for_model(page), object_id=page.pk)


def may_approve(user, model: type[models.Model]) -> bool:
    """Reviewers and editors hold ``approve_<model>``: they decide on submitted pages."""
    return user.has_perm(f"{model._meta.app_label}.approve_{model._meta.model_name}")


def approvers_of(model: type[models.Model], exclude=None) -> models.QuerySet:
    """Active accounts with an address that may approve pages of ``model``, through a group
    or their own permissions: whom a submission is mailed to."""
    permission = Permission.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        codename=f"approve_{model._meta.model_name}",
    ).first()
    if permission is None:
        return get_user_model().objects.none()
    users = get_user_model().objects.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exclude(email="").distinct().order_by("pk")


class ReviewQuerySet(models.QuerySet):
    def pending(self) -> ReviewQuerySet:
        return self.filter(state=Review.State.PENDING)

    def about(self, page: models.Model) -> ReviewQuerySet:
        return self.filter(page_filter(page))

    def of_models(self, models_: list[type[models.Model]]) -> ReviewQuerySet:
        types = ContentType.objects.get_for_models(*models_).values()
        return self.filter(content_type__in=types)

    def queue_for(self, user) -> list[Review]:
        """Pending reviews of the kinds of page ``user`` may approve, oldest first, each with
        its page (pages deleted since are left out). One query per kind of page."""
        kinds = [model for model in publishable_models() if may_approve(user, model)]
        if not kinds:
            return []
        reviews = (
            self.pending()
            .of_models(kinds)
            .select_related("submitted_by", "content_type")
            .prefetch_related("page")
            .order_by("submitted_at", "pk")
        )
        return [review for review in reviews if review.page is not None]


class Review(models.Model):
    """A page submitted for review and the decision on it; the newest one per page counts."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes", _("Changes asked for")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state="pending"),
                name="cms_review_one_pending_per_page",
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-submitted_at"],
                         name="cms_review_page_newest"),
            models.Index(fields=["state", "submitted_at"], name="cms_review_queue"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.page} ({self.get_state_display()})"

    @classmethod
    def needs_attention(cls, user) -> list[Attention]:
        """On the dashboard, for an author: their pages sent back with changes asked for."""
        sent_back = [
            review for review in cls.objects.filter(
                submitted_by=user, state=cls.State.CHANGES_REQUESTED
            ).prefetch_related("page")
            if review.page is not None
            and cls.objects.about(review.page).order_by("-submitted_at", "-pk").first() == review
        ]  # fmt: skip
        if not sent_back:
            return []
        count = len(sent_back)
        text = ngettext(
            "%(count)d of your pages came back with changes asked for",
            "%(count)d of your pages came back with changes asked for",
            count,
        ) % {"count": count}
        return [Attention(text=text, count=count, url=admin_url(sent_back[0].page))]


def latest_review(page: models.Model) -> Review | None:
    """Where ``page`` stands in review: its newest review, or None if never submitted."""
    if page.pk is None:
        return None
    return (
        Review.objects.about(page).select_related("submitted_by", "decided_by")
        .order_by("-submitted_at", "-pk").first()
    )  # fmt: skip


def submit_for_review(page: Publishable, user, *, context: dict) -> Review:
    """Put a draft in the reviewers' queue and tell them by e-mail.

    ``context`` holds what only the view knows (``page_url``, the absolute admin address).
    """
    with transaction.atomic():
        locked = type(page).objects.select_for_update().get(pk=page.pk)
        if locked.status != Publishable.Status.DRAFT:
            raise TransitionRefused(_("Only a draft can be submitted for review."))
        if Review.objects.about(locked).pending().exists():
            raise TransitionRefused(_("This page is already waiting for review."))
        review = Review.objects.create(page=locked, submitted_by=user)
        mail_context = {"page": locked, "review": review, "kind": locked._meta.verbose_name,
                        "site_name": settings.SITE_NAME, **context}  # fmt: skip
        for reviewer in approvers_of(type(locked), exclude=user):
            send_later(
                reviewer.email, f"{MAIL_TEMPLATES}submitted", {**mail_context, "to": reviewer},
                reference=f"cms.review:{review.pk}",
            )  # fmt: skip
    return review


def pending_review(page: Publishable, user) -> Review:
    """The locked pending review of ``page`` that ``user`` may decide on, or refused."""
    if not may_approve(user, type(page)):
        raise TransitionRefused(_("You may not approve pages of this kind."))
    review = Review.objects.about(page).pending().select_for_update().first()
    if review is None:
        raise TransitionRefused(_("This page is not waiting for review: nothing was changed."))
    if review.submitted_by_id == user.pk and not may_publish(user, type(page)):
        raise TransitionRefused(_("Someone else must review a page you submitted."))
    return review


def approve(page: Publishable, user, *, context: dict) -> Review:
    """Approve a submitted draft: it is published, or scheduled if its "publish at" is ahead
    (publishing keeps a time already set). The author is told by e-mail."""
    with transaction.atomic():
        locked = type(page).objects.select_for_update().get(pk=page.pk)
        review = pending_review(locked, user)
        if locked.status != Publishable.Status.DRAFT:
            raise TransitionRefused(_("This page is no longer a draft: nothing was changed."))
        type(locked).objects.filter(pk=locked.pk).publish(by=user)
        review.state, review.decided_by, review.decided_at = (
            Review.State.APPROVED,
            user,
            timezone.now(),
        )
        review.save(update_fields=["state", "decided_by", "decided_at"])
        page.refresh_from_db()
        scheduled = type(page).objects.filter(pk=page.pk).scheduled().exists()
        notify_author(review, page, "approved", {**context, "scheduled": scheduled})
    return review


def ask_for_changes(page: Publishable, user, comment: str, *, context: dict) -> Review:
    """Send a submitted draft back to its author with a comment saying what to change."""
    comment = comment.strip()
    if not comment:
        raise TransitionRefused(_("Say what should change: the comment is empty."))
    with transaction.atomic():
        locked = type(page).objects.select_for_update().get(pk=page.pk)
        review = pending_review(locked, user)
        review.state, review.decided_by, review.decided_at = (
            Review.State.CHANGES_REQUESTED,
            user,
            timezone.now(),
        )
        review.save(update_fields=["state", "decided_by", "decided_at"])
        note = ReviewComment.objects.create(page=locked, author=user, body=comment)
        notify_author(review, locked, "changes_requested", {**context, "comment": note})
    return review


def settle_open_reviews(model: type[Publishable], ids: list[int], user) -> int:
    """Pages an editor published (or scheduled) without the review step leave review.

    Their newest review, if still waiting or sent back, is closed as approved by that
    editor: the queue and the author's "changes asked for" no longer point at a page that
    is out, and the author, who may no longer change it, is not left waiting. The comment
    threads stay as they were. Returns how many reviews were closed.
    """
    open_states = [Review.State.PENDING, Review.State.CHANGES_REQUESTED]
    closed = 0
    for page in model.objects.filter(pk__in=ids, status=Publishable.Status.PUBLISHED):
        review = latest_review(page)
        if review is not None and review.state in open_states:
            review.state, review.decided_by, review.decided_at = (
                Review.State.APPROVED, user, timezone.now()
            )  # fmt: skip
            review.save(update_fields=["state", "decided_by", "decided_at"])
            closed += 1
    return closed


def notify_author(review: Review, page: Publishable, template: str, context: dict) -> None:
    author = review.submitted_by
    if author is None or not author.email or author.pk == review.decided_by_id:
        return
    send_later(
        author.email, f"{MAIL_TEMPLATES}{template}",
        {"page": page, "review": review, "kind": page._meta.verbose_name, "to": author,
         "site_name": settings.SITE_NAME, **context},
        reference=f"cms.review:{review.pk}",
    )  # fmt: skip


class ReviewCommentQuerySet(models.QuerySet):
    def about(self, page: models.Model) -> ReviewCommentQuerySet:
        return self.filter(page_filter(page))

    def threads(self) -> list[ReviewComment]:
        """Top-level comments, oldest first, each with its replies (two queries)."""
        replies = models.Prefetch(
            "replies",
            queryset=ReviewComment.objects.select_related("author").order_by("created_at", "pk"),
        )
        return list(
            self.filter(parent__isnull=True)
            .select_related("author", "resolved_by")
            .prefetch_related(replies)
            .order_by("created_at", "pk")
        )


class ReviewComment(models.Model):
    """An editorial note on a page, or a reply to one; a thread is resolved as a whole."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    page = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="replies",
    )  # fmt: skip
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = ReviewCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"],
                         name="cms_reviewcomment_page"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


def add_comment(page: Publishable, user, body: str, parent_id: str | int | None = None
                ) -> ReviewComment:  # fmt: skip
    """A new comment on ``page``, or a reply in the thread of comment ``parent_id``.

    A reply to a reply joins the thread of the first comment; a reply to a comment on
    another page is refused, as is an empty or over-long comment.
    """
    body = body.strip()
    if not body:
        raise TransitionRefused(_("The comment is empty."))
    limit = ReviewComment._meta.get_field("body").max_length
    if len(body) > limit:
        raise TransitionRefused(
            _("A comment may be %(limit)d characters long at most.") % {"limit": limit}
        )
    parent = None
    if parent_id not in (None, ""):
        parent = (
            ReviewComment.objects.about(page)
            .filter(pk=int(parent_id) if str(parent_id).isdigit() else None)
            .first()
        )
        if parent is None:
            raise TransitionRefused(_("That comment is not on this page: nothing was saved."))
        parent = parent.parent or parent
    return ReviewComment.objects.create(page=page, author=user, body=body, parent=parent)


def set_resolved(page: Publishable, user, comment_id: str | int, resolved: bool
                 ) -> ReviewComment:  # fmt: skip
    """Resolve (or reopen) the thread of comment ``comment_id`` on ``page``."""
    thread = (
        ReviewComment.objects.about(page)
        .filter(pk=int(comment_id) if str(comment_id).isdigit() else None, parent__isnull=True)
        .first()
    )
    if thread is None:
        raise TransitionRefused(_("That comment is not on this page: nothing was changed."))
    if thread.is_resolved == resolved:
        raise TransitionRefused(
            _("That thread is already resolved.") if resolved
            else _("That thread is already open.")
        )  # fmt: skip
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


def forget_reviews(model: type[models.Model], ids: list[int]) -> None:
    """Delete the reviews and comments of pages being deleted (a generic relation does
    not cascade by itself)."""
    about = Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    Review.objects.filter(about).delete()
    ReviewComment.objects.filter(about).delete()


def ever_published(page: Publishable) -> bool:
    """Whether ``page`` is, or was ever, published: any saved version says so (a version
    that no longer reads, after a model change, counts as published, to be safe)."""
    if page.status != Publishable.Status.DRAFT:
        return True
    for version in Version.objects.get_for_object(page):
        try:
            if version.field_dict.get("status") == Publishable.Status.PUBLISHED:
                return True
        except RevertError:
            return True
    return False


def first_author(page: Publishable):
    """Who wrote ``page`` first: the first saved version's user, else its last editor."""
    first = (
        Version.objects.get_for_object(page)
        .select_related("revision__user")
        .order_by("revision__date_created", "pk")
        .first()
    )
    if first is not None and first.revision.user_id is not None:
        return first.revision.user
    return page.updated_by
