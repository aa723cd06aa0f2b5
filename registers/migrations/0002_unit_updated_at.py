import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0001_foundation"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True,
                db_index=True,
                default=django.utils.timezone.now,
                verbose_name="更新时间",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalunit",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="更新时间",
            ),
            preserve_default=False,
        ),
    ]
