"""SQLite: the FTS5 index holds each kind as a token no search word can be, so a search
needs no column filter.

Searches kept the viewer's words off the ``kind`` column with a column filter
(``{title keywords summary body} : ...``), so that "film" did not find every film. But a
column filter makes ``bm25`` decode the position list of every row holding a searched word,
to learn its column, when it weighs the word by its rarity: at 100,000 interviews, 17 ms
for "filming" against 7.5 ms with no filter, 20 ms against 15 ms for "never sorry". Each
kind is now indexed with a private-use character in front (``search.backends.KIND_MARK``),
which a search's words never hold (``search.query.clean`` drops such characters), through a
view over the entries that the index reads its text from. PostgreSQL needs nothing.

A later migration that makes SQLite rebuild ``search_searchentry`` (most ``AlterField`` and
``RemoveField`` operations: Django copies the table, drops it and renames the copy) must
drop the view and the triggers first and make them again after, as this one does: the
rename fails with "error in view search_entry_fts_source", and the triggers go with the
dropped table.
"""

from django.db import migrations

TEXT = ("title", "keywords", "summary", "body")
NAMES = ", ".join((*TEXT, "kind"))
KIND_MARK = "char(57346)"  # U+E002, search.backends.KIND_MARK


def fts5(content: str, kind: str) -> list[str]:
    """Statements that remake the FTS5 table over ``content``, and its triggers, the kind
    written as ``kind`` gives (``{row}`` is ``new`` or ``old``)."""
    new = ", ".join([*(f"new.{column}" for column in TEXT), kind.format(row="new")])
    old = ", ".join([*(f"old.{column}" for column in TEXT), kind.format(row="old")])
    return [
        "DROP TRIGGER IF EXISTS search_entry_fts_insert",
        "DROP TRIGGER IF EXISTS search_entry_fts_delete",
        "DROP TRIGGER IF EXISTS search_entry_fts_update",
        "DROP TABLE IF EXISTS search_entry_fts",
        f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({NAMES}, "
        f"content='{content}', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(rowid, {NAMES}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {NAMES}) "
        f"VALUES ('delete', old.id, {old}); END",
        "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {NAMES}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_entry_fts(rowid, {NAMES}) VALUES (new.id, {new}); END",
        "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    ]


FORWARD = [
    "DROP VIEW IF EXISTS search_entry_fts_source",
    f"CREATE VIEW search_entry_fts_source AS SELECT id, {', '.join(TEXT)}, "
    f"{KIND_MARK} || kind AS kind FROM search_searchentry",
    *fts5("search_entry_fts_source", f"{KIND_MARK} || {{row}}.kind"),
]
BACKWARD = [
    *fts5("search_searchentry", "{row}.kind"),
    "DROP VIEW IF EXISTS search_entry_fts_source",
]


def run(statements: list[str]):
    def operation(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0005_vector_kept_in_row")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
