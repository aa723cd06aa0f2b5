"""The normative-document register (规范性文件登记): documents, and what later happened to them.

A document's status is never stored. It follows, for any date, from its dates and from the
changes recorded against it (amended, repealed, declared expired, marked for amendment):
a document past its valid-until date is 失效 on the next day without anyone running a job,
and the register as of 31 December of a past year stays reproducible.
"""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.constraints import check, not_before, required_when, unique
from registers.core.fields import OwnFields, part_of, reference, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import WorkflowQuerySet
from registers.core.revisions import RevisionedModel
from registers.docnumbers import normalise_document_number, parse_document_number

#: Words in a title that make a document provisional (shorter default validity).
PROVISIONAL_MARKERS = ("暂行", "试行")


class DocumentKind(models.TextChoices):
    NORMATIVE = "normative", _("规范性文件")
    NON_NORMATIVE = "non_normative", _("非规范性文件")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("尚未施行")
    IN_FORCE = "in_force", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("废止")
    EXPIRED = "expired", _("失效")


class DocumentChangeKind(models.TextChoices):
    AMENDED = "amended", _("修改")
    REPEALED = "repealed", _("废止")
    EXPIRED = "expired", _("宣布失效")
    AMENDMENT_PLANNED = "amendment_planned", _("拟修改")


def is_provisional(title: str) -> bool:
    return any(marker in (title or "") for marker in PROVISIONAL_MARKERS)


def _day_after_years(day: datetime.date, years: int) -> datetime.date:
    """The first day after ``years`` years counted from ``day`` (included): the same date,
    or for 29 February in a year that has none, 1 March (a period begun on 29 February
    ends on 28 February, one day after one begun on the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def validity_years(title: str) -> int:
    config = settings.LAWGOV
    if is_provisional(title):
        return config["PROVISIONAL_DOCUMENT_VALIDITY_YEARS"]
    return config["DOCUMENT_VALIDITY_YEARS"]


def default_valid_until(title: str, effective_on: datetime.date) -> datetime.date:
    """Last day of the default validity: N years from the effective date, that day excluded.

    A document effective on 2017-03-01 with five years' validity is valid to 2022-02-28.
    """
    return _day_after_years(effective_on, validity_years(title)) - datetime.timedelta(days=1)


class DocumentQuerySet(WorkflowQuerySet):
    def issued_in(self, year: int):
        """Documents issued in ``year``: the year's documents (``in_year``)."""
        return self.in_year(year)

    def normative(self):
        return self.filter(kind=DocumentKind.NORMATIVE)

    def non_normative(self):
        return self.filter(kind=DocumentKind.NON_NORMATIVE)

    def issued_by(self, *units):
        return self.filter(unit__in=units)

    def published_as_of(self, day: datetime.date):
        """The public catalogue (规范性文件目录) on ``day``: approved normative documents
        issued by then. Its page, its CSV and the download of their texts read this."""
        return self.approved().normative().filter(issued_on__lte=day)

    def with_status_as_of(self, day: datetime.date):
        """Annotate ``status_as_of``: the ``DocumentStatus`` on ``day`` (None if not yet issued).

        The same rule as ``Document.status_on``, in SQL, so counts by status are one query.
        """
        changes = DocumentChange.objects.filter(document=OuterRef("pk"), changed_on__lte=day)
        return self.annotate(
            status_as_of=Case(
                When(issued_on__gt=day, then=Value(None)),
                When(
                    Exists(changes.filter(kind=DocumentChangeKind.REPEALED)),
                    then=Value(DocumentStatus.REPEALED),
                ),
                When(
                    Exists(changes.filter(kind=DocumentChangeKind.EXPIRED))
                    | Q(valid_until__lt=day),
                    then=Value(DocumentStatus.EXPIRED),
                ),
                When(
                    Exists(changes.filter(kind=DocumentChangeKind.AMENDED)),
                    then=Value(DocumentStatus.AMENDED),
                ),
                When(effective_on__gt=day, then=Value(DocumentStatus.PENDING)),
                default=Value(DocumentStatus.IN_FORCE),
                output_field=models.CharField(),
            )
        )

    def in_status_on(self, day: datetime.date, *statuses: DocumentStatus):
        """Documents whose status on ``day`` is one of ``statuses``."""
        return self.with_status_as_of(day).filter(status_as_of__in=statuses)

    def in_force_on(self, day: datetime.date):
        """Documents binding on ``day``: 有效 or 已修改 (an amended document still applies)."""
        return self.in_status_on(day, DocumentStatus.IN_FORCE, DocumentStatus.AMENDED)

    def status_counts_on(self, day: datetime.date) -> dict[DocumentStatus, int]:
        """How many documents were in each status on ``day`` (one query; zeros included)."""
        rows = (
            self.filter(issued_on__lte=day)
            .with_status_as_of(day)
            .order_by()
            .values_list("status_as_of")
            .annotate(n=Count("pk"))
        )
        found = dict(rows)
        return {status: found.get(status.value, 0) for status in DocumentStatus}


class Document(WorkflowRecord):
    """A document of a unit, registered, numbered and published in one place (三统一)."""

    # A document belongs to the year it was issued.
    year_field = "issued_on"

    register_fields = OwnFields()

    unit = unit_field(_("制定机关"), related_name="documents")
    title = models.CharField(_("标题"), max_length=200)
    number = IdentifierField(
        _("文号"),
        max_length=60,
        help_text=_("如“咸安政规〔2017〕1号”。方括号、圆括号会自动改为六角括号〔〕。"),
    )
    kind = models.CharField(_("文件类别"), max_length=20, choices=DocumentKind.choices)
    issued_on = models.DateField(_("印发日期"))
    effective_on = models.DateField(
        _("施行日期"), blank=True, help_text=_("不填则与印发日期相同。")
    )
    valid_until = models.DateField(
        _("有效期至"),
        blank=True,
        help_text=_(
            "不填则按默认有效期计算：一般 5 年，标题含“暂行”“试行”的 2 年（可在设置中调整）。"
        ),
    )
    note = models.TextField(_("备注"), blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("文件")
        verbose_name_plural = _("规范性文件登记")
        # The list's default order (the admin's changelist), read from the index instead of
        # sorting every document for each page.
        indexes = [models.Index(fields=["-issued_on", "number"], name="registers_document_listing")]
        constraints = [
            unique(
                "number",
                rule="unique_number",
                message=_("已有文号相同的文件（文号已统一为半角字符后比较）。"),
                code="duplicate_document_number",
            ),
            not_before(
                "effective_on",
                "issued_on",
                rule="effective_after_issue",
                message=_("施行日期不能早于印发日期。"),
                optional=False,
            ),
            not_before(
                "valid_until",
                "effective_on",
                rule="valid_after_effective",
                message=_("有效期截止日期不能早于施行日期。"),
                optional=False,
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》（{self.number}）"

    # --- Defaults and validation ---------------------------------------------------------

    def fill_defaults(self) -> None:
        if self.number:
            # A malformed number is left as typed: clean() reports why.
            with contextlib.suppress(ValidationError):
                self.number = normalise_document_number(self.number)
        if self.issued_on and not self.effective_on:
            self.effective_on = self.issued_on
        if self.effective_on and not self.valid_until:
            self.valid_until = default_valid_until(self.title, self.effective_on)

    def clean(self) -> None:
        super().clean()
        errors = {}
        try:
            parsed = parse_document_number(self.number)
        except ValidationError as error:
            errors["number"] = error
        else:
            if self.issued_on and parsed.year != self.issued_on.year:
                errors["number"] = ValidationError(
                    _("文号年份 %(number_year)s 与印发日期年份 %(year)s 不一致。")
                    % {"number_year": parsed.year, "year": self.issued_on.year},
                    code="number_year_mismatch",
                )
        self.fill_defaults()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.fill_defaults()
        super().save(*args, **kwargs)

    # --- Status ------------------------------------------------------------------------

    @property
    def is_normative(self) -> bool:
        return self.kind == DocumentKind.NORMATIVE

    def _changes_until(self, day: datetime.date) -> set[DocumentChangeKind]:
        # Uses the prefetch cache when the caller loaded ``changes``.
        return {DocumentChangeKind(c.kind) for c in self.changes.all() if c.changed_on <= day}

    def status_on(self, day: datetime.date) -> DocumentStatus | None:
        """The document's status on ``day``; None before it was issued."""
        if day < self.issued_on:
            return None
        kinds = self._changes_until(day)
        if DocumentChangeKind.REPEALED in kinds:
            return DocumentStatus.REPEALED
        if DocumentChangeKind.EXPIRED in kinds or self.valid_until < day:
            return DocumentStatus.EXPIRED
        if DocumentChangeKind.AMENDED in kinds:
            return DocumentStatus.AMENDED
        if day < self.effective_on:
            return DocumentStatus.PENDING
        return DocumentStatus.IN_FORCE

    @property
    def status_today(self) -> DocumentStatus | None:
        return self.status_on(timezone.localdate())

    def is_marked_for_amendment_on(self, day: datetime.date) -> bool:
        """Marked 拟修改 by ``day``, still applying, and not amended since the mark."""
        changes = [c for c in self.changes.all() if c.changed_on <= day]
        marks = [c.changed_on for c in changes if c.kind == DocumentChangeKind.AMENDMENT_PLANNED]
        if not marks or self.status_on(day) not in (
            DocumentStatus.IN_FORCE,
            DocumentStatus.AMENDED,
        ):
            return False
        latest = max(marks)
        return not any(
            c.kind == DocumentChangeKind.AMENDED and c.changed_on >= latest for c in changes
        )

    def explain_status_on(self, day: datetime.date) -> str:
        """Why the document has its status on ``day``, for the change page."""
        status = self.status_on(day)
        if status is None:
            return gettext("%(day)s 时尚未印发。") % {"day": day}
        for change in sorted(self.changes.all(), key=lambda c: c.changed_on, reverse=True):
            if change.changed_on <= day and change.kind in (
                DocumentChangeKind.REPEALED,
                DocumentChangeKind.EXPIRED,
            ):
                return str(change)
        if status == DocumentStatus.EXPIRED:
            return gettext("有效期至 %(until)s，期满自动失效。") % {"until": self.valid_until}
        if status == DocumentStatus.PENDING:
            return gettext("自 %(day)s 起施行。") % {"day": self.effective_on}
        return gettext("有效期至 %(until)s。") % {"until": self.valid_until}


class DocumentChange(RevisionedModel):
    """Something that happened to a document later: amended, repealed, declared expired.

    A change is added, never overwritten, so the status on any past date can be worked out.
    ``by_document`` links to the document that amends or repeals this one.
    """

    scope_field = "document__unit"

    document = part_of(Document, _("文件"), related_name="changes")
    kind = models.CharField(_("变动类型"), max_length=20, choices=DocumentChangeKind.choices)
    changed_on = models.DateField(_("变动日期"))
    by_document = reference(
        Document,
        _("依据文件"),
        optional=True,
        related_name="changes_made",
        help_text=_("修改或废止本文件的文件；修改必须填写。"),
    )
    basis = models.CharField(
        _("依据说明"),
        max_length=200,
        blank=True,
        help_text=_("如“2017年规范性文件清理”。"),
    )

    class Meta:
        ordering = ["document", "changed_on", "pk"]
        verbose_name = verbose_name_plural = _("文件变动")
        constraints = [
            unique(
                "document",
                rule="one_repeal",
                message=_("该文件已有废止记录。"),
                condition=Q(kind=DocumentChangeKind.REPEALED),
            ),
            unique(
                "document",
                rule="one_expiry",
                message=_("该文件已有宣布失效记录。"),
                condition=Q(kind=DocumentChangeKind.EXPIRED),
            ),
            required_when(
                "by_document",
                Q(kind=DocumentChangeKind.AMENDED),
                rule="amendment_has_document",
                message=_("修改必须填写依据文件（修改本文件的文件）。"),
            ),
            check(
                ~Q(by_document=F("document")),
                rule="not_self",
                message=_("文件不能修改或废止它自己。"),
            ),
        ]

    def __str__(self) -> str:
        text = gettext("%(day)s %(kind)s") % {
            "day": self.changed_on,
            "kind": DocumentChangeKind(self.kind).label,
        }
        if self.by_document_id:
            text += gettext("（依据%(document)s）") % {"document": self.by_document}
        elif self.basis:
            text += f"（{self.basis}）"
        return text

    def clean(self) -> None:
        super().clean()
        if self.document_id and self.changed_on and self.changed_on < self.document.issued_on:
            raise ValidationError(
                {
                    "changed_on": ValidationError(
                        _("变动日期不能早于文件印发日期。"), code="change_before_issue"
                    )
                }
            )
        if self.by_document_id and self.changed_on and self.by_document.issued_on > self.changed_on:
            raise ValidationError(
                {
                    "by_document": ValidationError(
                        _("依据文件的印发日期晚于变动日期。"), code="basis_issued_later"
                    )
                }
            )
