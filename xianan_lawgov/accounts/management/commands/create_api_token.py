"""Create an API token on the command line (replaces ``drf_create_token``)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registers.models import User
from xianan_lawgov.accounts.models import ApiToken
from xianan_lawgov.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "为接口客户端账号创建接口令牌并打印（只打印这一次，系统只保存摘要）。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建", help="令牌名称（用途或使用方）")
        parser.add_argument("--days", type=int, help="有效天数（默认 LAWGOV_TOKEN_LIFETIME_DAYS）")
        parser.add_argument(
            "--personal-data", action="store_true", help="允许查看个人信息（默认脱敏）"
        )

    def handle(self, *args, username, name, days=None, personal_data=False, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为 {username} 的启用账号。")
        if days is not None and days < 1:
            raise CommandError("--days 须为正整数。")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token = ApiToken(
            user=user, name=name, expires_at=expires_at, grants_personal_data=personal_data
        )
        try:
            key = issue_token(token)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(key)
