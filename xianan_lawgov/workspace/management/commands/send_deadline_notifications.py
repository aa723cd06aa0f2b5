"""Notify each unit's users of deadlines overdue or due within 3 working days, by hand: the
background worker does it each morning (``LAWGOV_JOBS["NOTIFICATIONS_AT"]``); this makes up a
day or runs one for a given date. Their e-mails are queued for the worker."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from xianan_lawgov.workspace.notifications import send_deadline_notifications


class Command(BaseCommand):
    help = (
        "向各单位用户发送期限提醒：已逾期和 3 个工作日内到期的法定期限。"
        "同一事项每人每天只提醒一次。后台任务进程每天自动运行；此命令用于补发某一天的提醒"
        "（邮件由后台任务进程发送）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="以哪一天为“今天”（YYYY-MM-DD），默认今天。")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        created = send_deadline_notifications(today)
        self.stdout.write(self.style.SUCCESS(f"{today.isoformat()}：新发出期限提醒 {created} 条。"))
