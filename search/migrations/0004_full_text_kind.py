"""SQLite: the FTS5 index holds each entry's kind too, so a kind is found inside the index.

A search for a kind with few matches among many ("films" for a word every interview
says) is then an AND of two doclists in FTS5, not a lookup of every match's row. Searches
keep the viewer's words to the text columns (``search.backends.fts5_match``). PostgreSQL
needs nothing: its GIN index is ANDed with the index on ``(kind, object_id)``.
"""

from django.db import migrations

TEXT = ("title", "keywords", "summary", "body")


def fts5(columns: tuple[str, ...]) -> list[str]:
    """Statements that (re)make the external-content FTS5 table over ``columns`` and its triggers."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        "DROP TRIGGER IF EXISTS search_entry_fts_insert",
        "DROP TRIGGER IF EXISTS search_entry_fts_delete",
        "DROP TRIGGER IF EXISTS search_entry_fts_update",
        "DROP TABLE IF EXISTS search_entry_fts",
        f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({names}, "
        "content='search_searchentry', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(rowid, {names}) VALUES (new.id, {new}); END",
        "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); END",
        "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
        f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {names}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO search_entry_fts(rowid, {names}) VALUES (new.id, {new}); END",
        "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
    ]


def run(columns: tuple[str, ...]):
    def operation(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in fts5(columns):
                schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0003_kind_choices_declared")]

    operations = [migrations.RunPython(run((*TEXT, "kind")), run(TEXT))]
