"""Publishing: drafts, schedules and expiry, and the one rule of what a viewer may see.

``Publishable`` is the abstract base of every page a viewer can read; its QuerySet's
``live()`` is the single definition of what is visible. A ``ShareLink`` lets someone
without an account preview an unpublished page.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.fields import UnicodeSlugField
from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet
from cms.richtext import html_summary


def live_condition(at: datetime | None = None, prefix: str = "") -> Q:
    """The one definition of "a viewer may see this": published, started, not expired.

    ``prefix`` applies the rule across a relation, e.g. ``"film__"`` for an interview's film.
    """
    at = at or timezone.now()
    published = Publishable.Status.PUBLISHED
    return Q(**{f"{prefix}status": published, f"{prefix}publish_at__lte": at}) & (
        Q(**{f"{prefix}expire_at__isnull": True}) | Q(**{f"{prefix}expire_at__gt": at})
    )


def scheduled_condition(at: datetime | None = None) -> Q:
    """Published, but its publishing time is still ahead."""
    return Q(status=Publishable.Status.PUBLISHED, publish_at__gt=at or timezone.now())


def expired_condition(at: datetime | None = None) -> Q:
    """Published, and its expiry has passed."""
    return Q(status=Publishable.Status.PUBLISHED, expire_at__lte=at or timezone.now())


def flag(condition: Q) -> Case:
    """A boolean column that is true where ``condition`` holds (never NULL)."""
    return Case(When(condition, then=Value(True)), default=Value(False),
                output_field=models.BooleanField())  # fmt: skip


class PublishableQuerySet(PublicContentQuerySet):
    """Rows filtered by publishing state; ``live()`` is what any public page may show.

    The rule comes from ``live_condition()``, ``scheduled_condition()`` and ``goes_live_at()``
    here, so a model whose pages go live at a moment computed from other rows (hours from a
    film's premiere, say) overrides those three in its own QuerySet and every view, feed,
    sitemap, search, flag, state, calendar and page-cache boundary follows.
    """

    def live_condition(self, at: datetime | None = None) -> Q:
        """This model's "a viewer may see this" at ``at``: the kit's ``live_condition``."""
        return live_condition(at)

    def scheduled_condition(self, at: datetime | None = None) -> Q:
        """Published, but not live yet at ``at``."""
        return scheduled_condition(at)

    def goes_live_at(self) -> models.Expression:
        """The moment each row goes live once published, as an expression."""
        return F("publish_at")

    def may_change_after(self, at: datetime) -> Q:
        """The rows that may go live or expire after ``at``, in terms an index can find: every
        row ``goes_live_at()`` may place there. The rest, most rows, went live long ago."""
        return Q(publish_at__gt=at) | Q(expire_at__gt=at)

    def live(self, at: datetime | None = None) -> PublishableQuerySet:
        """Rows a viewer may see at ``at`` (default: now)."""
        return self.filter(self.live_condition(at))

    def scheduled(self, at: datetime | None = None) -> PublishableQuerySet:
        return self.filter(self.scheduled_condition(at))

    def expired(self, at: datetime | None = None) -> PublishableQuerySet:
        return self.filter(expired_condition(at))

    def drafts(self) -> PublishableQuerySet:
        return self.filter(status=Publishable.Status.DRAFT)

    def count_up_to(self, limit: int) -> int:
        """How many rows there are, counting no further than ``limit``.

        A list page needs to know whether there is a next page, not the whole total: this
        reads at most ``limit`` index entries, at any amount of content.
        """
        return self.order_by()[:limit].count()

    def with_live_flag(self, at: datetime | None = None) -> PublishableQuerySet:
        """Annotate ``is_live`` by the same rule, so staff previews can say what is not public."""
        return self.annotate(is_live=flag(self.live_condition(at)))

    def with_state(self, at: datetime | None = None) -> PublishableQuerySet:
        """Annotate ``is_live`` and ``state`` ("draft", "scheduled", "live", "expired")."""
        at = at or timezone.now()
        return self.with_live_flag(at).annotate(
            state=Case(
                When(expired_condition(at), then=Value("expired")),
                When(self.scheduled_condition(at), then=Value("scheduled")),
                When(self.live_condition(at), then=Value("live")),
                default=Value("draft"),
                output_field=models.CharField(),
            )
        )

    def with_live_relation(self, name: str, at: datetime | None = None) -> PublishableQuerySet:
        """Annotate ``<name>_is_live``: whether the related publishable a row points at is live."""
        return self.annotate(**{f"{name}_is_live": flag(live_condition(at, prefix=f"{name}__"))})

    def publish(self, at: datetime | None = None, by=None) -> list[int]:
        """Publish the drafts among these rows now (or at their scheduled time); return their ids.

        A draft that already has a publishing time keeps it: publishing it schedules it.
        """
        ids = list(self.drafts().values_list("pk", flat=True))
        rows = self.model.objects.filter(pk__in=ids)
        now = timezone.now().replace(microsecond=0)  # whole seconds, as pages print them
        rows.filter(publish_at__isnull=True).update(publish_at=at or now)
        rows.update(status=Publishable.Status.PUBLISHED, updated_at=timezone.now(), updated_by=by)
        return ids

    def unpublish(self, by=None) -> list[int]:
        """Return these rows to draft; return the ids that changed."""
        ids = list(self.exclude(status=Publishable.Status.DRAFT).values_list("pk", flat=True))
        self.model.objects.filter(pk__in=ids).update(
            status=Publishable.Status.DRAFT, updated_at=timezone.now(), updated_by=by
        )
        return ids


@dataclass(frozen=True)
class CalendarEvent:
    """Something that happens on the site at a moment: a page going live, a screening.

    ``floating``: ``at`` is a wall-clock time that holds in every zone ("10 PM local time"),
    shown as it is rather than moved to the editor's zone. ``topic``: what the event is
    about (a film), for the calendar's filter. ``movable``: a scheduled page going live at a
    time of its own, which an editor may move to another day.
    """

    at: datetime
    what: str
    item: models.Model
    floating: bool = False
    topic: models.Model | None = None
    movable: bool = False


class SlugManager(PublicContentManager):
    """Manager for models whose natural key is their unique slug."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class PublishableManager(SlugManager.from_queryset(PublishableQuerySet)):
    pass


class Publishable(PublicContent):
    """A page with a draft/published status, a publishing window and search-engine fields."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = UnicodeSlugField(
        _("slug"),
        max_length=255,
        unique=True,
        help_text=_("The last part of the page's address. Letters, numbers and hyphens."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Viewers see the page from this moment. Leave empty to use the moment "
                    "it is published; set a future time to schedule it."),
    )  # fmt: skip
    expire_at = models.DateTimeField(
        _("expire at"),
        null=True,
        blank=True,
        help_text=_("Optional: viewers stop seeing the page at this moment."),
    )
    seo_title = models.CharField(
        _("SEO title"),
        max_length=70,
        blank=True,
        help_text=_("Shown in search results and browser tabs instead of the title."),
    )
    search_description = models.CharField(
        _("search description"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for search results and social media previews."),
    )
    social_image = models.ForeignKey(
        "cms.Image",
        verbose_name=_("social image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the page is shared; the hero image is used if empty."),
    )
    # Defaults rather than auto_now*, which raw fixture loading skips: hand-written
    # fixtures and imports may leave the timestamps out.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last edited by"), null=True, blank=True,
        editable=False, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = PublishableManager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            # Whole seconds: pages print the time in <time datetime>, which allows no more.
            self.publish_at = timezone.now().replace(microsecond=0)
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.publish_at and self.expire_at and self.expire_at <= self.publish_at:
            raise ValidationError(
                {"expire_at": _("The expiry must come after the publishing time.")}
            )

    def feed_description(self) -> str:
        """The full summary a feed reader shows for this page: HTML, plain fields escaped."""
        return html_summary("", self.search_description)

    def feed_author(self) -> str:
        return ""

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def meta_title(self) -> str:
        return self.seo_title or self.title

    @classmethod
    def next_visibility_change(cls, after: datetime) -> datetime | None:
        """The next go-live or expiry of a published page: the page changes by itself then."""
        published = cls.objects.filter(status=cls.Status.PUBLISHED)
        published = published.filter(published.may_change_after(after))
        published = published.annotate(goes_live_at=published.goes_live_at())
        moments = published.aggregate(
            live=Min("goes_live_at", filter=Q(goes_live_at__gt=after)),
            expiry=Min("expire_at", filter=Q(expire_at__gt=after)),
        ).values()
        return min((moment for moment in moments if moment is not None), default=None)

    @classmethod
    def calendar_events(cls, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Goings-live and expiries of this model between ``start`` and ``end``.

        Each is about the first publishable page this one points at (an interview's film),
        or itself; a going-live still to come at the page's own ``publish_at`` is movable.
        """
        topic = next(
            (
                f.name
                for f in cls._meta.concrete_fields
                if f.many_to_one and issubclass(f.related_model, Publishable)
            ),
            None,
        )
        published = cls.objects.filter(status=cls.Status.PUBLISHED)
        if topic:
            published = published.select_related(topic)
        going_live = published.annotate(goes_live_at=published.goes_live_at())
        now = timezone.now()

        def about(item):
            return getattr(item, topic) if topic else item

        events = [
            CalendarEvent(
                item.goes_live_at,
                "goes live",
                item,
                topic=about(item),
                movable=item.goes_live_at > now and item.goes_live_at == item.publish_at,
            )
            for item in going_live.filter(goes_live_at__gte=start, goes_live_at__lt=end)
        ]
        events += [
            CalendarEvent(item.expire_at, "expires", item, topic=about(item))
            for item in published.filter(expire_at__gte=start, expire_at__lt=end)
        ]
        return events  # fmt: skip


def new_share_token() -> str:
    return secrets.token_urlsafe(32)


class ShareLinkQuerySet(models.QuerySet):
    def active(self, at: datetime | None = None) -> ShareLinkQuerySet:
        """Links that still open their page: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at or timezone.now())


class ShareLinkManager(models.Manager.from_queryset(ShareLinkQuerySet)):
    def get_by_natural_key(self, token: str) -> ShareLink:
        return self.get(token=token)


class ShareLink(models.Model):
    """A secret address showing a draft to someone without an account, until it expires.

    For a filmmaker or a lawyer to approve a page before it goes out. The link always shows
    the latest saved version of the page.
    """

    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    note = models.CharField(
        _("for whom"), max_length=200, blank=True, help_text=_("For example “the filmmaker”.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ShareLinkManager()

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="cms_sharelink_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.content_object} ({self.note or self.token[:6]})"

    def get_absolute_url(self) -> str:
        return reverse("share", kwargs={"token": self.token})

    def natural_key(self) -> tuple[str]:
        return (self.token,)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return _("Revoked")
        return _("Expired") if self.expires_at <= timezone.now() else _("Active")
