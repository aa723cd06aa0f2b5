from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registers.core.permissions import pages_required, reads_every_unit
from registers.core.text import whole_number
from registers.models import DocumentKind
from registers.public import Column, PageQuery, public_listing
from reviews.deadline_board import (
    DEFAULT_HORIZON_WORKING_DAYS,
    SOON_WORKING_DAYS,
    open_deadlines,
    urgency_counts,
)
from reviews.forms import DeadlineBoardForm
from reviews.models import CleanupCampaign, CleanupItem, CleanupOutcome


@pages_required
def deadline_board(request: HttpRequest) -> HttpResponse:
    """Open statutory deadlines of the records the user may see, soonest first."""
    form = DeadlineBoardForm(request.GET or None)
    horizon = form.cleaned_data["days"] if form.is_valid() else DEFAULT_HORIZON_WORKING_DAYS
    today = timezone.localdate()
    rows = open_deadlines(request.user, today, horizon)
    return render(
        request,
        "reviews/deadline_board.html",
        {
            "form": form,
            "rows": rows,
            "today": today,
            "horizon": horizon,
            "soon_days": SOON_WORKING_DAYS,
            **urgency_counts(rows),
            "own_unit_only": not reads_every_unit(request.user),
        },
    )


@require_safe
def public_cleanups(request: HttpRequest) -> HttpResponse:
    """文件清理结果公布: the outcomes of the confirmed clean-up campaigns, document by document,
    with the totals by kind and outcome of what is shown."""
    campaigns = CleanupCampaign.objects.confirmed()
    query = PageQuery(request)
    rows = query.choice(
        CleanupItem.objects.filter(campaign__in=campaigns),
        "campaign",
        _("清理活动"),
        [(str(pk), name) for pk, name in campaigns.values_list("pk", "name")],
        _("全部清理活动"),
        "campaign_id",
        selected=str(whole_number(request.GET.get("campaign")) or ""),
    )
    rows = query.choice(
        rows,
        "kind",
        _("文件类别"),
        DocumentKind,
        _("全部类别"),
        lambda items, kind: items.of_kind(kind),
    )
    tally = rows.tally()  # of every outcome: the totals stay while one outcome is shown
    rows = query.choice(
        rows,
        "outcome",
        _("清理结论"),
        CleanupOutcome,
        _("全部结论"),
        lambda items, outcome: items.with_outcome(outcome),
    )
    rows = query.search(rows, _("标题或文号"), "document__title", "document__number")
    listing = query.listing(
        title=_("文件清理结果公布"),
        intro=_(
            "咸安区组织开展的规范性文件和其他文件清理活动的结果。清理结果经确认后公布，"
            "废止、失效的文件同时在规范性文件目录中标明。"
        ),
        columns=[
            Column("campaign__name", _("清理活动")),
            Column("campaign__confirmed_on", _("结果确认日期"), "nowrap"),
            Column("document__title", _("文件标题")),
            Column("document__number", _("文号"), "nowrap"),
            Column("document__kind", _("文件类别"), "nowrap"),
            Column("outcome", _("清理结论"), "nowrap"),
        ],
        rows=rows.order_by(
            "-campaign__confirmed_on",
            "campaign_id",
            "-document__kind",
            "-document__issued_on",
            "pk",
        ),
        filename="cleanup-results",
        empty=_("目前还没有公布的文件清理结果。"),
        empty_filtered=_("没有符合条件的清理结果。请更换查询条件。"),
        extra={"tally": tally},
    )
    return public_listing(request, listing, "reviews/public_cleanups.html")
