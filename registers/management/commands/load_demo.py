"""Load the demonstration data set: Xian'an's units, demo accounts and the 2017 registers.

Every installed app may contribute a ``demo`` module with ``load(command, progress)`` and a
``STEPS`` sequence (one entry per step it reports to the progress bar); they run in
INSTALLED_APPS order, so an app's demo data can rely on the apps it builds on.
"""

import importlib
import importlib.util
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from registers.demo.units import write_accounts
from registers.progress import ProgressBar


def demo_modules():
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is not None:
            yield importlib.import_module(module_name)


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
        modules = list(demo_modules())
        total = sum(len(getattr(module, "STEPS", ())) or 1 for module in modules)
        # What the modules print (the demo accounts…) is kept until the bar has finished,
        # so it does not break the bar's line.
        output, self.stdout = self.stdout, OutputWrapper(StringIO())
        try:
            with ProgressBar(total, stream=output, label="载入演示数据") as progress:
                with transaction.atomic():
                    for module in modules:
                        if hasattr(module, "STEPS"):
                            module.load(self, progress)
                        else:
                            module.load(self)
                            progress.advance()
        finally:
            printed, self.stdout = self.stdout, output
        self.stdout.write(printed._out.getvalue(), ending="")
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
        write_accounts(self)
