"""The shared kit every content app builds on: publishing and the image library.

``Publishable`` is the abstract base of every page a viewer can read; its QuerySet's
``live()`` is the single definition of what a viewer may see. ``Image`` is the library
of photos that films, interviews and posts point at.
"""

from __future__ import annotations

import io
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections, models, router
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from . import page_cache
from .fields import UnicodeSlugField
from .renditions import (
    FORMATS,
    KEPT_IMAGE_INFO,
    ImageTooLarge,
    bare,
    frame_count,
    frames_within_limit,
    open_image,
    render,
    spec_name,
)
from .richtext import html_summary


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


class PublishableQuerySet(models.QuerySet):
    """Rows filtered by publishing state; ``live()`` is what any public page may show."""

    def live(self, at: datetime | None = None) -> PublishableQuerySet:
        """Rows a viewer may see at ``at`` (default: now)."""
        return self.filter(live_condition(at))

    def scheduled(self, at: datetime | None = None) -> PublishableQuerySet:
        return self.filter(scheduled_condition(at))

    def expired(self, at: datetime | None = None) -> PublishableQuerySet:
        return self.filter(expired_condition(at))

    def drafts(self) -> PublishableQuerySet:
        return self.filter(status=Publishable.Status.DRAFT)

    def with_live_flag(self, at: datetime | None = None) -> PublishableQuerySet:
        """Annotate ``is_live`` by the same rule, so staff previews can say what is not public."""
        return self.annotate(is_live=flag(live_condition(at)))

    def with_state(self, at: datetime | None = None) -> PublishableQuerySet:
        """Annotate ``is_live`` and ``state`` ("draft", "scheduled", "live", "expired")."""
        at = at or timezone.now()
        return self.with_live_flag(at).annotate(
            state=Case(
                When(expired_condition(at), then=Value("expired")),
                When(scheduled_condition(at), then=Value("scheduled")),
                When(live_condition(at), then=Value("live")),
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
        rows.filter(publish_at__isnull=True).update(publish_at=at or timezone.now())
        rows.update(status=Publishable.Status.PUBLISHED, updated_at=timezone.now(), updated_by=by)
        page_cache.content_changed()  # a plain UPDATE sends no signal
        return ids

    def unpublish(self, by=None) -> list[int]:
        """Return these rows to draft; return the ids that changed."""
        ids = list(self.exclude(status=Publishable.Status.DRAFT).values_list("pk", flat=True))
        self.model.objects.filter(pk__in=ids).update(
            status=Publishable.Status.DRAFT, updated_at=timezone.now(), updated_by=by
        )
        page_cache.content_changed()
        return ids


@dataclass(frozen=True)
class CalendarEvent:
    """Something that happens on the site at a moment: a page going live, a screening."""

    at: datetime
    what: str
    item: models.Model


class SlugManager(models.Manager):
    """Manager for models whose natural key is their unique slug."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class PublishableManager(SlugManager.from_queryset(PublishableQuerySet)):
    pass


class Publishable(models.Model):
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
            self.publish_at = timezone.now()
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
    def calendar_events(cls, start: datetime, end: datetime) -> list[CalendarEvent]:
        """Goings-live and expiries of this model between ``start`` and ``end``."""
        published = cls.objects.filter(status=cls.Status.PUBLISHED)
        events = [
            CalendarEvent(item.publish_at, "goes live", item)
            for item in published.filter(publish_at__gte=start, publish_at__lt=end)
        ]
        events += [
            CalendarEvent(item.expire_at, "expires", item)
            for item in published.filter(expire_at__gte=start, expire_at__lt=end)
        ]
        return events


def image_upload_to(instance: Image, filename: str) -> str:
    """Store uploads under a random 128-bit folder: no collisions, no order leaked, no guessing."""
    stem, ext = os.path.splitext(os.path.basename(filename))
    return f"images/{uuid.uuid4().hex}/{stem[:80]}{ext.lower()}"


def validate_image_file(upload) -> None:
    """Refuse files that are too large, not an image Pillow can read, or a decompression bomb.

    A bomb is any file whose frames together decode to more than
    ``settings.CMS_IMAGE_MAX_PIXELS``: a small GIF of many large frames is one.
    """
    if getattr(upload, "_committed", False):
        return  # the stored file, checked and re-encoded when it came in: nothing to read
    limit = settings.CMS_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)d MB; the limit is %(limit)d MB."),
            params={"size": upload.size // 2**20, "limit": limit // 2**20},
        )
    position = upload.tell()
    try:
        with open_image(upload) as picture:  # counts the pixels of every frame, decodes none
            if picture.format not in Image.SAVE_FORMATS:
                raise ValidationError(
                    _("%(format)s files are not accepted: use JPEG, PNG, WebP, AVIF or GIF."),
                    params={"format": picture.format},
                )
            animated = frame_count(picture) > 1
            picture.verify()
        if animated:
            # A later GIF frame may be larger than the first one the count went by: decode
            # the frames one at a time, keeping none, as far as the limit allows.
            upload.seek(position)
            with open_image(upload) as picture:
                for frame in frames_within_limit(picture):
                    frame.load()
    except ImageTooLarge as exc:
        raise ValidationError(exc.message, code="too_many_pixels", params=exc.params) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, PILImage.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not an image this site can read.")) from exc
    finally:
        upload.seek(position)


class ImageQuerySet(models.QuerySet):
    def usable(self, on: date | None = None) -> ImageQuerySet:
        """Images whose licence still allows showing them (on ``on``, default today)."""
        on = on or timezone.localdate()
        return self.filter(Q(licence_expires_on__isnull=True) | Q(licence_expires_on__gt=on))


class ImageManager(models.Manager.from_queryset(ImageQuerySet)):
    def get_by_natural_key(self, file: str) -> Image:
        return self.get(file=file)


class Image(models.Model):
    """A photo in the library, with the alt text, caption and credit every use of it needs.

    Films (posters), interviews (heroes and figures), people and posts point at images;
    EXIF metadata is stripped when a file is uploaded so that no location leaks.
    """

    # Accepted upload formats, and the format each is stored in once its metadata is gone.
    SAVE_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "AVIF": "AVIF",
                    "GIF": "GIF"}  # fmt: skip

    file = models.ImageField(
        _("file"), upload_to=image_upload_to, width_field="width", height_field="height",
        max_length=255, unique=True, validators=[validate_image_file],
        help_text=_("JPEG, PNG, WebP, AVIF or GIF. Location and camera metadata are removed."),
    )  # fmt: skip
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_("Describes the image for people who cannot see it. Required."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    credit = models.CharField(_("credit"), max_length=255, blank=True)
    licence_expires_on = models.DateField(
        _("licence expires on"),
        null=True,
        blank=True,
        help_text=_("From this day the image is no longer shown on public pages."),
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    focal_x = models.FloatField(
        _("focal point x"), null=True, blank=True, help_text=_("0 is the left edge, 1 the right.")
    )
    focal_y = models.FloatField(
        _("focal point y"), null=True, blank=True, help_text=_("0 is the top edge, 1 the bottom.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ImageManager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(alt_text=""), name="cms_image_alt_text_required"),
        ]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        if self.file and not self.file._committed:
            self.file = strip_metadata(self.file)
        stale = (
            self.pk
            and type(self)
            .objects.filter(pk=self.pk)
            .exclude(file=self.file.name, focal_x=self.focal_x, focal_y=self.focal_y)
            .exists()
        )
        super().save(*args, **kwargs)
        if stale:
            self.drop_renditions()

    def drop_renditions(self) -> None:
        """Forget resized copies once the file or the focal point has changed."""
        for rendition in self.renditions.all():
            rendition.file.delete(save=False)
        self.renditions.all().delete()

    def natural_key(self) -> tuple[str]:
        return (self.file.name,)

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""

    @property
    def is_usable(self) -> bool:
        """The same rule as ``ImageQuerySet.usable()``, for an image already loaded."""
        expires = self.licence_expires_on
        return bool(self.file) and (expires is None or expires > timezone.localdate())

    @property
    def focal_point(self) -> tuple[float, float]:
        return (
            0.5 if self.focal_x is None else self.focal_x,
            0.5 if self.focal_y is None else self.focal_y,
        )

    def renditions_for(self, widths: list[int], crop: str = "") -> dict[str, list[Rendition]]:
        """Renditions in every format at ``widths`` (none wider than the original), made once.

        Uses prefetched ``renditions`` when the query loaded them, so pages stay at a fixed
        number of queries; the first view of a new size makes and stores it.
        """
        known = {r.spec: r for r in self.renditions.all()}
        largest = min(max(widths), self.width or max(widths))
        sizes = sorted({w for w in widths if w < largest} | {largest})
        result: dict[str, list[Rendition]] = {}
        for fmt in FORMATS:
            result[fmt] = []
            for width in sizes:
                spec = spec_name(width, crop, fmt)
                rendition = known.get(spec)
                if rendition is None:
                    rendition = Rendition.make(self, spec, width, crop, fmt)
                    known[spec] = rendition
                result[fmt].append(rendition)
        return result


EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "AVIF": ".avif", "GIF": ".gif"}


def strip_metadata(field_file):
    """Re-encode the image without EXIF, XMP or comments (GPS above all) and keep its name.

    Decodes within the pixel limit, since images reach ``save()`` from code and imports
    as well as the form: a bomb raises ``ImageTooLarge`` before anything is stored.
    """
    field_file.seek(0)
    buffer = io.BytesIO()
    with open_image(field_file) as picture:
        save_format = Image.SAVE_FORMATS.get(picture.format or "")
        if save_format is None:
            return field_file
        # Only what drawing the picture needs survives: no EXIF, XMP, GPS or comments.
        kept = {key: picture.info[key] for key in KEPT_IMAGE_INFO if key in picture.info}
        if frame_count(picture) > 1:
            copies = [bare(frame.copy()) for frame in frames_within_limit(picture)]
            copies[0].save(buffer, format=save_format, save_all=True, append_images=copies[1:],
                           **kept)  # fmt: skip
        else:
            # Keep the orientation the camera recorded.
            still = bare(ImageOps.exif_transpose(picture))
            options = {"quality": 90, "optimize": True} if save_format == "JPEG" else {}
            if save_format == "JPEG" and still.mode not in ("RGB", "L"):
                still = still.convert("RGB")
            still.save(buffer, format=save_format, **kept, **options)
    # The name ends as the content is, whatever the upload was called ("photo.html"), so
    # no server or bucket can give a browser this file as anything but an image.
    stem = os.path.splitext(os.path.basename(field_file.name))[0]
    return ContentFile(buffer.getvalue(), name=f"{stem}{EXTENSIONS[save_format]}")


def rendition_upload_to(instance: Rendition, filename: str) -> str:
    """A folder named by 128 random bits: no one can find renditions by counting image ids.

    Only those shown a page holding the image learn its address: viewers of live pages,
    staff and share-link holders for drafts. Licence expiry is enforced where media is
    served (``cms.media``).
    """
    return f"renditions/{secrets.token_urlsafe(16)}/{filename}"


class Rendition(models.Model):
    """A resized, cropped or re-encoded copy of an image, made once and kept."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40)
    file = models.FileField(upload_to=rendition_upload_to, max_length=255)
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "spec"], name="cms_rendition_unique_spec")
        ]
        indexes = [models.Index(fields=["file"], name="cms_rendition_file_idx")]  # cms.media

    def __str__(self) -> str:
        return f"{self.image} ({self.spec})"

    @classmethod
    def make(cls, image: Image, spec: str, width: int, crop: str, fmt: str) -> Rendition:
        content, (actual_width, actual_height) = render(
            image.file, width, crop, fmt, image.focal_point
        )
        rendition = cls(image=image, spec=spec)
        rendition.file.save(spec, content, save=False)
        stored, created = cls.objects.get_or_create(
            image=image,
            spec=spec,
            defaults={"file": rendition.file, "width": actual_width, "height": actual_height},
        )
        if not created:
            rendition.file.delete(save=False)  # another request made it first
        return stored

    @property
    def mime_type(self) -> str:
        return FORMATS[self.spec.rsplit(".", 1)[1]][1]


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


class ContentVersion(models.Model):
    """One row whose token is replaced by every change to content, in that change's transaction.

    The page cache keeps each page with the token it was built under and serves it only
    while the token is unchanged (``page_cache``). Random rather than counted, so a restored
    or rolled-back database can never bring back a number that cached pages were built under.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    ROW = 1

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls, using: str | None = None) -> str:
        """The token now committed (made if the row is missing, as after a database flush).

        Read on every page-cache hit, so written as one plain SELECT: the ORM's query
        building would cost more than the rest of a cache hit.
        """
        connection = connections[using or router.db_for_read(cls)]
        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token FROM {table} WHERE id = %s", [cls.ROW])  # noqa: S608
            row = cursor.fetchone()
        if row is not None:
            return row[0]
        rows = cls.objects.using(using)
        return rows.get_or_create(pk=cls.ROW, defaults={"token": secrets.token_hex(16)})[0].token

    @classmethod
    def move_on(cls, using: str | None = None) -> str:
        """Replace the token; return the new one."""
        token = secrets.token_hex(16)
        rows = cls.objects.using(using)
        if not rows.filter(pk=cls.ROW).update(token=token, changed_at=timezone.now()):
            rows.update_or_create(pk=cls.ROW, defaults={"token": token})
        return token
