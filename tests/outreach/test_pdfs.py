"""The PDF checks: real PDFs made by pikepdf, each kind of unsafe one refused, metadata gone.

Every file here is a real one: PDFs written by pikepdf (with JavaScript, launch actions,
attachments, encryption, metadata), a program's first bytes, a ZIP archive made by
``zipfile``, joined as a polyglot would join them.
"""

import io
import re
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from outreach.pdfs import active_content, checked_pdf, size_text

AUTHOR = "Jane Q. Teacher"
TITLE = "Confidential draft of the guide"


def save(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def new_pdf(pages: int = 2) -> pikepdf.Pdf:
    """A document of ``pages`` US Letter pages, each with a line of text."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    for number in range(1, pages + 1):
        pdf.add_blank_page(page_size=(612, 792))
        page = pdf.pages[-1]
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        text = f"BT /F1 14 Tf 72 700 Td (Questions for discussion, page {number}) Tj ET"
        page.Contents = pdf.make_stream(text.encode())
    return pdf


def plain_pdf(pages: int = 2) -> bytes:
    return save(new_pdf(pages))


def pdf_with_metadata() -> bytes:
    """Author and title in the information dictionary and in XMP, and an app's private data."""
    pdf = new_pdf()
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Title"] = TITLE
    pdf.docinfo["/Creator"] = "Word for Windows"
    pdf.docinfo["/Producer"] = "Acrobat Distiller 11"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp["dc:creator"] = [AUTHOR]
        xmp["dc:title"] = TITLE
        xmp["xmp:CreatorTool"] = "Word for Windows"
    page = pdf.pages[0]
    page.Metadata = pdf.make_stream(b"<x:xmpmeta>" + AUTHOR.encode() + b"</x:xmpmeta>")
    page.PieceInfo = pikepdf.Dictionary(
        Illustrator=pikepdf.Dictionary(Private=pikepdf.String(f"Earlier draft by {AUTHOR}"))
    )
    return save(pdf)


def javascript_action(code: str = "app.alert('hi')") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))


def pdf_with_open_action_script() -> bytes:
    pdf = new_pdf()
    pdf.Root.OpenAction = pdf.make_indirect(javascript_action())
    return save(pdf)


def pdf_with_script_in_names_tree() -> bytes:
    pdf = new_pdf()
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"),
                                                           javascript_action()]))
    )  # fmt: skip
    return save(pdf)


def pdf_with_page_script() -> bytes:
    """A page's additional action (/AA, on opening the page) that runs a script."""
    pdf = new_pdf()
    pdf.pages[1].AA = pikepdf.Dictionary(O=javascript_action())
    return save(pdf)


def pdf_with_launch() -> bytes:
    pdf = new_pdf()
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("C:\\Windows\\System32\\cmd.exe")
    )
    return save(pdf)


def pdf_with_launch_link() -> bytes:
    """A link annotation whose action launches a program when clicked."""
    pdf = new_pdf()
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 72, 200, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("/bin/sh")),
    )]))  # fmt: skip
    return save(pdf)


def pdf_with_embedded_file() -> bytes:
    pdf = new_pdf()
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really")
    return save(pdf)


def pdf_with_file_attachment_annotation() -> bytes:
    pdf = new_pdf()
    spec = pikepdf.AttachedFileSpec(pdf, b"a spreadsheet", filename="grades.xlsx")
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[72, 72, 90, 90],
        FS=spec.obj,
    )]))  # fmt: skip
    return save(pdf)


def encrypted_pdf(user_password: str = "secret") -> bytes:
    return save(new_pdf(), encryption=pikepdf.Encryption(owner="owner", user=user_password))


def program(kind: str) -> bytes:
    """The first bytes of a Linux (ELF) or Windows (PE) program, padded like one."""
    if kind == "elf":
        return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(2000)
    header = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(52) + b"\x80\x00\x00\x00"  # PE at 0x80
    return header + bytes(64) + b"PE\x00\x00" + bytes(2000)


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.js", "WScript.Shell.Run('calc')")
    return out.getvalue()


def upload(data: bytes, name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        checked_pdf(upload(data))
    return " ".join(refused.value.messages)


def test_a_plain_pdf_is_kept_with_its_pages_counted():
    checked = checked_pdf(upload(plain_pdf(pages=3)))
    assert checked.page_count == 3
    assert checked.size == len(checked.content)
    with pikepdf.open(io.BytesIO(checked.content)) as pdf:
        assert len(pdf.pages) == 3
        assert b"page 2" in pdf.pages[1].Contents.read_bytes()


def test_metadata_is_stripped_from_the_copy_kept():
    original = pdf_with_metadata()
    assert AUTHOR.encode() in original
    checked = checked_pdf(upload(original))
    assert AUTHOR.encode() not in checked.content
    assert TITLE.encode() not in checked.content
    assert b"Word for Windows" not in checked.content
    with pikepdf.open(io.BytesIO(checked.content)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Metadata" not in pdf.Root
        assert all("/Metadata" not in page.obj for page in pdf.pages)
        assert all("/PieceInfo" not in page.obj for page in pdf.pages)
        assert pdf.docinfo.keys() == set()  # pikepdf's view: an empty information dictionary
        with pdf.open_metadata() as xmp:
            assert "dc:creator" not in xmp and "dc:title" not in xmp
    with pikepdf.open(io.BytesIO(original)) as before:
        original_id = bytes(before.trailer.ID[0])
    with pikepdf.open(io.BytesIO(checked.content)) as after:
        assert bytes(after.trailer.ID[0]) != original_id  # no link back to the author's file


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (pdf_with_open_action_script, "JavaScript"),
        (pdf_with_script_in_names_tree, "JavaScript"),
        (pdf_with_page_script, "JavaScript"),
        (pdf_with_launch, "launches a program"),
        (pdf_with_launch_link, "launches a program"),
        (pdf_with_embedded_file, "files embedded"),
        (pdf_with_file_attachment_annotation, "files embedded"),
    ],
)
def test_active_content_is_refused_with_its_reason(make, reason):
    message = refusal(make())
    assert reason in message
    assert "“Print to PDF” makes one" in message


def test_every_reason_found_is_given():
    pdf = new_pdf()
    pdf.Root.OpenAction = javascript_action()
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc"))
    pdf.pages[0].AA = pikepdf.Dictionary(C=launch)
    pdf.attachments["x.txt"] = pikepdf.AttachedFileSpec(pdf, b"x")
    message = refusal(save(pdf))
    assert "JavaScript" in message and "launches" in message and "embedded" in message


def test_a_script_in_a_compressed_object_stream_is_found():
    data = save(pikepdf.open(io.BytesIO(pdf_with_open_action_script())),
                object_stream_mode=pikepdf.ObjectStreamMode.generate)  # fmt: skip
    assert b"/JavaScript" not in data  # hidden from a byte search, not from the check
    assert "JavaScript" in refusal(data)


def test_a_name_written_with_hex_escapes_is_still_a_script():
    data = pdf_with_open_action_script()
    assert data.count(b"/JS ") == 1
    disguised = data.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/Java#53cript")
    assert b"/JS" not in disguised
    assert "JavaScript" in refusal(disguised)


def test_a_script_that_nothing_references_is_found_too():
    """An incremental update adding an object no page or action points at."""
    data = plain_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        size = int(pdf.trailer.Size)
        root = pdf.Root.objgen[0]
    start = len(data)
    body = f"{size} 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n".encode()
    xref_at = start + len(body)
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    update = (
        body
        + (
            f"xref\n{size} 1\n{start:010d} 00000 n \n"
            f"trailer\n<< /Size {size + 1} /Root {root} 0 R /Prev {previous} >>\n"
            f"startxref\n{xref_at}\n%%EOF\n"
        ).encode()
    )
    assert "JavaScript" in refusal(data + update)


def test_encrypted_pdfs_are_refused_with_or_without_a_password_to_open():
    assert "encrypted" in refusal(encrypted_pdf("secret"))
    assert "encrypted" in refusal(encrypted_pdf(""))  # opens anywhere, still not checked


@pytest.mark.parametrize("kind", ["elf", "pe"])
def test_a_renamed_program_is_refused(kind):
    assert refusal(program(kind)) == "This file is a program, not a PDF."


def test_a_file_that_is_not_a_pdf_says_what_a_pdf_is():
    message = refusal(b"<!doctype html><title>Guide</title><p>Questions")
    assert message.startswith("This file is not a PDF: a PDF begins with “%PDF-”.")


@pytest.mark.parametrize(
    "before", [b"<html><script>alert(1)</script></html>\n", program("pe")[:200], zip_archive()]
)
def test_a_polyglot_with_another_file_before_the_pdf_is_refused(before):
    data = before + plain_pdf()
    assert data.index(b"%PDF-") < 1024  # where readers still find the header
    assert "Something comes before the start of the PDF (“%PDF-”)" in refusal(data)


@pytest.mark.parametrize(
    "after", [zip_archive(), b"<html><script>alert(document.cookie)</script></html>"]
)
def test_a_polyglot_with_another_file_after_the_end_is_refused(after):
    data = plain_pdf() + after
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2  # pikepdf reads it: only the check catches it
    if after.startswith(b"PK"):
        assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["payload.js"]
    assert "Something is attached after the end of the PDF (after its last “%%EOF”)" in (
        refusal(data)
    )


def test_whitespace_after_the_end_is_accepted():
    assert checked_pdf(upload(plain_pdf() + b"\r\n\x00\x00  \n")).page_count == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.7\n<html>not a pdf at all</html>\n%%EOF\n", "The PDF is damaged"),
        (plain_pdf()[:300], "The PDF is incomplete"),
        (save(pikepdf.new()), "The PDF has no pages."),
    ],
)
def test_damaged_incomplete_empty_files_are_refused(data, message):
    assert refusal(data).startswith(message)


def test_too_large_is_refused_before_anything_is_read(settings):
    settings.OUTREACH_RESOURCE_MAX_BYTES = 1000
    # A program would be refused as one if its bytes were read: the size comes first.
    assert refusal(program("elf")) == "The file is 2 KB; the limit is 1000 bytes."
    assert refusal(b"x" * 1001) == "The file is 1001 bytes; the limit is 1000 bytes."


def test_a_file_whose_announced_size_is_wrong_is_measured(settings):
    settings.OUTREACH_RESOURCE_MAX_BYTES = 1000
    file = ContentFile(plain_pdf() + b" " * 1000, name="guide.pdf")
    file.size = 10  # what a client may claim
    with pytest.raises(ValidationError, match="the limit is 1000 bytes"):
        checked_pdf(file)


def test_the_checker_finds_nothing_in_a_plain_pdf():
    with pikepdf.open(io.BytesIO(plain_pdf())) as pdf:
        assert active_content(pdf) == set()


def test_sizes_read_as_people_read_them():
    assert size_text(1) == "1 byte"
    assert size_text(820) == "820 bytes"
    assert size_text(340 * 1024 + 100) == "340 KB"
    assert size_text(15 * 1024 * 1024) == "15.0 MB"
