"""Fold the identifiers stored before they were normalised on save (full-width digits and
letters, ASCII parentheses, surrounding spaces), with each field's own normalisation. Records
whose folding would clash on a unique key are left as they are and listed
(`manage.py check_identifiers`); the migration never fails on them."""

from django.db import migrations

from registers.core.identifiers import fold_app


def fold(apps, schema_editor):
    fold_app(apps, "reviews")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_correction_rate_denominator"),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop, elidable=True),
    ]
