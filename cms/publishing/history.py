"""Comparing two saved versions of a page, as text, with the changed words marked.

A version is read as a list of labelled texts: the page's own fields, then each related
row (an interview's question/answer pairs, a film's credits) in order. Two such lists
are lined up by label and each pair of texts is compared word by word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version


@dataclass(frozen=True)
class RelatedRows:
    """How a page's related rows appear in a comparison."""

    model: type
    fk_name: str
    order_by: str
    label: str  # e.g. "Question {n}"
    fields: tuple[str, ...]


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # The same instant may be stored with different offsets; show it on the editor's clock.
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    text = str(value)
    if "<" in text and ">" in text:
        text = unescape(strip_tags(re.sub(r"</p>|<br\s*/?>", "\n", text)))
    return text.strip()


def field_text(field, values: dict) -> str:
    """A stored value as an editor reads it: a related row by its name, not its id."""
    value = values.get(field.attname, values.get(field.name))
    if field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"(deleted, id {value})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return as_text(value)


def version_document(version: Version, fields: list[str], related: list[RelatedRows]) -> dict:
    """The labelled texts of one version, in reading order."""
    model = version._model
    data = version.field_dict
    document = {}
    for name in fields:
        field = model._meta.get_field(name)
        document[str(field.verbose_name).capitalize()] = field_text(field, data)
    for rows in related:
        content_type = ContentType.objects.get_for_model(rows.model)
        dicts = [
            v.field_dict
            for v in version.revision.version_set.filter(content_type=content_type)
            if str(v.field_dict.get(f"{rows.fk_name}_id")) == str(version.object_id)
        ]
        dicts.sort(key=lambda d: (d.get(rows.order_by) or 0, d.get("id") or 0))
        for number, values in enumerate(dicts, start=1):
            for name in rows.fields:
                field = rows.model._meta.get_field(name)
                label = f"{rows.label.format(n=number)}: {field.verbose_name}"
                document[label] = field_text(field, values)
    return document


def tokens(text: str) -> list[str]:
    """Words, with paragraph breaks as tokens of their own."""
    return re.findall(r"\n+|[^\s]+", text)


def render_tokens(words: list[str]) -> str:
    return " ".join("<br>" if word.startswith("\n") else escape(word) for word in words)


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts as HTML, removed words in <del> on the old side, added ones in <ins>."""
    old_words, new_words = tokens(old), tokens(new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed = render_tokens(old_words[i1:i2])
        added = render_tokens(new_words[j1:j2])
        if tag == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(f"<del>{removed}</del>")
        if added:
            right.append(f"<ins>{added}</ins>")
    # Safe: every word went through escape(); the only markup is ours.
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))


def compare(old: dict, new: dict) -> list[dict]:
    """Rows of a side-by-side comparison, one per label present in either version."""
    labels = list(old) + [label for label in new if label not in old]
    rows = []
    for label in labels:
        before, after = old.get(label, ""), new.get(label, "")
        left, right = word_diff(before, after)
        rows.append({"label": label, "old": left, "new": right, "changed": before != after})
    return rows
