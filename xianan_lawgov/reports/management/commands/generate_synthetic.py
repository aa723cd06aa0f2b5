"""Fill the database with synthetic districts for load tests and benchmarks of the report."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xianan_lawgov.reports.synthetic import existing_districts, generate


class Command(BaseCommand):
    help = (
        "生成合成数据（每个合成区约等于演示数据一年半的数据量），用于压力测试和年度报告的性能基准。"
        "已存在的合成区不会重复生成。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, required=True, help="合成区的个数（1 约等于演示数据的数据量）"
        )
        parser.add_argument("--year", type=int, default=2017, help="报告年度（同时生成上一年度）")
        parser.add_argument("--seed", type=int, default=2017, help="随机种子，相同种子生成相同数据")
        parser.add_argument(
            "--force",
            action="store_true",
            help="DEBUG 关闭时也生成（会写入大量虚构记录，切勿用于生产库）。",
        )

    def handle(self, *args, scale, year, seed, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 未开启，拒绝生成合成数据：虚构记录不能进入生产数据库。确需生成请加 --force。"
            )
        if scale < 1:
            raise CommandError("--scale 至少为 1。")
        if not 2000 <= year <= 2100:
            raise CommandError(f"年度 {year} 不合理。")
        present = len([n for n in existing_districts() if n <= scale])
        if present:
            self.stdout.write(f"已有 {present} 个合成区，跳过。")
        written = generate(scale, year, seed, progress=self.stderr)
        for label, count in sorted(written.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"合成数据已就绪：{scale} 个合成区，共写入 {sum(written.values())} 行。"
            )
        )
