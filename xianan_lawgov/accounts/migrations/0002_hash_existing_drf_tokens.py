"""Tokens made before API tokens were hashed (Django REST framework's ``authtoken``, stored
as they were): each becomes a hashed, named token with the default lifetime, keeping its
key working, and the plain keys are removed from the old table."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def hash_old_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = settings.LAWGOV_SECURITY["TOKEN_LIFETIME_DAYS"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")  # noqa: S608
        rows = cursor.fetchall()
        ApiToken.objects.bulk_create(
            ApiToken(
                user_id=user_id,
                name="原有令牌",
                prefix=key[:8],
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                created_at=created,
                expires_at=timezone.now() + datetime.timedelta(days=days),
            )
            for key, user_id, created in rows
        )
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_tokens_locks_passwords_sessions")]

    operations = [migrations.RunPython(hash_old_tokens, migrations.RunPython.noop)]
