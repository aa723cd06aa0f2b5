"""List the stored identifiers that are not in their normalised spelling, above all those
the data migration left unfolded because folding them would make two records of one unique
key equal (``registers.core.identifiers.fold_identifiers``). ``--fold`` folds the rest.

A command, not a system check: finding them reads every record with an identifier, which a
check run by every ``manage.py`` call and every server start should not do; the migration
points here when it leaves a clash, and the command exits with status 1 while one remains.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from registers.core.identifiers import fold_identifiers


class Command(BaseCommand):
    help = "列出未统一为半角写法的编号，特别是统一后会与其他记录重复而未改写的编号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--fold", action="store_true", help="把不会重复的编号统一为半角写法（改写数据库）"
        )

    def handle(self, *args, fold=False, **options):
        with transaction.atomic():
            result = fold_identifiers(apps.get_models(), write=fold)
        verb = "已统一" if fold else "可统一（加 --fold 改写）"
        for label, count in result.folded.items():
            self.stdout.write(f"{label}：{count} 条记录的编号{verb}")
        for clash in result.clashes:
            self.stdout.write(
                self.style.WARNING(f"统一后重复，未改写，请人工核对并修改其中一条：{clash}")
            )
        if not result.folded and not result.clashes:
            self.stdout.write(self.style.SUCCESS("所有编号均已是统一写法。"))
        if result.clashes:
            raise SystemExit(1)
