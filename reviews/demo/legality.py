"""Demo data: the legal office's 2017 work on documents.

- 85 drafts whose legality review was completed in 2017 (3 normative documents, 24
  government decisions, 58 other files), plus two received at the end of 2017 and
  completed in January 2018, which belong to 2018;
- 6 replies to drafts of local regulations and rules sent for comment;
- filings of the government's 2017 normative documents with the municipal government: two
  filed in 2017, and the December document filed in January 2018.

Idempotent: reviews are looked up by (unit, title, received date), replies by (title,
received date), filings by (document, authority).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core.workingdays import WorkingCalendar
from registers.demo.documents import APPROVALS, PLACES, SUBJECTS, spread
from registers.demo.units import office_user
from registers.demo.writes import upsert_approved
from registers.models import Document, Unit
from reviews.models import (
    CommentDraftReply,
    DraftKind,
    Filing,
    FilingAuthority,
    LegalityReview,
    ReviewKind,
    ReviewResult,
)

# The three normative drafts: (drafting unit, document title, received, completed).
NORMATIVE_REVIEWS = [
    ("D08", "咸安区政府投资项目合同管理办法", (2017, 2, 27), (2017, 3, 9)),
    ("D41", "咸安区行政执法全过程记录暂行办法", (2017, 5, 22), (2017, 6, 2)),
    ("D41", "咸安区行政规范性文件管理办法", (2017, 11, 27), (2017, 12, 8)),
]

DECISION_FORMS = [
    "咸安区人民政府关于{place}{approval}的批复（代拟稿）",
    "咸安区人民政府关于收回{place}国有建设用地使用权的决定（送审稿）",
    "咸安区人民政府关于{subject}有关事项的决定（送审稿）",
]
OTHER_FORMS = [
    "咸安区{subject}实施方案（送审稿）",
    "关于进一步加强{subject}工作的通知（代拟稿）",
    "咸安区{year}年{subject}工作要点（送审稿）",
]
SUBMITTING_UNITS = [
    "G02",
    "D01",
    "D08",
    "D11",
    "D14",
    "D09",
    "D10",
    "D23",
    "D06",
    "D03",
    "D16",
    "V05",
]

OPINIONS = {
    ReviewResult.AGREED: "经审查，制定主体合法，内容与上位法不抵触，程序符合规定，同意提交审议。",
    ReviewResult.AGREED_AFTER_CHANGES: (
        "经审查，基本符合法律法规规定。建议删除增加公民义务的条款，"
        "补充公开征求意见情况说明，修改后提交审议。"
    ),
    ReviewResult.DISAGREED: "经审查，该文件设定了行政许可事项，超出制定权限，不同意印发。",
}

COMMENT_DRAFTS = [
    (
        "湖北省实施《中华人民共和国土地管理法》办法（修正草案征求意见稿）",
        DraftKind.LOCAL_REGULATION,
        "湖北省人大常委会法制工作委员会",
        (2017, 3, 6),
        (2017, 3, 17),
    ),
    (
        "湖北省行政规范性文件管理办法（征求意见稿）",
        DraftKind.GOVERNMENT_RULE,
        "湖北省人民政府法制办公室",
        (2017, 4, 10),
        (2017, 4, 21),
    ),
    (
        "咸宁市城市市容和环境卫生管理条例（草案征求意见稿）",
        DraftKind.LOCAL_REGULATION,
        "咸宁市人大常委会法制工作委员会",
        (2017, 5, 15),
        (2017, 5, 26),
    ),
    (
        "湖北省河道采砂管理办法（征求意见稿）",
        DraftKind.GOVERNMENT_RULE,
        "湖北省人民政府法制办公室",
        (2017, 7, 3),
        (2017, 7, 12),
    ),
    (
        "咸宁市古民居保护条例（草案征求意见稿）",
        DraftKind.LOCAL_REGULATION,
        "咸宁市人大常委会法制工作委员会",
        (2017, 9, 11),
        (2017, 9, 22),
    ),
    (
        "咸宁市城区餐厨废弃物管理办法（征求意见稿）",
        DraftKind.GOVERNMENT_RULE,
        "咸宁市人民政府法制办公室",
        (2017, 10, 16),
        (2017, 10, 27),
    ),
]

# (document title, filed on)
FILINGS = [
    ("咸安区政府投资项目合同管理办法", (2017, 3, 29)),
    ("咸安区行政执法全过程记录暂行办法", (2017, 6, 27)),
    ("咸安区行政规范性文件管理办法", (2018, 1, 3)),
]


def generated_reviews(calendar: WorkingCalendar) -> list[dict]:
    """82 decision and other-file reviews completed in 2017, and 2 completed in 2018."""
    received = [datetime.date(2016, 12, 28), datetime.date(2016, 12, 29)]
    received += spread(datetime.date(2017, 1, 9), datetime.date(2017, 12, 12), 80, calendar)
    received += [datetime.date(2017, 12, 27), datetime.date(2017, 12, 28)]
    rows = []
    for n, received_on in enumerate(received):
        kind = ReviewKind.DECISION if n % 7 in (1, 4) else ReviewKind.OTHER
        forms = DECISION_FORMS if kind == ReviewKind.DECISION else OTHER_FORMS
        title = forms[n % len(forms)].format(
            subject=SUBJECTS[(n * 5) % len(SUBJECTS)],
            place=PLACES[n % len(PLACES)],
            approval=APPROVALS[n % len(APPROVALS)],
            year=received_on.year + (received_on.month == 12),
        )
        if n % 29 == 11:
            result = ReviewResult.DISAGREED
        elif n % 4 == 0:
            result = ReviewResult.AGREED
        else:
            result = ReviewResult.AGREED_AFTER_CHANGES
        rows.append(
            {
                "unit": SUBMITTING_UNITS[n % len(SUBMITTING_UNITS)],
                "title": title,
                "kind": kind,
                "received_on": received_on,
                "completed_on": calendar.add_working_days(received_on, 3 + n % 5),
                "result": result,
            }
        )
    return rows


def _reviewed_at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))


def load(command, units: dict[str, Unit]) -> None:
    office = office_user()
    calendar = WorkingCalendar()

    for code, title, received, completed in NORMATIVE_REVIEWS:
        document = Document.objects.get(title=title)
        completed_on = datetime.date(*completed)
        upsert_approved(
            LegalityReview,
            {
                "unit": units[code],
                "title": f"{title}（送审稿）",
                "received_on": datetime.date(*received),
            },
            {
                "kind": ReviewKind.NORMATIVE,
                "completed_on": completed_on,
                "result": ReviewResult.AGREED_AFTER_CHANGES,
                "opinion": OPINIONS[ReviewResult.AGREED_AFTER_CHANGES],
                "resulting_document": document,
            },
            by=office,
            reviewed_at=_reviewed_at(completed_on),
        )
    for row in generated_reviews(calendar):
        upsert_approved(
            LegalityReview,
            {"unit": units[row["unit"]], "title": row["title"], "received_on": row["received_on"]},
            {
                "kind": row["kind"],
                "completed_on": row["completed_on"],
                "result": row["result"],
                "opinion": OPINIONS[row["result"]],
            },
            by=office,
            reviewed_at=_reviewed_at(row["completed_on"]),
        )

    for title, kind, requested_by, received, replied in COMMENT_DRAFTS:
        replied_on = datetime.date(*replied)
        upsert_approved(
            CommentDraftReply,
            {"title": title, "received_on": datetime.date(*received)},
            {
                "unit": units["D41"],
                "kind": kind,
                "requested_by": requested_by,
                "replied_on": replied_on,
                "reply": "经研究，提出修改意见三条（详见回复函），其余无意见。",
            },
            by=office,
            reviewed_at=_reviewed_at(replied_on),
        )

    for title, filed in FILINGS:
        document = Document.objects.get(title=title)
        filed_on = datetime.date(*filed)
        upsert_approved(
            Filing,
            {"document": document, "filed_with": FilingAuthority.MUNICIPAL_GOVERNMENT},
            {"unit": document.unit, "filed_on": filed_on},
            by=office,
            reviewed_at=_reviewed_at(filed_on),
        )

    reviews = LegalityReview.objects.approved().completed_in(2017)
    command.stdout.write(
        _(
            "2017 年合法性审核 %(reviews)d 件，回复征求意见稿 %(replies)d 件，"
            "向市政府报备规范性文件 %(filings)d 件"
        )
        % {
            "reviews": reviews.count(),
            "replies": CommentDraftReply.objects.approved().replied_in(2017).count(),
            "filings": Filing.objects.approved()
            .filed_with(FilingAuthority.MUNICIPAL_GOVERNMENT)
            .filed_in(2017)
            .count(),
        }
    )
