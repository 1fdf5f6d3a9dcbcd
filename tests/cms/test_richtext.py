"""Rich text is sanitised on every way in: save(), forms and fixtures."""

import json

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
