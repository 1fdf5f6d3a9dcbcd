"""PostgreSQL: each entry's ``tsvector`` is kept in its row, not in the TOAST table.

A search reads the vector of every match it keeps, twice (``@@``, then ``ts_rank``). An
interview's vector is about 5 KB, over the size PostgreSQL moves out of line, so each read
was an index lookup and three chunk reads in the TOAST table: at 100,000 interviews, a
common word's first thousand matches took 11 ms to find and rank, and 3 ms kept in line
(``STORAGE MAIN``: compressed if it helps, moved out only when a row cannot fit a page).
The new storage applies to values written after it, so every row is written again once
(an UPDATE of a column it is made from computes it afresh). SQLite needs nothing.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE search_searchentry SET title = title",
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE search_searchentry ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "UPDATE search_searchentry SET title = title",
]


def run(statements: list[str]):
    def operation(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0004_full_text_kind")]

    operations = [migrations.RunPython(run(POSTGRESQL_FORWARD), run(POSTGRESQL_BACKWARD))]
