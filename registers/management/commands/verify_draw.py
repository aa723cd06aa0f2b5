"""Re-run stored double-random draws from their archived input and report any difference."""

from django.core.management.base import BaseCommand, CommandError

from registers.inspection_services import verify_draw
from registers.models import InspectionDraw


class Command(BaseCommand):
    help = "按存档的抽取输入和随机种子重新抽取，核对抽取记录是否一致（双随机抽查复核）。"

    def add_arguments(self, parser):
        parser.add_argument("draw_ids", nargs="*", type=int, metavar="id", help="抽取记录编号")
        parser.add_argument("--all", action="store_true", help="核对全部抽取记录")

    def handle(self, *args, draw_ids, all=False, **options):
        if all:
            draws = InspectionDraw.objects.select_related("item").order_by("pk")
        elif draw_ids:
            draws = InspectionDraw.objects.select_related("item").filter(pk__in=draw_ids)
            missing = set(draw_ids) - set(draws.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    "找不到抽取记录：" + "、".join(str(pk) for pk in sorted(missing))
                )
        else:
            raise CommandError("请给出抽取记录编号，或使用 --all。")

        failed = 0
        for record in draws:
            check = verify_draw(record)
            style = self.style.SUCCESS if check.ok else self.style.ERROR
            self.stdout.write(style(f"[{record.pk}] {record}：{check.summary}"))
            for problem in check.problems:
                self.stdout.write(f"    - {problem}")
            failed += not check.ok
        if failed:
            raise CommandError(f"{failed} 条抽取记录验证未通过。")
