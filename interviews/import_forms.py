"""The forms of the admin's "Import an interview" page: the source, the token, missing pictures.

Step 1 (``SourceForm``) turns a paste or an upload into an ``ArticleSource``; step 2 carries
that source, signed, in ``ImportTokenForm`` so the server keeps nothing between steps and a
changed token is refused; ``PicturesForm`` offers an upload slot for each picture the article
names but does not hold (a remote address is never fetched).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from cms.media.models import Image, validate_image_file

from .importing.article import ArticleError, ParsedArticle, ParsedFigure
from .importing.files import UPLOAD_SUFFIXES, ArticleSource, source_from_bytes, source_from_paste

TOKEN_SALT = "interviews.import"
TOKEN_MAX_AGE = 24 * 60 * 60  # seconds: a preview left overnight still creates its draft
THUMBNAIL_SIZE = (240, 240)


def limit_text(limit: int) -> str:
    return f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit // 1024} KB"


class SourceForm(forms.Form):
    """Step 1: a paste (the clipboard's HTML when the browser gives it, else text) or a file."""

    pasted_html = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text of the article"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        help_text=_("Plain text (Q: and A: lines) or HTML. To keep bold questions, lists and "
                    "pictures, paste from Google Docs or Word into the box above instead."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(UPLOAD_SUFFIXES))}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.CMS_IMPORT_MAX_BYTES
        self.fields["file"].help_text = _(
            "A Word document (.docx), a web page (.html, .htm) or a text file (.txt), "
            "up to %(limit)s."
        ) % {"limit": limit_text(self.max_bytes)}
        self.source: ArticleSource | None = None
        self.article: ParsedArticle | None = None

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        pasted = data.get("pasted_html", "") or ""
        text = data.get("text", "") or ""
        try:
            if upload is not None:
                if pasted.strip() or text.strip():
                    raise ArticleError("Paste the article or upload a file, not both.")
                self.source = self.source_from_upload(upload)
            else:
                if len((pasted or text).encode()) > self.max_bytes:
                    raise ArticleError(
                        f"The pasted text is larger than {limit_text(self.max_bytes)}."
                    )
                self.source = source_from_paste(pasted, text)
            self.article = self.source.parse()
        except ArticleError as exc:
            raise ValidationError(str(exc), code="article") from exc
        return data

    def source_from_upload(self, upload) -> ArticleSource:
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ArticleError(
                f"“{upload.name}” is not a .docx, .html, .htm or .txt file; save it as one."
            )
        if upload.size > self.max_bytes:
            raise ArticleError(
                f"The file is {limit_text(upload.size)}; the limit is {limit_text(self.max_bytes)}."
            )
        return source_from_bytes(upload.read(), upload.name)


def sign_source(source: ArticleSource) -> str:
    return signing.dumps(source.as_dict(), salt=TOKEN_SALT, compress=True)


class ImportTokenForm(forms.Form):
    """Steps 2 and 3: the source as step 1 read it, signed so that it cannot be altered."""

    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> ArticleSource:
        try:
            data = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
            source = ArticleSource(**data)
        except signing.SignatureExpired as exc:
            raise ValidationError(_("This preview is more than a day old: start again.")) from exc
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise ValidationError(
                _("The preview could not be verified (it was changed): start again.")
            ) from exc
        return source


@dataclass(eq=False)
class FigurePreview:
    """One picture of the article as step 2 shows it: where it comes from, what it needs."""

    number: int
    figure: ParsedFigure
    state: str  # "embedded", "library", "remote", "missing"
    thumbnail: str = ""  # a small data: JPEG of an embedded picture
    field_name: str = ""  # the upload slot, when the file is missing

    @property
    def needs_file(self) -> bool:
        return self.state in ("remote", "missing")

    @property
    def warning(self) -> str:
        label = self.figure.caption or self.figure.alt or self.figure.src[:60]
        if self.state == "remote":
            host = self.figure.src.split("//", 1)[-1].split("/", 1)[0]
            return (
                f"Picture {self.number} (“{label}”) is on another site ({host}); it is never "
                "fetched from there. Upload the file below, or a placeholder is used."
            )
        if self.state == "missing":
            named = self.figure.src.rsplit("/", 1)[-1]
            file = f", file “{named[:80]}”" if named else ""
            return (
                f"Picture {self.number} (“{label}”{file}) is not in the article. Upload the file "
                "below, or a placeholder is used."
            )
        return ""


def figure_previews(article: ParsedArticle) -> list[FigurePreview]:
    """Each figure with its source: embedded (shown), in the library, or a file to upload."""
    previews = []
    for number, figure in enumerate(article.figures, start=1):
        src = figure.src
        if src.startswith("data:"):
            preview = FigurePreview(number, figure, "embedded", thumbnail=thumbnail(src))
        elif src and "://" not in src and Image.objects.filter(file=src).exists():
            preview = FigurePreview(number, figure, "library")
        else:
            state = "remote" if src.startswith(("http:", "https:", "//")) else "missing"
            preview = FigurePreview(number, figure, state, field_name=f"picture_{number}")
        previews.append(preview)
    return previews


def thumbnail(src: str) -> str:
    """A small JPEG of an embedded picture, as a data: address; empty if it is no picture."""
    from .importing.importer import embedded_picture

    try:
        content, _extension = embedded_picture(src)
        with PILImage.open(io.BytesIO(content)) as picture:
            if picture.width * picture.height > settings.CMS_IMAGE_MAX_PIXELS:
                return ""
            picture.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            picture.convert("RGB").save(out, "JPEG", quality=80)
    except (ArticleError, OSError, ValueError, PILImage.DecompressionBombError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


class PicturesForm(forms.Form):
    """Step 2's upload slots: one optional image file for each picture the article lacks."""

    def __init__(self, previews: list[FigurePreview], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.previews = previews
        for preview in previews:
            if preview.needs_file:
                self.fields[preview.field_name] = forms.FileField(
                    label=_("File for picture %(number)d") % {"number": preview.number},
                    required=False,
                    validators=[validate_image_file],
                    widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
                )

    def slots(self) -> list[tuple[FigurePreview, forms.BoundField]]:
        return [(p, self[p.field_name]) for p in self.previews if p.needs_file]

    def attach(self) -> int:
        """Put the uploaded files on their figures; the number of pictures given a file."""
        given = 0
        for preview in self.previews:
            upload = self.cleaned_data.get(preview.field_name) if preview.needs_file else None
            if upload:
                upload.seek(0)
                preview.figure.content = upload.read()
                preview.figure.filename = Path(upload.name).name
                given += 1
        return given


def reading_order(article: ParsedArticle, pictures: PicturesForm) -> list[dict]:
    """Pairs and pictures as the draft will read: each pair, then the pictures after it."""
    slots = dict(pictures.slots())
    by_pair: dict[int, list[dict]] = {}
    for preview in pictures.previews:
        item = {"figure": preview, "slot": slots.get(preview)}
        by_pair.setdefault(preview.figure.after_pair, []).append(item)
    body = list(by_pair.get(0, []))
    for number, pair in enumerate(article.pairs, start=1):
        body.append({"pair": pair, "number": number})
        body += by_pair.get(number, [])
    return body
