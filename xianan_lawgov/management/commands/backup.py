"""Back up the database and the uploaded files into one archive (see xianan_lawgov.backups).

Run it from a timer (deploy/systemd/xianan-lawgov-backup.timer); ``--keep`` removes the
oldest archives beyond that many.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xianan_lawgov.backups import BackupError, create_backup, prune


class Command(BaseCommand):
    help = "备份数据库和上传的文件（一个带校验和清单的归档文件）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="备份目录；不填为设置 BACKUP_DIR（环境变量）"
        )
        parser.add_argument(
            "--keep", type=int, help="只保留最新的 N 个备份，更早的删除；不填则全部保留"
        )

    def handle(self, *args, output=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。")
        directory = output or Path(settings.BACKUP_DIR)
        try:
            archive = create_backup(directory)
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"已备份到 {archive}"))
        if keep is not None:
            for old in prune(directory, keep):
                self.stdout.write(f"已删除旧备份 {old}")
