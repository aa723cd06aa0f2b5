"""Write one year's annual report to a file: html, docx, xlsx or json (usable from cron).

The year, the unit and the version are checked as the report pages and the API check them
(``access.report_scope``); the file is the one they serve (``outputs.report_file``).
Writing a report that was never edited saves nothing.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xianan_lawgov.reports.access import COMMAND_LINE, ReportNotFound, report_scope
from xianan_lawgov.reports.outputs import FORMATS, report_file


class Command(BaseCommand):
    help = "生成法治政府建设年度报告文件。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2017")
        parser.add_argument("--format", required=True, help="、".join(FORMATS))
        parser.add_argument("--output", required=True, help="输出文件路径（- 表示标准输出）")
        parser.add_argument("--unit", help="单位代码；不填为全区报告")
        parser.add_argument(
            "--published-version", type=int, dest="version", help="已发布的版本号；不填为当前草稿"
        )

    def handle(self, *args, year, format, output, unit=None, version=None, **options):
        try:
            file = report_file(report_scope(COMMAND_LINE, year, unit or ""), format, version)
        except ReportNotFound as error:
            raise CommandError(error.message) from error

        if output == "-":
            if file.is_binary:
                raise CommandError("二进制格式不能输出到标准输出，请指定 --output 文件。")
            self.stdout.write(file.content, ending="")  # the file exactly, for a pipe
            return
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}")
        if file.is_binary:
            path.write_bytes(file.content)
        else:
            path.write_text(file.content, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已写入 {path}"))
