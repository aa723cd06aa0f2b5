"""The acceptance case: the 2017 Xian'an report, reproduced from the demo records."""

import datetime
import io
import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from registers.core.status import Status
from registers.models import Unit, User
from reviews.models import CommentDraftReply, LitigationCase
from xianan_lawgov.reports import figures as engine
from xianan_lawgov.reports import outputs
from xianan_lawgov.reports.docx_output import to_docx
from xianan_lawgov.reports.services import build_live, get_or_start_report
from xianan_lawgov.reports.text import plain_text

# A copy of the real report (shared/seeds/000_20edbe9a567d0323.txt), kept with the tests.
SEED = (Path(__file__).parent / "data" / "xianan_2017_report.txt").read_text(encoding="utf-8")

# The figures of the real 2017 report (DOMAIN.md, acceptance case) and where they appear.
SEED_FIGURES = {
    "inspection.items": (208, "208项随机抽查事项"),
    "inspection.items_administrative": (187, "行政检查事项187项"),
    "inspection.items_other": (21, "检查事项共21项"),
    "licences.integrated_items": (27, "共计27个事项"),
    "licences.first_licence_on": (datetime.date(2017, 8, 1), "今年8月1日"),
    "legality.reviews_completed": (85, "审核各类文件85件"),
    "legality.comment_drafts_answered": (6, "征求意见稿6件"),
    "legality.normative_filed": (2, "行政规范性文件2件"),
    "cleanup.documents": (576, "文件576份"),
    "cleanup.normative": (21, "规范性文件 21 份"),
    "cleanup.non_normative": (555, "非规范性文件 555 份"),
    "cleanup.normative_continued": (13, "继续有效的13份"),
    "cleanup.normative_repealed": (8, "废止的8份"),
    "cleanup.non_normative_in_validity": (367, "有效期内的 367 份"),
    "cleanup.non_normative_past_validity": (63, "超过有效期的 63 份"),
    "cleanup.non_normative_to_revise": (125, "拟修改完善的125份"),
    "contracts.lawyer_reviewed": (40, "共审理合同40份"),
    "evaluation.rounds": (2, "组织2 次"),
    "evaluation.units": (46, "区直46个行政执法单位"),
    "evaluation.files": (56, "行政执法案卷56卷"),
    "evaluation.files_licensing": (25, "行政许可25卷"),
    "evaluation.files_penalty": (25, "行政处罚25卷"),
    "evaluation.files_coercion": (6, "行政强制6卷"),
    "reconsideration.received": (4, "申请4件"),
    "reconsideration.accepted": (3, "受理3件"),
    "reconsideration.concluded": (3, "审结3件"),
    "litigation.cases": (13, "行政应诉案件13件"),
    "litigation.head_appearance_rate": (100, "100%出庭"),
}


@pytest.fixture
def report(demo):
    return get_or_start_report(2017)


def test_every_seed_figure_is_computed_from_records(demo):
    figures = engine.compute_figures(2017)
    assert {key: figures[key].value for key in SEED_FIGURES} == {
        key: value for key, (value, _text) in SEED_FIGURES.items()
    }
    assert figures.warnings == []


def test_the_rendered_2017_report_reproduces_the_seed_text(report):
    assert plain_text(build_live(report).paragraphs) == SEED


def test_every_seed_figure_appears_in_the_text_the_docx_and_the_json(report):
    document = build_live(report)
    text = plain_text(document.paragraphs)
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(document))).paragraphs)
    data = json.loads(json.dumps(outputs.to_json(document), ensure_ascii=False))
    json_values = {figure["key"]: figure["value"] for figure in data["figures"]}
    for key, (value, phrase) in SEED_FIGURES.items():
        assert phrase in text, key
        assert phrase in word, key
        expected = value.isoformat() if isinstance(value, datetime.date) else value
        assert json_values[key] == expected, key


def test_changing_a_record_changes_the_figure_and_the_text(report, demo):
    reply = CommentDraftReply.objects.approved().replied_in(2017).first()
    CommentDraftReply.objects.filter(pk=reply.pk).update(status=Status.RETURNED)
    text = plain_text(build_live(report).paragraphs)
    assert "回复地方性法规、规章征求意见稿5件" in text

    case = LitigationCase.objects.approved().served_in(2017).first()
    case.hearings.update(head_name="", head_rank="")
    assert "行政机关负责人92.3%出庭" in plain_text(build_live(report).paragraphs)


def test_a_unit_scoped_report_counts_only_that_unit(demo):
    unit = Unit.objects.get(code="V01")
    figures = engine.compute_figures(2017, unit)
    district = engine.compute_figures(2017)
    items = figures["inspection.items"].value
    assert 0 < items < district["inspection.items"].value
    assert items == (
        figures["inspection.items_administrative"].value + figures["inspection.items_other"].value
    )
    assert figures["reconsideration.received"].value <= district["reconsideration.received"].value


def test_figure_queries_are_bounded(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(120):
        engine.compute_figures(2017)


def test_the_report_page_links_each_figure_to_its_records(client, report):
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("reports:detail", args=[2017])).content.decode()
    link = reverse("reports:records", args=[2017, "cleanup.normative_repealed"])
    assert link in page
    records = client.get(link)
    assert records.status_code == 200
    assert "废止" in records.content.decode() or records.context["count"] == 8
    assert records.context["count"] == 8


def test_the_command_writes_each_format(report, tmp_path):
    for fmt in ("html", "docx", "xlsx", "json"):
        target = tmp_path / f"report.{fmt}"
        call_command(
            "annual_report", year=2017, format=fmt, output=str(target), stdout=io.StringIO()
        )
        assert target.stat().st_size > 1000
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["year"] == 2017


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": 2011, "format": "docx"}, "没有 2011 年度的报告：年度须在 2017 至"),
        ({"year": 2017, "format": "pdf"}, "不支持的格式“pdf”"),
        ({"year": 2017, "format": "json", "unit": "NOPE"}, "没有单位代码为“NOPE”的单位"),
    ],
)
def test_the_command_refuses_bad_input(db, tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", output=str(tmp_path / "x"), **options)
    assert not (tmp_path / "x").exists()


def test_the_command_exits_non_zero_on_bad_input(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "annual_report",
            "--year",
            "2017",
            "--format",
            "pdf",
            "--output",
            str(tmp_path / "x.pdf"),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
    )
    assert result.returncode != 0
    assert "不支持的格式" in result.stderr
