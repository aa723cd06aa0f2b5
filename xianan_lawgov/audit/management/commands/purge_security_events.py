"""Remove audit entries past the retention period, after archiving them as CSV if asked."""

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xianan_lawgov.audit.export import audit_rows, csv_lines
from xianan_lawgov.audit.models import MINIMUM_RETENTION_DAYS, SecurityEvent


class Command(BaseCommand):
    help = (
        "删除超过保存期限的安全审计日志（LAWGOV_AUDIT_RETENTION_DAYS，默认 180 天，"
        f"不得少于 {MINIMUM_RETENTION_DAYS} 天）。可先用 --archive 导出到 CSV 文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", help="先把将删除的日志写入这个 CSV 文件")

    def handle(self, *args, archive=None, **options):
        days = settings.LAWGOV_SECURITY["AUDIT_RETENTION_DAYS"]
        if days < MINIMUM_RETENTION_DAYS:
            raise CommandError(
                f"安全审计日志至少保存 {MINIMUM_RETENTION_DAYS} 天，当前设置为 {days} 天。"
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = SecurityEvent.objects.filter(occurred_at__lt=cutoff)
        if archive:
            with open(archive, "w", encoding="utf-8", newline="") as out:
                out.writelines(csv_lines(audit_rows(old)))
        count = old.purge_before(cutoff)
        # The login lockout's own bookkeeping (django-axes) ages out with the log.
        AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
        AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
        self.stdout.write(f"已删除 {count} 条超过 {days} 天的安全审计日志。")
