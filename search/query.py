"""Viewers' search text, parsed once and written out for each database's full-text syntax.

What a viewer types is never passed to the database's query language: it is cut into
words, "quoted phrases", ``-excluded`` words and ``OR``, and every word is quoted again on
the way out, so FTS5 operators (``NEAR``, ``*``, ``^``, ``:``, parentheses) and
SQL-looking text are only ever searched for as words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 256
MAX_CLAUSES = 16
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Clause:
    """One word or phrase (its words in order), possibly excluded."""

    words: tuple[str, ...]
    excluded: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """Groups of alternatives (joined by OR), all of which must match; plus exclusions."""

    groups: tuple[tuple[Clause, ...], ...]
    excluded: tuple[Clause, ...]
    shortened: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def terms(self) -> list[str]:
        """Every word searched for, for messages and highlighting."""
        return [word for group in self.groups for clause in group for word in clause.words]

    def as_fts5(self) -> str:
        """SQLite FTS5 MATCH syntax: every clause a quoted string, so operators are inert."""

        def quoted(clause: Clause) -> str:
            return '"' + " ".join(clause.words) + '"'

        groups = ["(" + " OR ".join(quoted(c) for c in group) + ")" for group in self.groups]
        expression = " AND ".join(groups)
        for clause in self.excluded:
            expression = f"({expression}) NOT {quoted(clause)}"
        return expression

    def as_websearch(self) -> str:
        """PostgreSQL ``websearch_to_tsquery`` syntax, which never raises on any input."""

        def written(clause: Clause) -> str:
            text = " ".join(clause.words)
            # Quoted, a lone "or" is a word, as in FTS5, not websearch's operator.
            text = f'"{text}"' if len(clause.words) > 1 or text == "or" else text
            return f"-{text}" if clause.excluded else text

        parts = [" or ".join(written(c) for c in group) for group in self.groups]
        return " ".join(parts + [written(c) for c in self.excluded])


def clean(text: str) -> str:
    """Drop control characters (PostgreSQL refuses NUL) and normalise the Unicode form."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)


def parse(text: str) -> ParsedQuery:
    """Words, "phrases", -exclusions and OR; anything else is only a word separator."""
    text = clean(text or "").strip()
    shortened = len(text) > MAX_LENGTH
    text = text[:MAX_LENGTH]
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for match in _TOKEN.finditer(text):
        negated, phrase, bare = match.groups()
        if bare is not None and bare == "OR" and groups:
            join_next = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        # A bare "e-mail" or "10pm/9c" keeps its words together, in order, as a phrase.
        words = tuple(w.lower() for w in _WORD.findall(phrase if bare is None else bare))
        if not words:
            continue
        clause = Clause(words, excluded=bool(negated))
        if sum(len(g) for g in groups) + len(excluded) >= MAX_CLAUSES:
            shortened = True
            break
        if clause.excluded:
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded), shortened)
