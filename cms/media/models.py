"""The image library: photos with their credits and licences, and their renditions.

Films, interviews and posts point at ``Image`` rows; each upload is checked, stripped of
its metadata and kept at one size, and pages ask for ``Rendition`` files made from it.
"""

from __future__ import annotations

import io
import os
import secrets
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Min, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from cms.media.alt_text import HINTS, alt_text_doubts, doubtful_alt_text
from cms.media.renditions import (
    FORMATS,
    KEPT_IMAGE_INFO,
    PAGE_CROPS,
    PAGE_WIDTHS,
    ImageTooLarge,
    bare,
    frame_count,
    frames_within_limit,
    open_image,
    render,
    spec_name,
    widths_within,
)
from cms.media.uses import Use, used_condition, uses_of
from cms.page_cache.models import PublicContent, PublicContentManager, PublicContentQuerySet


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


class ImageQuerySet(PublicContentQuerySet):
    """The library's filters: what an editor looks for when tidying it up."""

    def unused(self) -> ImageQuerySet:
        """Images no page, person or other row points at (found through ``_meta``)."""
        return self.exclude(used_condition(self.model))

    def missing_credit(self) -> ImageQuerySet:
        return self.filter(credit__regex=r"^\s*$")

    def licence_expiring(self, days: int = 30) -> ImageQuerySet:
        """Images still shown today whose licence ends within ``days`` days."""
        today = timezone.localdate()
        return self.filter(
            licence_expires_on__gt=today,
            licence_expires_on__lte=today + timedelta(days=days),
        )

    def licence_expired(self) -> ImageQuerySet:
        """Images viewers no longer see: their licence ended today or before."""
        return self.filter(licence_expires_on__lte=timezone.localdate())

    def alt_text_to_review(self) -> ImageQuerySet:
        """Flagged by the importer, or alt text that looks like a file name or "image of"."""
        return self.filter(Q(alt_text_needs_review=True) | doubtful_alt_text())

    def with_library_renditions(self) -> ImageQuerySet:
        """Fetch the grid's and pickers' renditions with the images: one query for a page."""
        specs = [spec_name(*size) for size in Image.LIBRARY_SIZES.values()]
        return self.prefetch_related(
            Prefetch(
                "renditions",
                queryset=Rendition.objects.filter(spec__in=specs),
                to_attr="library_renditions",
            )
        )


class ImageManager(PublicContentManager.from_queryset(ImageQuerySet)):
    def get_by_natural_key(self, file: str) -> Image:
        return self.get(file=file)


class Image(PublicContent):
    """A photo in the library, with the alt text, caption and credit every use of it needs.

    Films (posters), interviews (heroes and figures), people and posts point at images;
    EXIF metadata is stripped when a file is uploaded so that no location leaks.
    """

    # Words about the picture: an edit shows on the pages showing it, and moves no list.
    page_cache_text_fields = ("alt_text", "caption", "credit", "alt_text_needs_review")

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
        _("focal point x"), null=True, blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the left edge, 1 the right."),
    )  # fmt: skip
    focal_y = models.FloatField(
        _("focal point y"), null=True, blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )  # fmt: skip
    alt_text_needs_review = models.BooleanField(
        _("alt text to review"), default=False,
        help_text=_("Set when the alt text was taken from a caption by the importer; "
                    "cleared when an editor saves the image."),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = ImageManager()

    # Models that are parts of an image rather than uses of it ("Used on" leaves them out).
    PARTS = ("cms.Rendition",)
    # Renditions the library's own pages show: square tiles in the grid and the pickers,
    # and the whole picture, uncropped, to set the focal point on. (width, crop, format)
    LIBRARY_SIZES = {"thumbnail": (320, "1x1", "webp"), "preview": (960, "", "webp")}

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
        """Strip a new file's metadata; a replaced file takes its renditions with it.

        Replacing the file keeps the row, so every page, figure and person using the image
        keeps it; the old file is deleted once the change is committed, under its own random
        folder name, and the new one gets a new random folder (``image_upload_to``).
        """
        if self.file and not self.file._committed:
            self.file = strip_metadata(self.file)
        before = None
        if self.pk:
            before = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("file", "focal_x", "focal_y")
                .first()
            )
        super().save(*args, **kwargs)
        if before is None:
            return
        if before != (self.file.name, self.focal_x, self.focal_y):
            self.drop_renditions()
        if before[0] and before[0] != self.file.name:
            storage, old_name = self.file.storage, before[0]
            transaction.on_commit(lambda: storage.delete(old_name), using=self._state.db)

    def drop_renditions(self) -> None:
        """Forget resized copies once the file or the focal point has changed.

        The rows go now; their files once the change is committed, so a rolled-back change
        leaves no row pointing at a deleted file.
        """
        renditions = self.renditions.all()
        names = [name for name in renditions.values_list("file", flat=True) if name]
        renditions.delete()
        self.__dict__.pop("library_renditions", None)
        if names:
            storage = Rendition._meta.get_field("file").storage
            transaction.on_commit(
                lambda: [storage.delete(name) for name in names], using=self._state.db
            )

    def natural_key(self) -> tuple[str]:
        return (self.file.name,)

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""

    @classmethod
    def next_visibility_change(cls, after: datetime) -> datetime | None:
        """The start of the next day a licence expires on: the photo disappears then."""
        today = timezone.localdate(after)
        expiring = cls.objects.filter(licence_expires_on__gt=today)
        day = expiring.aggregate(day=Min("licence_expires_on"))["day"]
        return None if day is None else timezone.make_aware(datetime.combine(day, time.min))

    @property
    def is_usable(self) -> bool:
        """The one rule: viewers see a photo until the day its licence expires."""
        expires = self.licence_expires_on
        return bool(self.file) and (expires is None or expires > timezone.localdate())

    @property
    def is_portrait(self) -> bool:
        """Taller than wide: a card shows it as a poster (2:3), not a landscape (3:2)."""
        return bool(self.height and self.width and self.height > self.width)

    @property
    def alt_text_doubts(self) -> list[str]:
        """What to check in the alt text (``alt_text.HINTS`` keys), the importer's flag first."""
        flagged = ["to_review"] if self.alt_text_needs_review else []
        return flagged + alt_text_doubts(self.alt_text)

    @property
    def alt_text_hints(self) -> list[str]:
        """The doubts as sentences, for the change form."""
        return [str(HINTS[doubt][0]) for doubt in self.alt_text_doubts]

    @property
    def alt_text_notes(self) -> list[str]:
        """The doubts in a few words, for the library's grid."""
        return [str(HINTS[doubt][1]) for doubt in self.alt_text_doubts]

    @property
    def licence_notice(self) -> str:
        """ "Licence expired on …" or "Licence ends …" within 30 days; empty otherwise."""
        expires = self.licence_expires_on
        if expires is None:
            return ""
        today = timezone.localdate()
        day = date_format(expires, "j M Y")
        if expires <= today:
            return _("Licence expired on %(day)s") % {"day": day}
        if expires <= today + timedelta(days=30):
            return _("Licence ends on %(day)s") % {"day": day}
        return ""

    def uses(self, registered) -> tuple[list[Use], bool]:
        """Every row using this image, and whether the list was cut short (``uses_of``)."""
        return uses_of(self, registered)

    def library_rendition(self, size: str) -> Rendition:
        """The grid's or picker's rendition (``LIBRARY_SIZES``), made now if it is missing."""
        stored = self.stored_library_rendition(size)
        if stored is not None:
            return stored
        width, crop, fmt = self.LIBRARY_SIZES[size]
        spec = spec_name(width, crop, fmt)
        return self.renditions.filter(spec=spec).first() or Rendition.make(
            self, spec, width, crop, fmt
        )

    @property
    def stored_thumbnail(self) -> Rendition | None:
        return self.stored_library_rendition("thumbnail")

    def stored_library_rendition(self, size: str) -> Rendition | None:
        """The rendition ``with_library_renditions`` fetched, without a query; None if none."""
        spec = spec_name(*self.LIBRARY_SIZES[size])
        fetched = getattr(self, "library_renditions", ())
        return next((r for r in fetched if r.spec == spec), None)

    @property
    def focal_point(self) -> tuple[float, float]:
        return (
            0.5 if self.focal_x is None else self.focal_x,
            0.5 if self.focal_y is None else self.focal_y,
        )

    def renditions_for(self, widths: list[int], crop: str = "") -> dict[str, list[Rendition]]:
        """Renditions in every format at ``widths`` (none wider than the original), made once.

        Makes what is missing, so only the worker (``make_renditions``), the library's admin
        and code call it: a page asks ``ready_renditions``, which never makes any.
        """
        known = {r.spec: r for r in self.renditions.all()}
        result: dict[str, list[Rendition]] = {}
        for fmt in FORMATS:
            result[fmt] = []
            for width in widths_within(widths, self.width):
                spec = spec_name(width, crop, fmt)
                rendition = known.get(spec)
                if rendition is None:
                    rendition = Rendition.make(self, spec, width, crop, fmt)
                    known[spec] = rendition
                result[fmt].append(rendition)
        return result

    def ready_renditions(
        self, widths: list[int], crop: str = ""
    ) -> dict[str, list[Rendition]] | None:
        """The renditions a ``<picture>`` shows: each of ``widths`` made in every format.

        A width not yet made in every format is left out (a release that adds a size shows
        the others until the worker makes it); None while no width is made, and the page
        shows the original. Reads ``renditions`` as the page's query prefetched them (no
        query of its own then) and never makes one: viewers do not wait for Pillow, the
        worker does that.
        """
        known = {r.spec: r for r in self.renditions.all()}
        made = [
            width
            for width in widths_within(widths, self.width)
            if all(spec_name(width, crop, fmt) in known for fmt in FORMATS)
        ]
        if not made:
            return None
        return {fmt: [known[spec_name(width, crop, fmt)] for width in made] for fmt in FORMATS}

    def wanted_renditions(self) -> list[tuple[str, int, str, str]]:
        """(spec, width, crop, format) of every rendition pages and the library show.

        Each crop pages use at ``PAGE_WIDTHS``, the uncropped one first (detail pages), then
        the library's grid and focal-point sizes.
        """
        wanted = [
            (spec_name(width, crop, fmt), width, crop, fmt)
            for crop in PAGE_CROPS
            for fmt in FORMATS
            for width in widths_within(PAGE_WIDTHS, self.width)
        ]
        wanted += [(spec_name(*size), *size) for size in self.LIBRARY_SIZES.values()]
        return list({spec: (spec, *rest) for spec, *rest in wanted}.values())  # once each

    def render_missing_renditions(self) -> list[Rendition]:
        """Encode and store the files of the wanted renditions not made yet; save no row.

        Slow (seconds an image: AVIF above all), so it runs in the worker and outside any
        transaction; ``keep_renditions`` then records them. An unreadable file raises
        ``OSError`` (``ImageTooLarge`` too) and leaves no file behind.
        """
        made_specs = set(self.renditions.values_list("spec", flat=True))
        made: list[Rendition] = []
        try:
            for spec, width, crop, fmt in self.wanted_renditions():
                if spec in made_specs:
                    continue
                content, (actual_width, actual_height) = render(
                    self.file, width, crop, fmt, self.focal_point
                )
                rendition = Rendition(image=self, spec=spec, width=actual_width,
                                      height=actual_height)  # fmt: skip
                rendition.file.save(spec, content, save=False)
                made.append(rendition)
        except BaseException:
            Rendition.discard(made)
            raise
        finally:
            self.file.close()
        return made

    def keep_renditions(self, made: list[Rendition]) -> list[Rendition]:
        """Record renditions ``render_missing_renditions`` made, if they still show the image.

        Call it in a transaction. The image row is locked first: if the file or the focal
        point changed since they were rendered, none is kept (the change queued its own
        renditions). One another worker recorded first is not kept either. The files of
        those not kept are deleted; the kept ones are returned.
        """
        current = (
            type(self)
            .objects.select_for_update()
            .filter(pk=self.pk)
            .values_list("file", "focal_x", "focal_y")
            .first()
        )
        if current != (self.file.name, self.focal_x, self.focal_y):
            Rendition.discard(made)
            return []
        taken = set(
            self.renditions.filter(spec__in=[r.spec for r in made]).values_list("spec", flat=True)
        )
        kept = [r for r in made if r.spec not in taken]
        Rendition.discard([r for r in made if r.spec in taken])
        Rendition.objects.bulk_create(kept)
        return kept


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

    @staticmethod
    def discard(renditions: list[Rendition]) -> None:
        """Delete the files of renditions that were never recorded."""
        for rendition in renditions:
            rendition.file.delete(save=False)

    @property
    def mime_type(self) -> str:
        return FORMATS[self.spec.rsplit(".", 1)[1]][1]
