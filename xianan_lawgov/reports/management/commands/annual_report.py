"""Write one year's annual report to a file: html, docx, xlsx or json (usable from cron)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from registers.models import Unit
from xianan_lawgov.reports import outputs
from xianan_lawgov.reports.docx_output import to_docx
from xianan_lawgov.reports.models import PublishedReport, Report
from xianan_lawgov.reports.services import build_live, build_published, get_or_start_report

FORMATS = ("html", "docx", "xlsx", "json")
FIRST_YEAR = 2017


class Command(BaseCommand):
    help = "生成法治政府建设年度报告文件。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2017")
        parser.add_argument("--format", required=True, help="html、docx、xlsx 或 json")
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出）")
        parser.add_argument("--unit", help="单位代码；不填为全区报告")
        parser.add_argument(
            "--published-version", type=int, dest="version", help="已发布的版本号；不填为当前草稿"
        )

    def handle(self, *args, year, format, output, unit=None, version=None, **options):
        if format not in FORMATS:
            raise CommandError(f"不支持的格式“{format}”，可选：{'、'.join(FORMATS)}。")
        if not FIRST_YEAR <= year <= timezone.localdate().year:
            raise CommandError(
                f"没有 {year} 年度的数据：年度应在 {FIRST_YEAR} 到 "
                f"{timezone.localdate().year} 之间。"
            )
        scope_unit = None
        if unit:
            scope_unit = Unit.objects.filter(code=unit).first()
            if scope_unit is None:
                raise CommandError(f"找不到单位代码“{unit}”。")
        if version is not None:
            published = PublishedReport.objects.filter(
                year=year, unit=scope_unit, version=version
            ).first()
            if published is None:
                raise CommandError(f"{year} 年度没有第 {version} 版已发布报告。")
            document = build_published(published)
        else:
            report = Report.objects.filter(year=year, unit=scope_unit).first()
            document = build_live(report or get_or_start_report(year, scope_unit))

        if format == "json":
            content = json.dumps(outputs.to_json(document), ensure_ascii=False, indent=2)
        elif format == "html":
            content = render_to_string(
                "reports/standalone.html", {"document": document, "unit_query": ""}
            )
        elif format == "xlsx":
            content = outputs.to_xlsx(document, with_records=document.published is None)
        else:
            content = to_docx(document)

        if output == "-":
            if isinstance(content, bytes):
                raise CommandError("二进制格式不能输出到标准输出，请指定 --output 文件。")
            self.stdout.write(content)
            return
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已写入 {path}"))
