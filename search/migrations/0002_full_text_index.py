"""The database's own full-text index over search entries.

SQLite: an external-content FTS5 table (Porter stemming over unicode61) kept in step with
``search_searchentry`` by triggers. PostgreSQL: a stored, generated, weighted ``tsvector``
column with a GIN index. Note for later migrations of ``SearchEntry`` on SQLite: Django
rebuilds a table to alter it, which drops its triggers; recreate them afterwards.
"""

from django.db import migrations

COLUMNS = "title, keywords, summary, body"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    f"{COLUMNS}, content='search_searchentry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(rowid, {COLUMNS}) "
    "VALUES (new.id, new.title, new.keywords, new.summary, new.body); END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    f"INSERT INTO search_entry_fts(search_entry_fts, rowid, {COLUMNS}) "
    "VALUES ('delete', old.id, old.title, old.keywords, old.summary, old.body); "
    f"INSERT INTO search_entry_fts(rowid, {COLUMNS}) "
    "VALUES (new.id, new.title, new.keywords, new.summary, new.body); END",
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRESQL_CREATE = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, keywords), 'B') || "
    "setweight(to_tsvector('english'::regconfig, summary), 'C') || "
    "setweight(to_tsvector('english'::regconfig, body), 'D')) STORED",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (search_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
