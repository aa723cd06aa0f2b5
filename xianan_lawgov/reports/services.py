"""Report workflows: starting a year's text, saving edits, building and publishing.

The district's report is written and published by the office. A unit's report starts from
its kind's unit template (never from the district's text), is written by the unit's liaison
and goes through the review workflow as a ``UnitReport`` (``registers.core.workflow``):
approving it publishes it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from registers.core import permissions
from registers.core.models import Correction
from registers.core.numbers import NumberFormat, Rounding
from registers.core.revisions import check_revision, lock
from registers.core.status import Status

from . import figures as engine
from .models import (
    Part,
    PublishedReport,
    Report,
    Section,
    TemplateKind,
    UnitReport,
    UnitTemplate,
)
from .signals import report_published
from .text import (
    UNIT_BUILT_INS,
    Display,
    RenderedParagraph,
    placeholders_in,
    render_sections,
    validate_placeholders,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_text"
LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
PART_KEYWORDS = [
    (Part.SHORTCOMINGS, ("问题", "不足")),
    (Part.DUTY, ("第一责任人",)),
    (Part.PLAN, ("下一步", "打算", "安排")),
    (Part.MEASURES, ("工作开展", "举措", "成效")),
]


def part_for_heading(heading: str) -> Part:
    for part, words in PART_KEYWORDS:
        if any(word in heading for word in words):
            return part
    return Part.OTHER


def sections_from_text(text: str) -> list[tuple[Part, str, str]]:
    """Split a whole report text into (part, heading, body) at its level-1 headings."""
    sections: list[tuple[Part, str, list[str]]] = [(Part.INTRO, "", [])]
    for line in text.splitlines():
        if LEVEL1.match(line):
            sections.append((part_for_heading(line), line, []))
        else:
            sections[-1][2].append(line)
    return [(part, heading, "\n".join(lines)) for part, heading, lines in sections]


def report_title(year: int, unit=None) -> str:
    issuer = unit.name if unit is not None else _("咸安区人民政府")
    return _("%(issuer)s关于%(year)s年度法治政府建设情况的报告") % {
        "issuer": issuer,
        "year": year,
    }


def default_sections(year: int) -> list[tuple[Part, str, str]]:
    """The text a report starts from when no earlier year has one: the 2017 report."""
    text = (TEMPLATES_DIR / "default_2017.txt").read_text(encoding="utf-8")
    return sections_from_text(text)


def shipped_unit_template(kind: TemplateKind) -> str:
    """The template for units of ``kind`` shipped with the project (the office's first)."""
    return (TEMPLATES_DIR / f"unit_{kind.value}.txt").read_text(encoding="utf-8")


def unit_template_text(kind: TemplateKind) -> str:
    """The office's template for units of ``kind``, or the one shipped with the project."""
    template = UnitTemplate.objects.filter(kind=kind).only("text").first()
    return template.text if template is not None else shipped_unit_template(kind)


def unit_template(kind: TemplateKind) -> UnitTemplate:
    """The office's template for units of ``kind``, saved from the shipped one if missing."""
    template, _created = UnitTemplate.objects.get_or_create(
        kind=kind, defaults={"text": shipped_unit_template(kind)}
    )
    return template


def starting_sections(year: int, unit=None) -> list[tuple[str, str, str]]:
    """The text a new report starts from: the latest earlier report of the same scope, else
    the district's default text, or for a unit its kind's unit template. A unit's report
    never starts from the district's text: its sentences speak for the district."""
    previous = Report.objects.filter(year__lt=year, unit=unit).order_by("-year").first()
    if previous is not None:
        return [(s.part, s.heading, s.body) for s in previous.sections.all()]
    if unit is not None:
        return sections_from_text(unit_template_text(TemplateKind.for_unit(unit)))
    return default_sections(year)


def report_text(year: int, unit=None) -> tuple[str, list[tuple[str, str, str]]]:
    """The report's title and sections as saved, or as a new report would start.

    Reading saves nothing: a report is started by its first edit or its publication.
    """
    report = Report.objects.for_scope(year, unit).first()
    if report is None:
        return report_title(year, unit), starting_sections(year, unit)
    return report.title, [(s.part, s.heading, s.body) for s in report.sections.all()]


def report_revision(year: int, unit=None) -> int:
    """The revision of the saved text the editor shows; 0 while the report is not started."""
    report = Report.objects.for_scope(year, unit).only("revision").first()
    return report.revision if report is not None else 0


@transaction.atomic
def get_or_start_report(year: int, unit=None, *, by=None) -> Report:
    """The year's report, started from the previous year's text (or the default, or the
    unit's template) if new; a unit's report starts as a draft ``UnitReport`` with it."""
    report = Report.objects.for_scope(year, unit).first()
    if report is not None:
        if unit is not None and not UnitReport.objects.filter(report=report).exists():
            _start_review(report, by)  # a unit report saved before units had a review
        return report
    sections = starting_sections(year, unit)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                year=year, unit=unit, title=report_title(year, unit), updated_by=by
            )
            _write_sections(report, sections, by)
            if unit is not None:
                _start_review(report, by)
    except IntegrityError:
        # Started at the same moment by someone else: theirs is the report.
        report = Report.objects.for_scope(year, unit).first()
        if report is None:
            raise
    return report


def _write_sections(report: Report, sections, by) -> None:
    """The report's sections in order, each with its history row (the text a reviewer
    returned or approved is read back from them: ``UnitReport.changes_kept_elsewhere``)."""
    bulk_create_with_history(
        [
            Section(report=report, order=i, part=part, heading=heading, body=body)
            for i, (part, heading, body) in enumerate(sections)
        ],
        Section,
        default_user=by,
    )


def _start_review(report: Report, by) -> UnitReport:
    record = UnitReport(unit=report.unit, year=report.year, report=report, created_by=by)
    record._history_user = by
    record.save()
    return record


def unit_report_of(year: int, unit) -> UnitReport | None:
    """The saved review of ``unit``'s report of ``year`` (None: not started yet)."""
    return (
        UnitReport.objects.select_related("unit", "report", "reviewed_by", "submitted_by")
        .filter(year=year, unit=unit)
        .first()
    )


def edit_refusal(user, year: int, unit=None) -> str | None:
    """Why ``user`` may not change the text of the report of (``year``, ``unit``), or None.

    The district's text is the office's. A unit's is changed by whoever may change the
    unit's records (``permissions.can_change``: its liaison while a draft or returned, the
    office), never once approved: it is published, and the office reopens it to change it.
    """
    if unit is None:
        if permissions.is_office(user):
            return None
        return _("只有法制办工作人员可以编辑和发布全区年度报告。")
    record = unit_report_of(year, unit) or UnitReport(unit=unit, year=year)
    if record.status == Status.APPROVED:
        return _("该单位报告已审核通过并发布，不能再修改；如需更正，请法制办重新打开。")
    if permissions.can_change(user, record):
        return None
    if permissions.may_submit(user) and record.status == Status.SUBMITTED:
        return _("该单位报告已报送，正在等待法制办审核，暂不能修改。")
    return _("只有本单位联络员和法制办工作人员可以编辑单位报告。")


@dataclass(frozen=True)
class UnitReportState:
    """Where a unit's report of a year stands, for its liaison's home page."""

    year: int
    record: UnitReport | None

    @property
    def status(self) -> Status | None:
        return Status(self.record.status) if self.record is not None else None

    @property
    def standing(self) -> str:
        if self.record is None:
            return _("尚未开始（从单位报告模板开始撰写）")
        return str(Status(self.record.status).standing)


def unit_report_states(unit, years: range) -> list[UnitReportState]:
    """The state of ``unit``'s report for each of ``years``, newest first."""
    saved = {
        record.year: record
        for record in UnitReport.objects.select_related("unit").filter(unit=unit, year__in=years)
    }
    return [UnitReportState(year, saved.get(year)) for year in reversed(years)]


def valid_placeholders(*, for_unit: bool = False) -> list[str]:
    """Every figure's placeholder; for a unit's text, those of figures of one unit."""
    return [
        f"{group.key}.{figure.key}"
        for group in engine.GROUPS
        for figure in group.figures
        if not (for_unit and figure.district_only)
    ]


def district_only_placeholders() -> dict[str, str]:
    """Placeholder → label of the figures that exist for the whole district only."""
    return {
        f"{group.key}.{figure.key}": str(figure.label)
        for group in engine.GROUPS
        for figure in group.figures
        if figure.district_only
    }


def refuse_district_only(texts: list[str]) -> None:
    """Refuse a unit's text that names a figure of the whole district."""
    district = district_only_placeholders()
    named = dict.fromkeys(key for text in texts for key in placeholders_in(text) if key in district)
    if named:
        raise ValidationError(
            _("单位报告只能使用本单位的数字，以下占位符只有全区的数字：%(names)s。")
            % {"names": "、".join(f"{{{{ {key} }}}}（{district[key]}）" for key in named)},
            code="district_only_placeholder",
        )


def formattable_placeholders() -> list[str]:
    """The placeholders that may say how to print them: the percentages."""
    return [
        f"{group.key}.{figure.key}"
        for group in engine.GROUPS
        for figure in group.figures
        if figure.measure == "%"
    ]


def check_placeholders(texts: list[str], *, for_unit: bool = False) -> None:
    """Refuse unknown placeholders and formats the text may not use (``ValidationError``);
    for a unit's text (``for_unit``: its report, a unit template), figures of the whole
    district too, each named."""
    valid = valid_placeholders(for_unit=for_unit)
    if for_unit:
        refuse_district_only(texts)
        valid += list(UNIT_BUILT_INS)
    validate_placeholders(texts, valid, formattable_placeholders())


@transaction.atomic
def save_report_text(
    report: Report,
    title: str,
    sections: list[tuple[str, str, str]],
    *,
    by,
    revision: int | None = None,
):
    """Replace the report's text; unknown placeholders refuse the whole save, and so does
    a text based on ``revision`` when someone has saved the report since
    (``EditConflict``: who, when, what)."""
    # Saved in bulk, past the fields' own validation: each text is held to its field's rules
    # (its length, plain text) here.
    _check_field(Report, "title", title)
    for _part, heading, body in sections:
        _check_field(Section, "heading", heading, label=_("段落标题"))
        _check_field(Section, "body", body)
    texts = [title, *(heading for _p, heading, _b in sections), *(b for _p, _h, b in sections)]
    check_placeholders(texts, for_unit=report.unit_id is not None)
    locked = lock(report)
    check_revision(locked, revision)
    report.revision = locked.revision  # the caller's copy is saved, and stays current
    report.title = title
    report.updated_by = by
    report.save()
    report.sections.all().delete()
    _write_sections(report, sections, by)


def _check_field(model, name: str, value: str, *, label=None) -> None:
    """``value`` held to the validators of ``model``'s field ``name``, a refusal naming it
    (``label``, or the field's name)."""
    field = model._meta.get_field(name)
    try:
        field.run_validators(value)
    except ValidationError as error:
        raise ValidationError(
            f"{label or field.verbose_name}：{error.messages[0]}",
            code=error.error_list[0].code,
        ) from None


# --- The document every output is made from -----------------------------------------------


@dataclass
class ReportDocument:
    title: str
    year: int
    unit: Any
    paragraphs: list[RenderedParagraph]
    figures: dict[str, engine.Figure]
    warnings: list[str] = field(default_factory=list)
    published: PublishedReport | None = None

    @property
    def scope(self) -> engine.Scope:
        return engine.Scope(self.year, self.unit)

    @property
    def traceable(self) -> frozenset[str]:
        """The figures whose records can be listed (a setting, such as a threshold, has
        none): the text links only these to their records."""
        return frozenset(figure.key for figure in self.figures.values() if figure.has_records)

    def figure_groups(self) -> list[tuple[str, str, list[engine.Figure]]]:
        groups: dict[str, tuple[str, list[engine.Figure]]] = {}
        for figure in self.figures.values():
            groups.setdefault(figure.group, (figure.group_label, []))[1].append(figure)
        return [(key, label, items) for key, (label, items) in groups.items()]


def _display_values(year: int, figures: dict[str, engine.Figure], unit=None) -> Display:
    """How each placeholder reads: its figure, printed by the placeholder's format if any."""

    def display(key: str, fmt: NumberFormat | None) -> str:
        if key == "report.year":
            return str(year)
        if key == "unit.name" and unit is not None:
            return unit.name
        figure = figures.get(key)
        return figure.formatted(fmt) if figure is not None else f"{{{{ {key} }}}}"

    return display


def _document(
    scope: engine.Scope,
    title: str,
    sections: list[tuple[str, str]],
    figure_set: engine.FigureSet,
) -> ReportDocument:
    return ReportDocument(
        title=title,
        year=scope.year,
        unit=scope.unit,
        paragraphs=render_sections(
            sections, _display_values(scope.year, figure_set.figures, scope.unit)
        ),
        figures=figure_set.figures,
        warnings=figure_set.warnings,
    )


def build_live(report: Report, figure_set: engine.FigureSet | None = None) -> ReportDocument:
    figure_set = figure_set or engine.compute_figures(report.year, report.unit)
    sections = [(s.heading, s.body) for s in report.sections.all()]
    return _document(engine.Scope(report.year, report.unit), report.title, sections, figure_set)


def live_document(scope: engine.Scope) -> ReportDocument:
    """The report as the registers read now, from its saved text or the text it would start
    from; nothing is saved."""
    title, sections = report_text(scope.year, scope.unit)
    figure_set = engine.compute_figures(scope.year, scope.unit)
    return _document(scope, title, [(h, b) for _p, h, b in sections], figure_set)


def build_preview(
    scope: engine.Scope, title: str, sections: list[tuple[str, str]]
) -> ReportDocument:
    """The document as it would read with unsaved text (for the editor's live preview)."""
    figure_set = engine.compute_figures(scope.year, scope.unit, with_previous=False)
    return _document(scope, title, sections, figure_set)


# --- Publishing ---------------------------------------------------------------------------


def encode_value(value: Any) -> dict:
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": value}
    if isinstance(value, Decimal):
        return {"type": "decimal", "value": str(value)}
    if isinstance(value, datetime.date):
        return {"type": "date", "value": value.isoformat()}
    return {"type": "str", "value": str(value)}


def decode_value(data: dict) -> Any:
    kind = data.get("type")
    if kind == "none":
        return None
    if kind == "decimal":
        return Decimal(data["value"])
    if kind == "date":
        return datetime.date.fromisoformat(data["value"])
    return data["value"]


def encode_figures(figures: dict[str, engine.Figure]) -> dict:
    return {
        key: {
            "label": figure.label,
            "value": encode_value(figure.value),
            "previous": encode_value(figure.previous),
            "measure": figure.measure,
            "group": figure.group,
            "group_label": figure.group_label,
            "note": figure.note,
            "has_records": figure.has_records,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "format": {
                "decimals": figure.number_format.decimals,
                "rounding": figure.number_format.rounding.value,
                "trim": figure.number_format.trim,
            },
        }
        for key, figure in figures.items()
    }


def _decode_format(data: dict | None) -> NumberFormat:
    if not data:
        return NumberFormat()
    return NumberFormat(data["decimals"], Rounding(data["rounding"]), data["trim"])


def decode_figures(data: dict) -> dict[str, engine.Figure]:
    return {
        key: engine.Figure(
            key=key,
            label=item["label"],
            value=decode_value(item["value"]),
            previous=decode_value(item["previous"]),
            measure=item["measure"],
            group=item["group"],
            group_label=item["group_label"],
            note=item.get("note", ""),
            has_records=item.get("has_records", False),
            numerator=item.get("numerator"),
            denominator=item.get("denominator"),
            number_format=_decode_format(item.get("format")),
        )
        for key, item in data.items()
    }


@transaction.atomic
@transaction.atomic
def publish(report: Report, *, by) -> PublishedReport:
    """Freeze the report's text and figures as they are now, as a new version.

    Two clerks publishing at the same moment get the next two versions: the report's row is
    locked until the version is written, so the second reads the first's version."""
    Report.objects.select_for_update(of=("self",)).filter(pk=report.pk).first()
    figure_set = engine.compute_figures(report.year, report.unit)
    latest = PublishedReport.objects.filter(year=report.year, unit=report.unit).aggregate(
        latest=Max("version")
    )["latest"]
    published = PublishedReport.objects.create(
        year=report.year,
        unit=report.unit,
        version=(latest or 0) + 1,
        title=report.title,
        sections=[
            {"part": s.part, "heading": s.heading, "body": s.body} for s in report.sections.all()
        ],
        figures=encode_figures(figure_set.figures),
        warnings=figure_set.warnings,
        published_by=by,
    )
    transaction.on_commit(
        lambda: report_published.send(sender=PublishedReport, published=published, by=by)
    )
    return published


def build_published(published: PublishedReport) -> ReportDocument:
    figures = decode_figures(published.figures)
    sections = [(s["heading"], s["body"]) for s in published.sections]
    return ReportDocument(
        title=published.title,
        year=published.year,
        unit=published.unit,
        paragraphs=render_sections(
            sections, _display_values(published.year, figures, published.unit)
        ),
        figures=figures,
        warnings=list(published.warnings),
        published=published,
    )


@dataclass(frozen=True)
class FigureDifference:
    key: str
    label: str
    published: str
    current: str


def differences_since(published: PublishedReport) -> list[FigureDifference]:
    """Figures that would read differently if the report were published again now."""
    frozen = decode_figures(published.figures)
    current = engine.compute_figures(published.year, published.unit, with_previous=False)
    differences = []
    for key in dict.fromkeys([*frozen, *current.figures]):
        old = frozen.get(key)
        new = current.figures.get(key)
        old_text = old.display if old else "—"
        new_text = new.display if new else "—"
        if old_text != new_text:
            label = (new or old).label
            differences.append(FigureDifference(key, label, old_text, new_text))
    return differences


@dataclass(frozen=True)
class CorrectionEffect:
    """A correction made since a version was published, and the figures of its register
    that now read differently (what a republication would change)."""

    correction: Correction
    figures: list[FigureDifference]


def _in_year(model, pk: int, year: int) -> bool:
    in_year = getattr(model._default_manager.all(), "in_year", None)
    return in_year is None or in_year(year).filter(pk=pk).exists()


def corrections_since(
    published: PublishedReport, differences: list[FigureDifference]
) -> list[CorrectionEffect]:
    """The corrections of approved records of the report's year (and unit) made after
    ``published`` was published, newest first, each with the ``differences`` of the figure
    groups that count its register."""
    corrections = Correction.objects.since(published.published_at).select_related(
        "corrected_by", "content_type", "unit"
    )
    if published.unit_id is not None:
        corrections = corrections.filter(unit_id=published.unit_id)
    # A figure moves with the registers its group counts (a rate has no records of its own).
    scope = engine.Scope(published.year, published.unit)
    registers_of = {
        group.key: {figure.records(scope).model for figure in group.figures if figure.records}
        for group in engine.GROUPS
    }
    effects = []
    for correction in corrections:
        model = correction.content_type.model_class()
        if model is None or not _in_year(model, correction.object_id, published.year):
            continue
        moved = [d for d in differences if model in registers_of.get(d.key.partition(".")[0], ())]
        effects.append(CorrectionEffect(correction, moved))
    return effects
