"""Trigram indexes for the documents' search by title and number, on PostgreSQL only.

The admin's search (and the document picker's) asks ``title`` and ``number`` with
``icontains``, which Django writes ``UPPER("title"::text) LIKE UPPER('%…%')``: without an
index every document is read. A GIN index of ``pg_trgm`` over the same expressions answers a
search of three characters or more from the index; shorter ones (``办法``) still read the
table, but the statistics gathered on the expressions let the planner walk the list's own
index (``registers_document_listing``) until a page is full instead of sorting every match.

SQLite has no extensions: there the migration does nothing and the search reads the table
as before. The extension is left in place when going back (other objects may use it).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

#: The searched columns, each with its index.
SEARCHED = {"title": "registers_document_title_trgm", "number": "registers_document_number_trgm"}


class TrigramExtensionOnPostgres(TrigramExtension):
    """Created on PostgreSQL (skipped elsewhere by Django itself); kept when going back."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, index in SEARCHED.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "registers_document" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in SEARCHED.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0019_list_indexes"),
    ]

    operations = [
        TrigramExtensionOnPostgres(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
