"""Public pages of the registers (no login), and the download of a record's evidence file."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from registers.core import attachments, numbers
from registers.core.dates import year_in_range
from registers.core.permissions import pages_required
from registers.core.text import whole_number
from registers.models import (
    Attachment,
    AttachmentKind,
    Document,
    DocumentStatus,
    DrawnTarget,
    EnforcementBody,
    ListKind,
    Officer,
    PowerCategory,
    PowerItem,
    ResultKind,
    Unit,
)
from registers.models.inspections import publication_days
from registers.public import RESULTS_PER_PAGE, Column, PageQuery, public_listing


def result_summary(targets) -> list[dict]:
    """Each result class with its count and its share of the results shown, the shares
    adding up to 100 as the counts add up to their total (``numbers.apportion``)."""
    counts = targets.result_counts()
    shares = numbers.apportion(list(counts.values()), numbers.SHARE)
    return [
        {"label": kind.label, "count": count, "share": numbers.SHARE.format(share)}
        for (kind, count), share in zip(counts.items(), shares, strict=True)
        if count
    ]


@require_safe
def public_inspection_results(request: HttpRequest) -> HttpResponse:
    """一公开: published results of random inspections, by unit and year.

    Only the fields meant for publication leave the database (``values``): item, unit,
    target name as drawn, check date, result and publication date. Inspectors, credit
    codes, addresses and the internal findings never reach the template.
    """
    published = DrawnTarget.objects.published(timezone.localdate())
    unit_id = whole_number(request.GET.get("unit"))
    year = year_in_range(whole_number(request.GET.get("year")))
    if request.GET.get("year") and year is None:
        messages.warning(
            request,
            _("年度“%(value)s”无效，已显示全部年度。") % {"value": request.GET["year"][:20]},
        )
    if unit_id is not None and not 0 < unit_id < 2**63:
        unit_id = None  # no unit has it; the database could not even compare it

    rows = published
    if unit_id:
        rows = rows.filter(draw__unit_id=unit_id)
    if year:
        rows = rows.filter(checked_on__year=year)
    summary = result_summary(rows)
    rows = rows.order_by("-draw__published_on", "draw__unit__code", "draw_id", "position").values(
        "draw__item__name",
        "draw__item__sub_item",
        "draw__unit__name",
        "target_name",
        "checked_on",
        "result",
        "draw__published_on",
    )
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [
        {**row, "result_label": ResultKind(row["result"]).label} for row in page.object_list
    ]

    units = Unit.objects.filter(pk__in=published.values("draw__unit")).order_by("kind", "code")
    years = (
        published.annotate(year=ExtractYear("checked_on"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registers/public_inspections.html",
        {
            "page": page,
            "summary": summary,
            "units": units,
            "years": list(years),
            "selected_unit": unit_id,
            "selected_year": year,
            "filtered": bool(unit_id or year),
            "query": query.urlencode(),
            "publication_days": publication_days(),
        },
    )


@require_safe
def public_power_list(request: HttpRequest) -> HttpResponse:
    """权责清单公开: the approved list items in force today, by unit, list and category."""
    today = timezone.localdate()
    query = PageQuery(request)
    rows = query.unit(PowerItem.objects.as_of(today), _("实施主体"))
    rows = query.choice(rows, "list", _("清单类别"), ListKind, _("全部清单"), "list_kind")
    rows = query.choice(rows, "category", _("权力类别"), PowerCategory, _("全部类别"), "category")
    rows = query.search(rows, _("事项名称、编码或设定依据"), "name", "code", "legal_basis")
    listing = query.listing(
        title=_("权责清单公开"),
        intro=_(
            "咸安区各部门和乡镇（街道）现行有效的权责清单、负面清单和收费清单事项（截至 %(day)s），"
            "列明实施主体、权力类别和设定依据。清单按动态调整结果实时更新。"
        )
        % {"day": today.isoformat()},
        columns=[
            Column("unit__name", _("实施主体")),
            Column("list_kind", _("清单类别"), "nowrap"),
            Column("code", _("事项编码"), "nowrap"),
            Column("name", _("事项名称")),
            Column("category", _("权力类别"), "nowrap"),
            Column("legal_basis", _("设定依据"), "wide"),
            Column("handling_office", _("承办机构")),
            Column("fee_standard", _("收费标准")),
            Column("effective_from", _("生效日期"), "nowrap"),
        ],
        rows=rows.order_by("unit__kind", "unit__code", "list_kind", "category", "code"),
        filename="power-list",
        empty=_("目前还没有公开的清单事项。"),
        empty_filtered=_("没有符合条件的现行清单事项。请更换查询条件。"),
    )
    return public_listing(request, listing)


@require_safe
def public_documents(request: HttpRequest) -> HttpResponse:
    """规范性文件目录: every approved normative document with its status today."""
    today = timezone.localdate()
    query = PageQuery(request)
    rows = query.unit(Document.objects.published_as_of(today), _("制定机关"))

    # Each row's text address, absolute (the CSV is read elsewhere), made in SQL around the
    # route's own spelling so that a page of rows needs no query per row.
    marker = "2147483647"
    before, after = request.build_absolute_uri(
        reverse("registers:public_document_text", args=[marker])
    ).split(marker)
    has_text = Exists(_document_texts().filter(object_id=OuterRef("pk")))
    address = Concat(Value(before), Cast("pk", CharField()), Value(after), output_field=CharField())
    rows = rows.with_status_as_of(today).annotate(
        text_link=Case(When(has_text, then=address), default=Value(""), output_field=CharField())
    )
    rows = query.choice(
        rows, "status", _("效力状态"), DocumentStatus, _("全部状态"), "status_as_of"
    )
    rows = query.search(rows, _("标题或文号"), "title", "number")
    listing = query.listing(
        title=_("规范性文件目录"),
        intro=_(
            "咸安区行政规范性文件统一登记、统一编号、统一公布。下表列出各文件截至 %(day)s 的"
            "效力状态：有效、已修改、废止或失效；有效期届满的文件自动失效。"
        )
        % {"day": today.isoformat()},
        columns=[
            Column("title", _("文件标题")),
            Column("number", _("文号"), "nowrap"),
            Column("unit__name", _("制定机关")),
            Column("issued_on", _("印发日期"), "nowrap"),
            Column("effective_on", _("施行日期"), "nowrap"),
            Column("valid_until", _("有效期至"), "nowrap"),
            Column("status_as_of", _("效力状态"), "nowrap", tuple(DocumentStatus.choices)),
            Column("text_link", _("文件文本"), "nowrap", link=_("下载")),
        ],
        rows=rows.order_by("-issued_on", "number"),
        filename="normative-documents",
        empty=_("目前还没有公布的规范性文件。"),
        empty_filtered=_("没有符合条件的规范性文件。请更换查询条件。"),
    )
    return public_listing(request, listing)


def _document_texts():
    return attachments.current_of_kind(Document, AttachmentKind.DOCUMENT_TEXT)


@require_safe
def public_document_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The text of a document the catalogue lists (its newest current file of the
    document-text kind), to anyone; 404 for any other document or file."""
    document = Document.objects.published_as_of(timezone.localdate()).filter(pk=pk).first()
    text = _document_texts().filter(object_id=pk).first() if document else None
    if text is None:
        raise Http404(_("该文件没有公开的文本。"))
    return attachments.file_response(text)


@require_safe
def public_enforcement_bodies(request: HttpRequest) -> HttpResponse:
    """行政执法主体公示: the approved enforcement bodies with their legal basis."""
    query = PageQuery(request)
    rows = query.unit(EnforcementBody.objects.approved(), _("所属单位"))
    rows = query.search(rows, _("主体名称或执法依据"), "name", "legal_basis")
    listing = query.listing(
        title=_("行政执法主体公示"),
        intro=_("咸安区经审核确认的行政执法主体及其执法依据。"),
        columns=[
            Column("name", _("执法主体名称")),
            Column("kind", _("主体类别"), "nowrap"),
            Column("unit__name", _("所属单位")),
            Column("legal_basis", _("执法依据"), "wide"),
        ],
        rows=rows.order_by("unit__kind", "unit__code", "name"),
        filename="enforcement-bodies",
        empty=_("目前还没有公示的行政执法主体。"),
        empty_filtered=_("没有符合条件的行政执法主体。请更换查询条件。"),
    )
    return public_listing(request, listing)


@require_safe
def public_officers(request: HttpRequest) -> HttpResponse:
    """行政执法人员公示: name, unit, body, field and certificate number of the approved
    officers whose certificate is valid today; nothing else about them is public."""
    today = timezone.localdate()
    query = PageQuery(request)
    rows = query.unit(Officer.objects.approved().certificate_valid_on(today), _("所在单位"))
    rows = query.search(rows, _("姓名或执法证号"), "name", "certificate_number")
    listing = query.listing(
        title=_("行政执法人员公示"),
        intro=_(
            "截至 %(day)s 持有效行政执法证件的执法人员。执法人员执行公务时应当出示执法证件，"
            "公众可按姓名或证号核对。"
        )
        % {"day": today.isoformat()},
        columns=[
            Column("name", _("姓名"), "nowrap"),
            Column("unit__name", _("所在单位")),
            Column("body__name", _("执法主体")),
            Column("field", _("执法领域"), "nowrap"),
            Column("certificate_number", _("执法证号"), "nowrap"),
        ],
        rows=rows.order_by("unit__kind", "unit__code", "body__name", "certificate_number"),
        filename="enforcement-officers",
        empty=_("目前还没有公示的执法人员。"),
        empty_filtered=_("没有符合条件的执法人员。请更换查询条件。"),
    )
    return public_listing(request, listing)


@require_safe
@pages_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A record's file (any version), for whoever may see the record; 404 for anyone else."""
    try:
        attachment = attachments.get_for_user(request.user, pk)
    except Attachment.DoesNotExist as exc:
        raise Http404(_("附件不存在。")) from exc
    return attachments.file_response(attachment)
