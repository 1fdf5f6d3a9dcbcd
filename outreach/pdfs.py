"""Uploaded PDFs, checked with pikepdf before they are stored, and stored as a clean copy.

A resource's PDF is downloaded by teachers and community hosts from our address, so it
must be a PDF and nothing else, and must not act on the reader's machine:

- Only a real PDF is taken: ``%PDF-`` at its first byte, readable by pikepdf (qpdf). A
  renamed program, or a polyglot (another file before the PDF's header, which readers
  tolerate in the first kilobyte, or appended after its last ``%%EOF``, as a ZIP archive
  or an HTML page can be) is refused, since nothing but concealment puts them there.
  Whitespace after ``%%EOF``, which some writers leave, is accepted.
- An encrypted PDF is refused: it cannot be checked, nor opened by every reader.
- JavaScript (``/JS``, ``/S /JavaScript``, the ``/JavaScript`` names tree, which
  ``/OpenAction`` and ``/AA`` actions run), XFA forms (scripted), ``/Launch`` actions and
  embedded files (``/EmbeddedFiles``, file attachment annotations, embedded file streams)
  are refused, wherever they are in the file, referenced or not.
- The document's metadata is removed: the information dictionary (author, title, the
  software used) and XMP streams (``/Metadata``, on the document or on any part of it),
  and applications' private data (``/PieceInfo``, which can hold a whole earlier draft).

What is stored is the document as pikepdf writes it again: only the objects the document
reaches, so nothing hidden in unreferenced objects or trailing bytes survives, with a
file identifier computed from the content rather than carried over from the original
(where it would link the copy to the author's file).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

HEADER = b"%PDF-"
END = b"%%EOF"
# Readers accept a header anywhere in the first kilobyte: that is where a polyglot hides it.
HEADER_WINDOW = 1024
# Bytes after the last %%EOF that writers leave and readers ignore.
TRAILING_WHITESPACE = b" \t\r\n\x0c\x00"
PROGRAM_SIGNATURES = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")

SAVE_AGAIN = _(
    "Save or export it as PDF again (for example with “Print to PDF”) and upload that copy."
)
MESSAGES = {
    "javascript": _("The PDF contains JavaScript."),
    "xfa": _("The PDF is an XFA form, which can run scripts."),
    "launch": _("The PDF contains an action that launches a program or opens another file."),
    "embedded": _("The PDF has files embedded in it (attachments)."),
}
# Keys whose presence in any dictionary of the file is refused, and values of /S, /Type
# and /Subtype that are, with the reason each gives.
REFUSED_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",  # the document's names tree of scripts
    "/XFA": "xfa",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",  # a file specification carrying the file itself
}
REFUSED_NAMES = {
    "/S": {"/JavaScript": "javascript", "/Launch": "launch", "/GoToE": "embedded"},
    "/Type": {"/EmbeddedFile": "embedded"},
    "/Subtype": {"/FileAttachment": "embedded", "/RichMedia": "embedded"},
}
# Document and component metadata, removed from every dictionary.
METADATA_KEYS = ("/Metadata", "/PieceInfo")


@dataclass(frozen=True)
class CheckedPdf:
    """A PDF that passed the checks: the clean copy to store, and its number of pages."""

    content: bytes
    page_count: int

    @property
    def size(self) -> int:
        return len(self.content)


def checked_pdf(upload: File) -> CheckedPdf:
    """The clean copy of an uploaded PDF, or a ``ValidationError`` saying why it is refused.

    The size is checked before anything is read, the bytes before pikepdf parses them.
    """
    limit = settings.OUTREACH_RESOURCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise too_large(upload.size, limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # a file whose announced size was wrong
        raise too_large(len(data), limit)
    refuse_disguised(data)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise ValidationError(encrypted_message(), code="encrypted") from None
    except pikepdf.PdfError:
        raise ValidationError(
            _("The PDF is damaged and cannot be read. %(advice)s"),
            code="unreadable", params={"advice": SAVE_AGAIN},
        ) from None  # fmt: skip
    with pdf:
        if pdf.is_encrypted:
            raise ValidationError(encrypted_message(), code="encrypted")
        refuse_active_content(pdf)
        page_count = len(pdf.pages)
        if page_count == 0:
            raise ValidationError(_("The PDF has no pages."), code="empty")
        strip_metadata(pdf)
        clean = io.BytesIO()
        pdf.save(clean, deterministic_id=True, fix_metadata_version=False)
    return CheckedPdf(content=clean.getvalue(), page_count=page_count)


def too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; the limit is %(limit)s."),
        code="too_large", params={"size": size_text(size), "limit": size_text(limit)},
    )  # fmt: skip


def size_text(size: int) -> str:
    """A file size as people read it: "820 bytes", "340 KB", "2.4 MB"."""
    if size < 1024:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def encrypted_message() -> str:
    return _("The PDF is encrypted (protected by a password). Upload a copy saved without one.")


def refuse_disguised(data: bytes) -> None:
    """Refuse what is not a PDF from its first byte to its last ``%%EOF``."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith(HEADER):
        tail = data[data.rfind(END) + len(END) :] if END in data else None
        if tail is None:
            raise ValidationError(
                _("The PDF is incomplete: it has no end (“%(end)s”). %(advice)s"),
                code="incomplete", params={"end": "%%EOF", "advice": SAVE_AGAIN},
            )  # fmt: skip
        if tail.strip(TRAILING_WHITESPACE):
            raise ValidationError(
                _("Something is attached after the end of the PDF (after its last “%(end)s”): "
                  "the file may hide another one. %(advice)s"),
                code="polyglot", params={"end": "%%EOF", "advice": SAVE_AGAIN},
            )  # fmt: skip
        return
    if HEADER in data[:HEADER_WINDOW]:
        raise ValidationError(
            _("Something comes before the start of the PDF (“%(header)s”): the file may be "
              "another kind of file disguised as a PDF. %(advice)s"),
            code="polyglot", params={"header": "%PDF-", "advice": SAVE_AGAIN},
        )  # fmt: skip
    if data.startswith(PROGRAM_SIGNATURES):
        raise ValidationError(_("This file is a program, not a PDF."), code="not_pdf")
    raise ValidationError(
        _("This file is not a PDF: a PDF begins with “%(header)s”. Upload the document "
          "saved or exported as PDF."),
        code="not_pdf", params={"header": "%PDF-"},
    )  # fmt: skip


def dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary in the file (stream dictionaries included), nested ones too, once.

    Starts from the trailer and from every object in the file, so objects that nothing
    references are checked as well as those the document uses.
    """
    seen: set[tuple[int, int]] = set()
    todo: list = [pdf.trailer, *pdf.objects]
    while todo:
        obj = todo.pop()
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue  # numbers, strings, names: nothing inside
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            todo.extend(obj)
        else:
            yield obj
            todo.extend(obj.values())


def active_content(pdf: pikepdf.Pdf) -> set[str]:
    """The kinds of active content in ``pdf``: "javascript", "xfa", "launch", "embedded"."""
    found: set[str] = set()
    for dictionary in dictionaries(pdf):
        keys = set(dictionary.keys())
        found.update(reason for key, reason in REFUSED_KEYS.items() if key in keys)
        for key, values in REFUSED_NAMES.items():
            value = dictionary.get(key) if key in keys else None
            if isinstance(value, pikepdf.Name) and str(value) in values:
                found.add(values[str(value)])
    return found


def refuse_active_content(pdf: pikepdf.Pdf) -> None:
    found = active_content(pdf)
    if found:
        reasons = [MESSAGES[kind] for kind in MESSAGES if kind in found]
        raise ValidationError(
            [ValidationError(reason, code="active_content") for reason in reasons]
            + [
                ValidationError(
                    _(
                        "Such a PDF could act on the reader's computer, so it is refused. Save a "
                        "copy without scripts, actions or attachments (“Print to PDF” makes one) "
                        "and upload that."
                    ),
                    code="active_content",
                )
            ]  # fmt: skip
        )


def strip_metadata(pdf: pikepdf.Pdf) -> None:
    """Remove the document information dictionary, the file identifier carried over from the
    author's file (a new one is computed when saved) and every XMP and private data entry."""
    for key in ("/Info", "/ID"):
        if key in pdf.trailer:
            del pdf.trailer[key]
    for dictionary in dictionaries(pdf):
        for key in METADATA_KEYS:
            if key in dictionary:
                del dictionary[key]
