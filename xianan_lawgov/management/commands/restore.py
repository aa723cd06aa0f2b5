"""Restore an archive written by ``manage.py backup`` (see xianan_lawgov.backups).

Into an empty database (and an empty MEDIA_ROOT) only, unless ``--force``; every checksum is
checked first, and nothing is changed if one does not match.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xianan_lawgov import __version__
from xianan_lawgov.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 manage.py backup 写的归档恢复数据库和上传的文件。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份文件（.tar.gz）")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库不是空的也恢复：删除其中的全部表；现有上传文件移到旁边保留",
        )

    def handle(self, *args, archive, force=False, **options):
        if not archive.is_file():
            raise CommandError(f"备份文件不存在：{archive}")
        try:
            result = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(error.message) from error
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 {archive}（{manifest.created_at} 的备份，版本 {manifest.version}，"
                f"{result.files} 个上传文件）到 {settings.MEDIA_ROOT} 和数据库。"
            )
        )
        if result.media_moved_to:
            self.stdout.write(f"原有的上传文件已移到 {result.media_moved_to}")
        if result.unknown_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"备份来自更新的版本 {manifest.version}（当前 {__version__}），其中有本版本"
                    f"不认识的数据库迁移：{'、'.join(result.unknown_migrations)}。"
                    f"请安装版本 {manifest.version} 再使用这个数据库。"
                )
            )
        elif result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"备份来自版本 {manifest.version}，还有 {result.pending_migrations} 个"
                    "数据库迁移未执行：请运行 manage.py migrate。"
                )
            )
