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
from registers.demo.units import write_accounts

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
        write_accounts(self)
