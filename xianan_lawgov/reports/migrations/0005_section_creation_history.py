"""Give every report section written before its creation was recorded a "created" history
row, dated its report's last save (sections were always written with their report), so that
the text a reviewer returned or approved can be read back from the history."""

from django.db import migrations


def record_sections(apps, schema_editor):
    Section = apps.get_model("reports", "Section")
    HistoricalSection = apps.get_model("reports", "HistoricalSection")
    recorded = HistoricalSection.objects.filter(history_type="+").values("id")
    fields = [field.attname for field in Section._meta.concrete_fields]
    rows = [
        HistoricalSection(
            **{name: getattr(section, name) for name in fields},
            history_date=section.report.updated_at,
            history_type="+",
        )
        for section in Section.objects.select_related("report").exclude(pk__in=recorded)
    ]
    HistoricalSection.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_unit_report_templates")]

    operations = [migrations.RunPython(record_sections, migrations.RunPython.noop)]
