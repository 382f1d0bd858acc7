"""Trigram indexes for the ticket search, on PostgreSQL only.

The search (``selectors.ticket_list`` with ``q``) matches ``number`` exactly or at its end and
``title``/``description`` case-insensitively anywhere; Django writes that as
``UPPER(col::text) LIKE UPPER('%q%')`` / ``number LIKE '%q'`` / ``UPPER(number) = UPPER('q')``,
which no B-tree can serve. pg_trgm GIN indexes on exactly those expressions can; with 1M tickets
they took the search from ~1.2 s to milliseconds (docs/benchmarks.md).

pg_trgm is a trusted extension (PostgreSQL 13+): the owner of the database may create it.
SQLite (development, tests, the demo) skips this migration's work.
"""

from django.db import migrations

INDEXES = {
    "ticket_title_trgm": "UPPER(title) gin_trgm_ops",
    "ticket_description_trgm": "UPPER(description) gin_trgm_ops",
    "ticket_number_trgm": "number gin_trgm_ops",
    "ticket_number_upper_trgm": "UPPER(number) gin_trgm_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON tickets_ticket USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
