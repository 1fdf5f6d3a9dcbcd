"""Rich text is sanitised on every way in: save(), forms and fixtures."""

import html
import json
import re

import pytest
from django.core import serializers

from blog.models import Post
from cms.richtext import sanitize_html

PAYLOADS = [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
    ('<p onclick="alert(1)">Hi</p>', "<p>Hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src=x onerror="alert(1)">', ""),
    ("<iframe src='https://evil.example'></iframe><p>ok</p>", "<p>ok</p>"),
    ('<p style="color:red">styled</p>', "<p>styled</p>"),
    ("<!-- a comment --><p>visible</p>", "<p>visible</p>"),
]


@pytest.mark.parametrize(("dirty", "clean"), PAYLOADS)
def test_sanitize_html_removes_what_is_not_allowed(dirty, clean):
    assert sanitize_html(dirty) == clean


def test_sanitize_html_keeps_editorial_markup():
    html = (
        '<h2>Head</h2><p><strong>b</strong> <em>i</em> <a href="https://example.org/">l</a></p>'
        "<ul><li>one</li></ul><blockquote><p>q</p></blockquote>"
    )
    assert sanitize_html(html) == html.replace(
        'href="https://example.org/"', 'href="https://example.org/" rel="noopener noreferrer"'
    )


@pytest.mark.django_db
def test_save_stores_sanitised_html():
    post = Post.objects.create(
        title="t", slug="t", body='<p onmouseover="x()">Hi<script>1</script></p>'
    )
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"


@pytest.mark.django_db
def test_fixtures_are_sanitised_too():
    data = [
        {
            "model": "blog.post",
            "fields": {
                "title": "t",
                "slug": "t",
                "status": "draft",
                "body": "<script>x</script><p>ok</p>",
            },
        }
    ]
    for obj in serializers.deserialize("json", json.dumps(data)):
        obj.save()
    assert Post.objects.get(slug="t").body == "<p>ok</p>"


def test_plain_text_becomes_paragraphs_with_its_characters_escaped():
    typed = "First paragraph, AT&T <3.\nSame paragraph.\r\n\r\n  Second “quoted” one.  \n\n"
    assert sanitize_html(typed) == (
        "<p>First paragraph, AT&amp;T &lt;3.<br>Same paragraph.</p><p>Second “quoted” one.</p>"
    )


WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>
p.MsoNormal {margin:0cm; font-family:"Calibri"}</style></head><body lang=EN-US>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->
<p class=MsoNormal style='margin-bottom:0cm'><b><span style='font-size:12.0pt;
font-family:"Times New Roman"'>Ai Weiwei</span></b><span style='mso-spacerun:yes'> </span>
<i>never</i> sorry.<o:p></o:p></p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;</span>
</span>One item<o:p></o:p></p></body></html>"""

GOOGLE_DOCS_PASTE = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt;"><span style="font-size:11pt;'
    'font-family:Arial;font-weight:700;">Bold words</span><span style="font-size:11pt;'
    'font-weight:400;"> and plain ones, </span><span style="font-style:italic;'
    'font-weight:400;">in italics</span></p></b>'
)


def test_text_pasted_from_word_comes_out_clean():
    clean = sanitize_html(WORD_PASTE)
    assert "Mso" not in clean and "style" not in clean and "o:p" not in clean
    assert "<strong>Ai Weiwei</strong>" in clean or "<b>Ai Weiwei</b>" in clean
    assert "<i>never</i> sorry." in clean or "<em>never</em> sorry." in clean
    assert "One item" in clean and "p.MsoNormal" not in clean


def test_text_pasted_from_google_docs_keeps_its_real_bold_and_italic_only():
    assert sanitize_html(GOOGLE_DOCS_PASTE) == (
        "<p><strong>Bold words</strong> and plain ones, <em>in italics</em></p>"
    )


def test_the_admin_form_field_is_the_wysiwyg_editor_and_sanitises():
    from interviews.models import QuestionAnswer

    field = QuestionAnswer._meta.get_field("answer").formfield()
    assert type(field).__name__ == "ProseEditorFormField"
    assert field.clean('<p onclick="x()">Hi<script>1</script></p>') == "<p>Hi</p>"


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<object data=javascript:alert(1)>",
    '<embed src="javascript:alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
]
DANGEROUS = ("<script", "onerror", "onload", "ontoggle", "onfocus", "onclick", "javascript:",
             "vbscript:", "data:text", "<iframe", "<object", "<embed", "<svg", "<style",
             "<meta", "<form", "<input")  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_never_survive_sanitising(payload):
    clean = sanitize_html(f"<p>before</p>{payload}<p>after</p>").lower()
    assert not [marker for marker in DANGEROUS if marker in clean], clean
    assert "<p>before</p>" in clean


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_in_an_answer_never_reach_the_page_as_markup(client, payload):
    from tests.factories import QuestionAnswerFactory

    pair = QuestionAnswerFactory(answer=payload, question=f"Is {payload} safe?")
    page = client.get(pair.interview.get_absolute_url()).content.decode()
    assert live_markup_problems(page[page.index("<main") :]) == []
    assert f"Is {payload} safe?" in html.unescape(page)  # shown as the text it is


def live_markup_problems(markup: str) -> list[str]:
    """Elements and attributes in ``markup`` that a browser would run or load."""
    from bs4 import BeautifulSoup

    problems = []
    for tag in BeautifulSoup(markup, "html.parser").find_all(True):
        if tag.name == "script" and (tag.get("src") or "").startswith("/static/js/"):
            continue  # the site's own script (share links), never anything a payload wrote
        if tag.name in ("script", "iframe", "object", "embed", "svg", "math", "style", "meta",
                        "form", "input", "body", "details"):  # fmt: skip
            problems.append(f"<{tag.name}>")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() == "style":
                problems.append(f"{tag.name}[{name}]")
            if name in ("href", "src", "cite", "action") and re.match(
                r"\s*(javascript|vbscript|data):", text, re.IGNORECASE
            ):
                problems.append(f"{tag.name}[{name}={text[:20]}]")
    return problems


@pytest.mark.parametrize(
    ("dirty", "shown"),
    [
        ("<span>Fish & chips</span>", "<p>Fish &amp; chips</p>"),
        ("<font>Fish &amp; chips</font>", "<p>Fish &amp; chips</p>"),
        ("<custom>1 < 2 &amp; 3 > 2</custom>", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"),
        ("Fish &amp; chips", "<p>Fish &amp; chips</p>"),  # stored before a tag was required
    ],
)
def test_text_whose_only_markup_is_removed_is_escaped_once(dirty, shown):
    """Sanitising is idempotent: stored HTML read back by a form or save() is not re-escaped."""
    once = sanitize_html(dirty)
    assert once == shown
    assert sanitize_html(once) == once
    assert sanitize_html(sanitize_html(once)) == once


@pytest.mark.django_db
def test_a_post_whose_body_markup_is_all_removed_shows_its_ampersand_once(client):
    from tests.factories import PostFactory

    post = PostFactory(body="<span>Fish & chips</span>")
    post.refresh_from_db()
    post.save()  # a second save reads the stored value back through the field
    post.refresh_from_db()
    assert post.body == "<p>Fish &amp; chips</p>"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<p>Fish &amp; chips</p>" in page and "&amp;amp;" not in page


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitising_twice_changes_nothing(payload):
    once = sanitize_html(f"{payload} & more")
    assert sanitize_html(once) == once


GOOGLE_DOCS_BLANK_LINES = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-9f8e">'
    '<p dir="ltr"><span style="font-size:11pt;">First answer.</span></p><br>'
    '<p dir="ltr"><span style="font-size:11pt;"></span></p>'
    '<p dir="ltr"><span style="font-size:11pt;">&nbsp;</span></p>'
    '<p dir="ltr"><span style="font-size:11pt;font-weight:700;"><br></span></p>'
    '<p dir="ltr"><span style="font-size:11pt;">Second answer.</span></p></b>'
)


@pytest.mark.parametrize(
    "blank",
    ["<p></p>", "<p><br></p>", "<p><br/></p>", "<p>&nbsp;</p>", "<p>&#160;</p>", "<p>\u00a0</p>",
     "<p>  \n\t </p>", "<p> <br> &nbsp; <br> </p>", "<p><strong> </strong></p>",
     "<p><em><br></em></p>", '<p dir="ltr" style="margin:0"><span> </span></p>'],
)  # fmt: skip
def test_empty_paragraphs_are_dropped(blank):
    assert sanitize_html(f"<p>one</p>{blank}<p>two</p>") == "<p>one</p><p>two</p>"
    assert sanitize_html(blank) == ""


def test_blank_lines_of_a_google_docs_paste_leave_no_empty_paragraph():
    assert sanitize_html(GOOGLE_DOCS_BLANK_LINES) == "<p>First answer.</p><p>Second answer.</p>"


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [("<p>a</p><br><br>\n<p>b</p>", "<p>a</p><p>b</p>"),
     ("<p>a</p>\n<p>b</p>", "<p>a</p>\n<p>b</p>"),
     ("<br><h2>Head</h2><br>", "<h2>Head</h2>"),
     ("<ul><li>x</li></ul><br><hr><br><p>b</p>", "<ul><li>x</li></ul><hr><p>b</p>"),
     ("<p>line<br>next</p>", "<p>line<br>next</p>"),
     ("<blockquote><p>q</p><br></blockquote>", "<blockquote><p>q</p><br></blockquote>")],
)  # fmt: skip
def test_line_breaks_between_blocks_are_dropped_and_those_in_text_kept(pasted, kept):
    assert sanitize_html(pasted) == kept


@pytest.mark.parametrize(
    "kept",
    ["<p>a&nbsp;b</p>", "<p><br>text</p>", "<p><strong>0</strong></p>", "<p>.</p>",
     '<p><a href="https://example.org/" rel="noopener noreferrer">link</a></p>'],
)  # fmt: skip
def test_paragraphs_with_anything_to_read_are_kept(kept):
    assert sanitize_html(kept) == kept
    assert sanitize_html(sanitize_html(kept)) == kept


@pytest.mark.django_db
def test_a_saved_body_keeps_no_empty_paragraph():
    post = Post.objects.create(title="t", slug="t", body="<p>Hi</p><p><br></p><p>&nbsp;</p>")
    post.refresh_from_db()
    assert post.body == "<p>Hi</p>"
