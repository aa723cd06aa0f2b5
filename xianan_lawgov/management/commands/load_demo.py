"""Load the demonstration data set: Xian'an's units, demo accounts and the 2017 registers.

The project is the one place that knows every app: each app's ``demo`` module has
``load(command, progress)`` and a ``STEPS`` sequence (one entry per step it reports to the
progress bar). They run in the order below, so an app's demo data can rely on the apps it
builds on (the reviews refer to the registers' units and documents).
"""

from io import StringIO

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

import registers.demo
import reviews.demo
from registers.core.progress import ProgressBar
from registers.core.roles import Role
from registers.demo.units import write_accounts
from registers.models import User
from xianan_lawgov.accounts.models import ApiToken
from xianan_lawgov.accounts.tokens import issue_token, revoke_token

#: The name of the token the demo gives each API client (a new one each run: only a token's
#: hash is stored, so the previous key cannot be printed again).
DEMO_TOKEN_NAME = "演示令牌"

DEMO_MODULES = (registers.demo, reviews.demo)


class Command(BaseCommand):
    help = "载入演示数据（单位、演示账号和 2017 年台账）。可重复运行，结果不变。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG 关闭时也载入（会创建密码为 demo 的账号，切勿用于生产库）。",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 未开启，拒绝载入演示数据：演示账号的密码都是 demo，不能进入生产数据库。"
                "确需载入请加 --force。"
            )
        total = sum(len(module.STEPS) for module in DEMO_MODULES)
        # What the modules print (the demo accounts…) is kept until the bar has finished,
        # so it does not break the bar's line.
        output, self.stdout = self.stdout, OutputWrapper(StringIO())
        try:
            with ProgressBar(total, stream=output, label="载入演示数据") as progress:
                with transaction.atomic():
                    for module in DEMO_MODULES:
                        module.load(self, progress)
        finally:
            printed, self.stdout = self.stdout, output
        self.stdout.write(printed._out.getvalue(), ending="")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        self.give_api_clients_tokens()
        write_accounts(self)

    def give_api_clients_tokens(self) -> None:
        usernames = {name for name, _description in getattr(self, "accounts", [])}
        keys = {}
        for user in User.objects.filter(role=Role.API_CLIENT, username__in=usernames):
            for old in ApiToken.objects.filter(user=user, name=DEMO_TOKEN_NAME, revoked_at=None):
                revoke_token(old)
            keys[user.username] = issue_token(ApiToken(user=user, name=DEMO_TOKEN_NAME))
        self.accounts = [
            (name, f"{description}  令牌：{keys[name]}" if name in keys else description)
            for name, description in self.accounts
        ]
