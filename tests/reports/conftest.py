import datetime

import pytest
from django.db.models import Count, Q

from registers.core.numbers import exact_percent
from registers.core.status import Status
from tests.workflowapp.models import Memo
from xianan_lawgov.reports import figures as engine


class MemoGroup(engine.FigureGroup):
    """A figure group over the test model: approved memos due in the year, by kind."""

    key = "memos"
    label = "备忘"
    figures = (
        engine.FigureDef(
            "total",
            "备忘总数",
            "件",
            records=lambda scope: scope.restrict(
                Memo.objects.approved().filter(due_on__year=scope.year)
            ),
        ),
        engine.FigureDef("notices", "通知", "件"),
        engine.FigureDef("reports", "报告", "件"),
        engine.FigureDef("report_share", "报告占比", "%"),
    )
    checks = (engine.Check("total", ("notices", "reports")),)

    def compute(self, scope):
        counts = scope.restrict(Memo.objects.approved().filter(due_on__year=scope.year)).aggregate(
            total=Count("pk"),
            notices=Count("pk", filter=Q(kind=Memo.Kind.NOTICE)),
            reports=Count("pk", filter=Q(kind=Memo.Kind.REPORT)),
        )
        counts["report_share"] = exact_percent(counts["reports"], counts["total"])
        return counts


@pytest.fixture
def memo_group():
    saved = list(engine.GROUPS)
    engine.GROUPS[:] = [MemoGroup()]
    yield engine.GROUPS[0]
    engine.GROUPS[:] = saved


@pytest.fixture
def memos(unit_a, unit_b):
    def make(title, kind, due, unit=unit_a, status=Status.APPROVED):
        return Memo.objects.create(title=title, kind=kind, due_on=due, unit=unit, status=status)

    d2017 = datetime.date(2017, 5, 1)
    return [
        make("通知一", Memo.Kind.NOTICE, d2017),
        make("通知二", Memo.Kind.NOTICE, d2017, unit=unit_b),
        make("报告一", Memo.Kind.REPORT, d2017),
        make("草稿不算", Memo.Kind.REPORT, d2017, status=Status.DRAFT),
        make("上年通知", Memo.Kind.NOTICE, datetime.date(2016, 3, 1)),
    ]
