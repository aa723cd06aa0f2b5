"""Administrative reconsideration cases (行政复议) handled by the district government.

The district government is the reconsideration authority (区政府本级); its legal office is the
reconsideration office that receives applications. A case's ``unit`` is the **respondent**
(被申请人), the district department or township whose act is challenged: that unit's liaison
sees the cases against it, answers them, and the report counts them by respondent.

Which law governs a case follows from the day the application was received
(``registers.core.deadlines.regime_for``): the 2017 law with the 2007 regulation before 2024-01-01,
the 2023 law from then on. Deadlines are computed when read, from the office's calendar, so
they follow any change to the holiday calendar; nothing computed is stored.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import get_calendar
from registers.core.constraints import check, not_before, only_with, unique
from registers.core.deadlines import (
    MAX_EXTENSION_DAYS,
    REGIME_2023_STARTS_ON,
    Deadline,
    DeadlineInputError,
    DeadlineKey,
    Procedure,
    Regime,
    WorkingDayCalendar,
    check_reconsideration_dates,
    reconsideration_deadlines,
    regime_for,
    suspension_limit_due,
)
from registers.core.fields import OwnFields, optional_date, part_of, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import HandledRecord
from registers.core.personal import PersonalKind
from registers.core.querysets import WorkflowQuerySet, within_year
from registers.core.revisions import RevisionedModel
from reviews.rates import Rate

L2017 = Regime.LAW_2017
L2023 = Regime.LAW_2023


#: The procedures are the deadline engine's: its enum gives the field its choices.
ReconsiderationProcedure = Procedure


class AcceptanceDecision(models.TextChoices):
    ACCEPTED = "accepted", _("受理")
    DEEMED_ACCEPTED = "deemed_accepted", _("视为受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")

    @property
    def is_acceptance(self) -> bool:
        return self in ACCEPTING


ACCEPTING = (AcceptanceDecision.ACCEPTED, AcceptanceDecision.DEEMED_ACCEPTED)


class ProvidedByLaw:
    """A choice that exists under the laws that provide for it: its class's table
    (``_BASIS``) gives, for each law (``Regime``), the articles that do."""

    @property
    def regimes(self) -> frozenset[Regime]:
        return frozenset(_BASIS[type(self)][self])

    def basis(self, regime: Regime) -> str:
        """The articles providing for this choice under ``regime`` ("" when there are none)."""
        return str(_BASIS[type(self)][self].get(regime, ""))


class SuspensionGround(ProvidedByLaw, models.TextChoices):
    """Why a case was suspended (中止); ``basis`` says where each law provides for it."""

    APPLICANT_DIED = "applicant_died", _("申请人（公民）死亡，近亲属尚未确定是否参加")
    APPLICANT_INCAPACITATED = (
        "applicant_incapacitated",
        _("申请人（公民）丧失参加能力，尚未确定法定代理人"),
    )
    APPLICANT_MISSING = "applicant_missing", _("申请人（公民）下落不明")
    APPLICANT_ENDED = "applicant_ended", _("申请人（法人或其他组织）终止，尚未确定权利义务承受人")
    CANNOT_TAKE_PART = "cannot_take_part", _("当事人因不可抗力或其他正当理由不能参加")
    MEDIATION = "mediation", _("进行调解、和解，双方同意中止")
    INTERPRETATION = "interpretation", _("法律适用问题需要有权机关解释或者确认")
    OTHER_CASE = "other_case", _("审理需以其他案件的审理结果为依据")
    NORM_REVIEW = "norm_review", _("依法处理有关规范性文件或者依据")
    OTHER = "other", _("其他需要中止的情形")

    @property
    def ends_case_after_sixty_days(self) -> bool:
        """Sixty days suspended on this ground, the cause remaining, end the case
        (复议法(2023)第四十一条第（五）项, 条例第四十二条第二款)."""
        return self in _ENDS_CASE_AFTER_SIXTY_DAYS


_GROUND_BASIS: dict[SuspensionGround, dict[Regime, object]] = {
    SuspensionGround.APPLICANT_DIED: {
        L2017: _("条例第四十一条第一款第(一)项"),
        L2023: _("复议法(2023)第三十九条第一款第（一）项"),
    },
    SuspensionGround.APPLICANT_INCAPACITATED: {
        L2017: _("条例第四十一条第一款第(二)项"),
        L2023: _("复议法(2023)第三十九条第一款第（二）项"),
    },
    SuspensionGround.APPLICANT_MISSING: {
        L2017: _("条例第四十一条第一款第(四)项"),
        L2023: _("复议法(2023)第三十九条第一款第（三）项"),
    },
    SuspensionGround.APPLICANT_ENDED: {
        L2017: _("条例第四十一条第一款第(三)项"),
        L2023: _("复议法(2023)第三十九条第一款第（四）项"),
    },
    SuspensionGround.CANNOT_TAKE_PART: {
        L2017: _("条例第四十一条第一款第(五)项"),
        L2023: _("复议法(2023)第三十九条第一款第（五）项"),
    },
    SuspensionGround.MEDIATION: {L2023: _("复议法(2023)第三十九条第一款第（六）项")},
    SuspensionGround.INTERPRETATION: {
        L2017: _("条例第四十一条第一款第(六)项"),
        L2023: _("复议法(2023)第三十九条第一款第（七）项"),
    },
    SuspensionGround.OTHER_CASE: {
        L2017: _("条例第四十一条第一款第(七)项"),
        L2023: _("复议法(2023)第三十九条第一款第（八）项"),
    },
    SuspensionGround.NORM_REVIEW: {L2023: _("复议法(2023)第三十九条第一款第（九）项")},
    SuspensionGround.OTHER: {
        L2017: _("条例第四十一条第一款第(八)项"),
        L2023: _("复议法(2023)第三十九条第一款第（十）项"),
    },
}

_ENDS_CASE_AFTER_SIXTY_DAYS = frozenset(
    {
        SuspensionGround.APPLICANT_DIED,
        SuspensionGround.APPLICANT_INCAPACITATED,
        SuspensionGround.APPLICANT_ENDED,
    }
)


class ReconsiderationOutcome(ProvidedByLaw, models.TextChoices):
    """How a case ended; ``regimes`` and ``basis`` say under which law each exists."""

    UPHELD = "upheld", _("维持")
    REVOKED = "revoked", _("撤销")
    REVOKED_REDO = "revoked_redo", _("撤销并责令重新作出")
    PARTLY_REVOKED = "partly_revoked", _("部分撤销")
    PARTLY_REVOKED_REDO = "partly_revoked_redo", _("部分撤销并责令重新作出")
    VARIED = "varied", _("变更")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")
    CONFIRMED_ILLEGAL_REDO = "confirmed_illegal_redo", _("确认违法并责令重新作出")
    CONFIRMED_VOID = "confirmed_void", _("确认无效")
    ORDERED_TO_PERFORM = "ordered_to_perform", _("责令履行")
    AGREEMENT_LIABILITY = "agreement_liability", _("责令承担行政协议责任")
    CLAIM_REJECTED = "claim_rejected", _("驳回行政复议请求")
    APPLICATION_REJECTED = "application_rejected", _("驳回行政复议申请")
    MEDIATED = "mediated", _("调解")
    SETTLED = "settled", _("和解")
    WITHDRAWN = "withdrawn", _("终止（申请人撤回申请）")
    TERMINATED = "terminated", _("终止（其他情形）")

    @property
    def is_direct_correction(self) -> bool:
        return self in DIRECT_CORRECTIONS


_OUTCOME_BASIS: dict[ReconsiderationOutcome, dict[Regime, object]] = {
    ReconsiderationOutcome.UPHELD: {
        L2017: _("复议法(2017)第二十八条第一款第(一)项；条例第四十三条"),
        L2023: _("复议法(2023)第六十八条"),
    },
    ReconsiderationOutcome.REVOKED: {
        L2017: _("复议法(2017)第二十八条第一款第(三)、(四)项；条例第四十五条、第四十六条"),
        L2023: _("复议法(2023)第六十四条、第七十条"),
    },
    ReconsiderationOutcome.REVOKED_REDO: {
        L2017: _("复议法(2017)第二十八条第一款第(三)项；条例第四十五条、第四十九条"),
        L2023: _("复议法(2023)第六十四条"),
    },
    ReconsiderationOutcome.PARTLY_REVOKED: {L2023: _("复议法(2023)第六十四条、第七十条")},
    ReconsiderationOutcome.PARTLY_REVOKED_REDO: {L2023: _("复议法(2023)第六十四条")},
    ReconsiderationOutcome.VARIED: {
        L2017: _("复议法(2017)第二十八条第一款第(三)项；条例第四十七条"),
        L2023: _("复议法(2023)第六十三条"),
    },
    ReconsiderationOutcome.CONFIRMED_ILLEGAL: {
        L2017: _("复议法(2017)第二十八条第一款第(三)项；条例第四十五条"),
        L2023: _("复议法(2023)第六十五条、第七十条"),
    },
    ReconsiderationOutcome.CONFIRMED_ILLEGAL_REDO: {
        L2017: _("复议法(2017)第二十八条第一款第(三)项；条例第四十五条"),
    },
    ReconsiderationOutcome.CONFIRMED_VOID: {L2023: _("复议法(2023)第六十七条、第七十条")},
    ReconsiderationOutcome.ORDERED_TO_PERFORM: {
        L2017: _("复议法(2017)第二十八条第一款第(二)项；条例第四十四条"),
        L2023: _("复议法(2023)第六十六条、第七十条"),
    },
    ReconsiderationOutcome.AGREEMENT_LIABILITY: {L2023: _("复议法(2023)第七十一条")},
    ReconsiderationOutcome.CLAIM_REJECTED: {L2023: _("复议法(2023)第六十九条")},
    ReconsiderationOutcome.APPLICATION_REJECTED: {
        L2017: _("条例第四十八条"),
        L2023: _("复议法(2023)第三十三条"),
    },
    ReconsiderationOutcome.MEDIATED: {
        L2017: _("条例第五十条"),
        L2023: _("复议法(2023)第七十三条"),
    },
    ReconsiderationOutcome.SETTLED: {
        L2017: _("条例第四十条、第四十二条第一款第(四)项"),
        L2023: _("复议法(2023)第七十四条、第四十一条第(一)项"),
    },
    ReconsiderationOutcome.WITHDRAWN: {
        L2017: _("复议法(2017)第二十五条；条例第四十二条第一款第(一)项"),
        L2023: _("复议法(2023)第四十一条第(一)项"),
    },
    ReconsiderationOutcome.TERMINATED: {
        L2017: _("条例第四十二条"),
        L2023: _("复议法(2023)第四十一条第(二)至(五)项"),
    },
}

_BASIS = {SuspensionGround: _GROUND_BASIS, ReconsiderationOutcome: _OUTCOME_BASIS}

#: The decisions that correct the respondent's act (直接纠错).
DIRECT_CORRECTIONS = frozenset(
    {
        ReconsiderationOutcome.REVOKED,
        ReconsiderationOutcome.REVOKED_REDO,
        ReconsiderationOutcome.PARTLY_REVOKED,
        ReconsiderationOutcome.PARTLY_REVOKED_REDO,
        ReconsiderationOutcome.VARIED,
        ReconsiderationOutcome.CONFIRMED_ILLEGAL,
        ReconsiderationOutcome.CONFIRMED_ILLEGAL_REDO,
        ReconsiderationOutcome.CONFIRMED_VOID,
        ReconsiderationOutcome.ORDERED_TO_PERFORM,
        ReconsiderationOutcome.AGREEMENT_LIABILITY,
    }
)

#: Cases ended by agreement of the parties (调解、和解).
AGREED_ENDINGS = frozenset({ReconsiderationOutcome.MEDIATED, ReconsiderationOutcome.SETTLED})


class ReconsiderationStage(models.TextChoices):
    RECEIVED = "received", _("已收到，待审查")
    CORRECTING = "correcting", _("补正中")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    UNDER_REVIEW = "under_review", _("已受理，审理中")
    SUSPENDED = "suspended", _("中止")
    CONCLUDED = "concluded", _("已审结")


class CorrectionRateDenominator(models.TextChoices):
    """What the correction rates divide by. The office sets it per report year
    (``CorrectionRateDefinition``); ``settings.LAWGOV["CORRECTION_RATE_DENOMINATOR"]`` is the
    base of a year it has not set, and the default of a new year's setting."""

    CONCLUDED = "concluded", _("审结案件数")
    ACCEPTED = "accepted", _("受理案件数")

    @classmethod
    def configured(cls) -> CorrectionRateDenominator:
        value = getattr(settings, "LAWGOV", {}).get("CORRECTION_RATE_DENOMINATOR", cls.CONCLUDED)
        try:
            return cls(value)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f'LAWGOV["CORRECTION_RATE_DENOMINATOR"] must be "concluded" or "accepted", '
                f"not {value!r}"
            ) from exc

    def condition(self, year: int) -> Q:
        """The cases of ``year`` this base counts."""
        if self is CorrectionRateDenominator.ACCEPTED:
            return Q(acceptance__in=ACCEPTING) & within_year("acceptance_on", year)
        return within_year("concluded_on", year)


@dataclasses.dataclass(frozen=True)
class CorrectionDefinition:
    """How the correction rates count, as the office set it for a report year
    (``CorrectionRateDefinition``): the outcomes that are a direct correction, whether a
    withdrawal after the respondent corrected itself counts as a correction in the
    comprehensive rate (the numerators), and which cases the rates divide by."""

    direct: frozenset[ReconsiderationOutcome] = DIRECT_CORRECTIONS
    counts_corrected_withdrawals: bool = True
    denominator: CorrectionRateDenominator = CorrectionRateDenominator.CONCLUDED

    @property
    def direct_condition(self) -> Q:
        return Q(outcome__in=sorted(self.direct))

    @property
    def comprehensive_condition(self) -> Q:
        if not self.counts_corrected_withdrawals:
            return self.direct_condition
        return self.direct_condition | Q(
            outcome=ReconsiderationOutcome.WITHDRAWN, respondent_corrected=True
        )

    def describe_direct(self) -> str:
        """The definition in words, for the figure's note."""
        labels = "、".join(str(o.label) for o in ReconsiderationOutcome if o in self.direct)
        return gettext("直接纠错计：%(outcomes)s") % {"outcomes": labels or gettext("（无）")}

    def describe_comprehensive(self) -> str:
        if self.counts_corrected_withdrawals:
            extra = gettext("另计被申请人自行纠正后申请人撤回申请的案件")
        else:
            extra = gettext("不计被申请人自行纠正后申请人撤回申请的案件")
        return f"{self.describe_direct()}；{extra}"


#: The outcomes and withdrawals counted in a year for which the office has set none; its
#: base is the configured one (``default_correction_definition``).
DEFAULT_CORRECTION_DEFINITION = CorrectionDefinition()


def default_correction_definition() -> CorrectionDefinition:
    """The definition of a year the office has not set: the default outcomes, divided by
    the configured base (read when counting, so a changed setting applies at once)."""
    return dataclasses.replace(
        DEFAULT_CORRECTION_DEFINITION, denominator=CorrectionRateDenominator.configured()
    )


_AGREED = Q(outcome__in=AGREED_ENDINGS)


def _definition_for(year: int) -> CorrectionDefinition:
    # The office's setting lives in its own module, which builds on this one.
    from .correction_rates import CorrectionRateDefinition

    return CorrectionRateDefinition.for_year(year)


@dataclasses.dataclass(frozen=True)
class ReconsiderationFigures:
    """What the annual report says about the cases of ``year`` (approved records only).

    ``outcomes`` lists only the outcomes that occurred, in the order of the outcome list.
    """

    year: int
    received: int
    accepted: int
    not_accepted: int
    concluded: int
    outcomes: dict[ReconsiderationOutcome, int]
    direct_correction_rate: Rate
    comprehensive_correction_rate: Rate
    mediation_settlement_rate: Rate


class ReconsiderationQuerySet(WorkflowQuerySet):
    # --- Filters ---------------------------------------------------------------------------

    def received_in(self, year: int):
        """Applications received in ``year``: the year's cases (``in_year``).

        Acceptance and conclusion are report sentences about their own dates
        (``accepted_in``, ``concluded_in``).
        """
        return self.in_year(year)

    def accepted(self):
        """Accepted or deemed accepted."""
        return self.filter(acceptance__in=ACCEPTING)

    def not_accepted(self):
        return self.filter(acceptance=AcceptanceDecision.NOT_ACCEPTED)

    def accepted_in(self, year: int):
        return self.accepted().filter(within_year("acceptance_on", year))

    def not_accepted_in(self, year: int):
        return self.not_accepted().filter(within_year("acceptance_on", year))

    def concluded(self):
        return self.filter(concluded_on__isnull=False)

    def concluded_in(self, year: int):
        return self.filter(within_year("concluded_on", year))

    def open(self):
        """Still running: neither concluded nor refused."""
        return self.filter(concluded_on__isnull=True).exclude(
            acceptance=AcceptanceDecision.NOT_ACCEPTED
        )

    def under_regime(self, regime: Regime):
        if Regime(regime) is Regime.LAW_2023:
            return self.filter(received_on__gte=REGIME_2023_STARTS_ON)
        return self.filter(received_on__lt=REGIME_2023_STARTS_ON)

    def in_stage(self, stage: ReconsiderationStage):
        open_suspension = ReconsiderationSuspension.objects.filter(
            case=OuterRef("pk"), resumed_on__isnull=True
        )
        running = Q(concluded_on__isnull=True)
        undecided = running & Q(acceptance="")
        correcting = Q(correction_requested_on__isnull=False, correction_received_on__isnull=True)
        conditions = {
            ReconsiderationStage.CONCLUDED: Q(concluded_on__isnull=False),
            ReconsiderationStage.NOT_ACCEPTED: running
            & Q(acceptance=AcceptanceDecision.NOT_ACCEPTED),
            ReconsiderationStage.SUSPENDED: running
            & Q(acceptance__in=ACCEPTING)
            & Q(Exists(open_suspension)),
            ReconsiderationStage.UNDER_REVIEW: running
            & Q(acceptance__in=ACCEPTING)
            & ~Q(Exists(open_suspension)),
            ReconsiderationStage.CORRECTING: undecided & correcting,
            ReconsiderationStage.RECEIVED: undecided & ~correcting,
        }
        return self.filter(conditions[ReconsiderationStage(stage)])

    # --- Figures for the annual report (one query each; call on ``.approved()``) -----------

    def received_count(self, year: int) -> int:
        return self.in_year(year).count()

    def accepted_count(self, year: int) -> int:
        return self.accepted_in(year).count()

    def not_accepted_count(self, year: int) -> int:
        return self.not_accepted_in(year).count()

    def concluded_count(self, year: int) -> int:
        return self.concluded_in(year).count()

    def outcome_counts(self, year: int) -> dict[ReconsiderationOutcome, int]:
        """Cases concluded in ``year`` by outcome, in the order of the outcome list."""
        rows = dict(
            self.concluded_in(year)
            .order_by()
            .values_list("outcome")
            .annotate(count=Count("pk"))
            .values_list("outcome", "count")
        )
        return {outcome: rows[outcome] for outcome in ReconsiderationOutcome if outcome in rows}

    def direct_correction_rate(
        self, year: int, definition: CorrectionDefinition | None = None
    ) -> Rate:
        """The year's direct corrections (``CorrectionDefinition``; by default 撤销、变更、
        确认违法、确认无效、责令履行 and their variants) ÷ the year's base."""
        definition = definition or _definition_for(year)
        return self._concluded_share(
            year, definition.direct_condition, definition, definition.describe_direct()
        )

    def comprehensive_correction_rate(
        self, year: int, definition: CorrectionDefinition | None = None
    ) -> Rate:
        """Direct corrections plus, where the year's definition says so, withdrawals after
        the respondent corrected itself."""
        definition = definition or _definition_for(year)
        return self._concluded_share(
            year,
            definition.comprehensive_condition,
            definition,
            definition.describe_comprehensive(),
        )

    def mediation_settlement_rate(
        self, year: int, definition: CorrectionDefinition | None = None
    ) -> Rate:
        """Cases ended by mediation or settlement ÷ the year's base."""
        definition = definition or _definition_for(year)
        return self._concluded_share(year, _AGREED, definition)

    def figures(
        self, year: int, definition: CorrectionDefinition | None = None
    ) -> ReconsiderationFigures:
        """Every figure above for ``year`` in one aggregate query (the annual report's);
        the correction rates count by ``definition`` (the year's, when not given)."""
        definition = definition or _definition_for(year)
        concluded = within_year("concluded_on", year)
        base = definition.denominator
        counts = self.aggregate(
            received=Count("pk", filter=self.year_condition(year)),
            accepted=Count(
                "pk", filter=Q(acceptance__in=ACCEPTING) & within_year("acceptance_on", year)
            ),
            not_accepted=Count(
                "pk",
                filter=Q(acceptance=AcceptanceDecision.NOT_ACCEPTED)
                & within_year("acceptance_on", year),
            ),
            concluded=Count("pk", filter=concluded),
            direct=Count("pk", filter=concluded & definition.direct_condition),
            comprehensive=Count("pk", filter=concluded & definition.comprehensive_condition),
            agreed=Count("pk", filter=concluded & _AGREED),
            **{
                f"outcome_{outcome.value}": Count("pk", filter=concluded & Q(outcome=outcome))
                for outcome in ReconsiderationOutcome
            },
        )
        denominator = counts[base.value]  # "accepted" or "concluded", counted above
        return ReconsiderationFigures(
            year=year,
            received=counts["received"],
            accepted=counts["accepted"],
            not_accepted=counts["not_accepted"],
            concluded=counts["concluded"],
            outcomes={
                outcome: counts[f"outcome_{outcome.value}"]
                for outcome in ReconsiderationOutcome
                if counts[f"outcome_{outcome.value}"]
            },
            direct_correction_rate=Rate(
                counts["direct"],
                denominator,
                basis=base.label,
                definition=definition.describe_direct(),
            ),
            comprehensive_correction_rate=Rate(
                counts["comprehensive"],
                denominator,
                basis=base.label,
                definition=definition.describe_comprehensive(),
            ),
            mediation_settlement_rate=Rate(counts["agreed"], denominator, basis=base.label),
        )

    def _concluded_share(
        self, year: int, numerator: Q, definition: CorrectionDefinition, note: str = ""
    ) -> Rate:
        base = definition.denominator
        counts = self.aggregate(
            numerator=Count("pk", filter=within_year("concluded_on", year) & numerator),
            denominator=Count("pk", filter=base.condition(year)),
        )
        return Rate(counts["numerator"], counts["denominator"], basis=base.label, definition=note)


# Maps the deadline module's error codes to the form field they are about.
_DEADLINE_ERROR_FIELDS = {
    "simple_procedure_before_2024": "procedure",
    "simple_procedure_no_extension": "extension_days",
    "extension_too_long": "extension_days",
    "correction_without_request": "correction_requested_on",
    "correction_before_receipt": "correction_requested_on",
    "notice_served_before_sent": "correction_notice_served_on",
    "correction_received_before_notice": "correction_received_on",
    "accepted_before_receipt": "acceptance_on",
    "copy_served_before_receipt": "copy_served_on",
}

#: Deadlines that still matter after an application was refused.
_BEFORE_ACCEPTANCE = frozenset(
    {
        DeadlineKey.ACCEPTANCE_REVIEW,
        DeadlineKey.CORRECTION_NOTICE,
        DeadlineKey.CORRECTION_SUBMISSION,
        DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION,
    }
)


class ReconsiderationCase(HandledRecord):
    """One application for reconsideration, from receipt to conclusion."""

    # Acceptance and conclusion count by their own dates (``accepted_in``, ``concluded_in``).
    year_field = "received_on"
    personal_fields = {"applicant": PersonalKind.NAME}

    register_fields = OwnFields()
    export_omits = (
        "matter",
        "correction_requested_on",
        "correction_notice_served_on",
        "correction_received_on",
        "copy_served_on",
        "extension_days",
        "note",
    )

    unit = unit_field(
        _("被申请人"),
        help_text=_("作出被申请复议行政行为的单位；该单位联络员可以看到本单位被申请的案件。"),
    )
    number = IdentifierField(_("案号"), max_length=60, help_text=_("如 咸安复〔2017〕1号。"))
    applicant = models.CharField(_("申请人"), max_length=200)
    matter = models.TextField(_("被申请复议的行政行为"))
    procedure = models.CharField(
        _("审理程序"),
        max_length=10,
        choices=ReconsiderationProcedure.choices,
        default=ReconsiderationProcedure.ORDINARY,
        help_text=_("简易程序仅适用于2024年1月1日以后收到的申请（复议法(2023)第五十三条）。"),
    )
    received_on = models.DateField(
        _("收到申请日期"),
        help_text=_("行政复议机构收到申请之日；据此确定适用2017年或2023年《行政复议法》。"),
    )
    correction_requested_on = optional_date(_("补正通知发出日期"))
    correction_notice_served_on = optional_date(
        _("补正通知送达日期"), help_text=_("申请人收到补正通知之日；2023年法补正期限自此起算。")
    )
    correction_received_on = optional_date(_("收到补正材料日期"))
    acceptance = models.CharField(
        _("受理审查结果"), max_length=20, choices=AcceptanceDecision.choices, blank=True
    )
    acceptance_on = optional_date(
        _("受理（不予受理）日期"),
        help_text=_("视为受理的，填写依法视为受理之日（页面“法定期限”中的受理审查期限可供核对）。"),
    )
    copy_served_on = optional_date(
        _("申请书副本送达被申请人日期"), help_text=_("被申请人的答复期限自此起算。")
    )
    extension_days = models.PositiveSmallIntegerField(
        _("延长审理期限（日）"),
        default=0,
        help_text=_("经负责人批准延长的天数，最多30日；简易程序不得延长。"),
    )
    concluded_on = optional_date(_("审结日期"))
    outcome = models.CharField(
        _("审结结果"), max_length=30, choices=ReconsiderationOutcome.choices, blank=True
    )
    respondent_corrected = models.BooleanField(
        _("被申请人自行纠正后撤回"),
        default=False,
        help_text=_(
            "被申请人在复议期间自行纠正违法或者不当行为，申请人因此撤回申请（计入综合纠错）。"
        ),
    )
    note = models.TextField(_("备注"), blank=True)

    objects = ReconsiderationQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "number"]
        verbose_name = verbose_name_plural = _("行政复议案件")
        constraints = [
            unique(
                "number",
                rule="unique_number",
                message=_("已有案号相同的行政复议案件（案号已统一为半角字符后比较）。"),
                code="duplicate_case_number",
            ),
            check(
                Q(extension_days__lte=30),
                name="reviews_reconsiderationcase_extension_at_most_30",
                message=_("延长期限最多不超过30日"),
            ),
            only_with(
                "outcome",
                "concluded_on",
                rule="outcome_when_concluded",
                message=_("审结后才能填写审结结果"),
                code="outcome_without_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.applicant}）"

    # --- What the case is --------------------------------------------------------------------

    @property
    def regime(self) -> Regime:
        return regime_for(self.received_on)

    @property
    def is_accepted(self) -> bool:
        return self.acceptance in ACCEPTING

    @property
    def correction_pending(self) -> bool:
        return self.correction_requested_on is not None and self.correction_received_on is None

    def suspension_list(self) -> list[ReconsiderationSuspension]:
        # ``.all()`` so a prefetched list is reused (the deadline board prefetches it).
        return list(self.suspensions.all()) if self.pk else []

    @property
    def is_suspended(self) -> bool:
        return any(s.resumed_on is None for s in self.suspension_list())

    @property
    def stage(self) -> ReconsiderationStage:
        if self.concluded_on is not None:
            return ReconsiderationStage.CONCLUDED
        if self.acceptance == AcceptanceDecision.NOT_ACCEPTED:
            return ReconsiderationStage.NOT_ACCEPTED
        if self.is_accepted:
            if self.is_suspended:
                return ReconsiderationStage.SUSPENDED
            return ReconsiderationStage.UNDER_REVIEW
        if self.correction_pending:
            return ReconsiderationStage.CORRECTING
        return ReconsiderationStage.RECEIVED

    # --- Deadlines, computed when read -------------------------------------------------------

    def counted_suspensions(
        self, calendar: WorkingDayCalendar | None = None
    ) -> list[ReconsiderationSuspension]:
        """The suspensions (中止) that stop the decision period: in date order, each begun on
        or before the period's last day as the earlier ones left it. A suspension begun once
        the period had run out does not bring it back (复议法(2023)第三十九条: the period
        stops while it runs), nor does any after it."""
        suspensions = sorted(self.suspension_list(), key=lambda s: s.suspended_on)
        if suspensions and calendar is None:
            calendar = get_calendar()
        counted, excluded = [], 0
        for suspension in suspensions:
            due = self._decision_due(calendar, excluded)
            if due is None or suspension.suspended_on > due:
                break
            counted.append(suspension)
            if suspension.resumed_on is None:
                break
            excluded += (suspension.resumed_on - suspension.suspended_on).days
        return counted

    def suspended_days(self, calendar: WorkingDayCalendar | None = None) -> int:
        """Days of the finished suspensions that stop the decision period."""
        return sum(
            (s.resumed_on - s.suspended_on).days
            for s in self.counted_suspensions(calendar)
            if s.resumed_on is not None
        )

    def _decision_due(self, calendar: WorkingDayCalendar, excluded: int):
        dates = {**self._case_dates(), "other_excluded_days": excluded}
        deadlines = reconsideration_deadlines(calendar=calendar, **dates)
        return next((d.due for d in deadlines if d.key is DeadlineKey.DECISION), None)

    def _dates_for_deadlines(self, calendar: WorkingDayCalendar | None = None) -> dict:
        """The case as the deadline engine reads it."""
        return {**self._case_dates(), "other_excluded_days": self.suspended_days(calendar)}

    def _case_dates(self) -> dict:
        return {
            "received_on": self.received_on,
            "procedure": self.procedure,
            "correction_requested_on": self.correction_requested_on,
            "correction_notice_served_on": self.correction_notice_served_on,
            "correction_received_on": self.correction_received_on,
            "accepted_on": self.acceptance_on if self.is_accepted else None,
            "extended": self.extension_days > 0,
            "extension_days": self.extension_days or MAX_EXTENSION_DAYS,
            "copy_served_on": self.copy_served_on,
        }

    def deadlines(self, calendar: WorkingDayCalendar | None = None) -> list[Deadline]:
        """The statutory deadlines as the calendar stands now; raises ``DeadlineInputError``."""
        if calendar is None:
            calendar = get_calendar()
        deadlines = reconsideration_deadlines(
            calendar=calendar, **self._dates_for_deadlines(calendar)
        )
        if self.acceptance == AcceptanceDecision.NOT_ACCEPTED:
            return [d for d in deadlines if d.key in _BEFORE_ACCEPTANCE]
        counted = self.counted_suspensions(calendar)
        return [self._with_suspension_note(d, counted) for d in deadlines] + [
            suspension_limit_due(suspension.suspended_on, self.regime, calendar)
            for suspension in self.suspension_list()
            if suspension.resumed_on is None and suspension.ends_case_after_sixty_days
        ]

    def _with_suspension_note(self, deadline: Deadline, counted: list) -> Deadline:
        suspensions = self.suspension_list()
        if deadline.key is not DeadlineKey.DECISION or not suspensions:
            return deadline

        def periods(chosen) -> str:
            return "、".join(s.period_label for s in chosen)

        notes = [str(deadline.note)] if deadline.note else []
        if counted:
            notes.append(
                gettext("中止期间（%(periods)s）不计入审理期限") % {"periods": periods(counted)}
            )
            if counted[-1].resumed_on is None:
                notes.append(gettext("案件中止中，恢复审理后期限顺延"))
        late = [s for s in suspensions if s not in counted]
        if late:
            notes.append(
                gettext("%(periods)s的中止开始于审理期限届满之后，期限不因此顺延")
                % {"periods": periods(late)}
            )
        return dataclasses.replace(deadline, note="；".join(notes))

    def deadline(self, key: DeadlineKey, calendar: WorkingDayCalendar | None = None):
        """One deadline by key, or None when it does not (yet) apply."""
        return next((d for d in self.deadlines(calendar) if d.key is key), None)

    # --- Acceptance by law (复议法(2023)第三十条第三款, (2017)第十七条第二款) -----------------

    def _undecided_deadlines(self, calendar: WorkingDayCalendar | None) -> dict:
        """The deadlines as they run for the application with no acceptance decision."""
        deadlines = reconsideration_deadlines(
            calendar=calendar or get_calendar(), **{**self._case_dates(), "accepted_on": None}
        )
        return {deadline.key: deadline for deadline in deadlines}

    def acceptance_review_ends(self, calendar: WorkingDayCalendar | None = None):
        """The last day to refuse the application: that of the acceptance review, begun
        again by a correction received; None while a requested correction is awaited (the
        review waits for it). An application not refused by then is accepted by law."""
        review = self._acceptance_review(calendar)
        return review.due if review is not None else None

    def _acceptance_review(self, calendar: WorkingDayCalendar | None = None):
        """The acceptance review's ``Deadline`` (``acceptance_review_ends``)."""
        if self.correction_pending:
            return None
        deadlines = self._undecided_deadlines(calendar)
        return deadlines.get(
            DeadlineKey.ACCEPTANCE_REVIEW_AFTER_CORRECTION,
            deadlines.get(DeadlineKey.ACCEPTANCE_REVIEW),
        )

    def accepted_by_law_on(self, calendar: WorkingDayCalendar | None = None):
        """The day an application not refused in time is accepted from, as the decision
        period runs from it (the deadline engine's rule: the day of receipt under the 2017
        law, the review's last day under the 2023 law); None while a correction is awaited."""
        if self.correction_pending:
            return None
        decision = self._undecided_deadlines(calendar).get(DeadlineKey.DECISION)
        return decision.start if decision is not None else None

    def acceptance_unrecorded(
        self, today: datetime.date, calendar: WorkingDayCalendar | None = None
    ) -> bool:
        """No acceptance decision recorded although the review ended before ``today``: the
        application is accepted by law and the register does not say so yet."""
        if self.acceptance:
            return False
        review_ends = self.acceptance_review_ends(calendar)
        return review_ends is not None and review_ends < today

    # --- Validation of stage changes ---------------------------------------------------------

    def clean(self) -> None:
        super().clean()
        if self.received_on is None:
            return  # the field's own "required" error says it
        errors: dict[str, list[ValidationError]] = {}

        def refuse(field: str | None, message, code: str) -> None:
            errors.setdefault(field or "__all__", []).append(ValidationError(message, code=code))

        self._check_acceptance(refuse)
        self._check_conclusion(refuse)
        if not errors:
            try:
                check_reconsideration_dates(**self._dates_for_deadlines())
            except DeadlineInputError as error:
                refuse(_DEADLINE_ERROR_FIELDS.get(error.code), error.message, error.code)
        if not errors and self.acceptance == AcceptanceDecision.NOT_ACCEPTED:
            self._check_refusal_in_time(refuse)
        if errors:
            raise ValidationError(errors)

    def _check_refusal_in_time(self, refuse) -> None:
        """An application not refused within its acceptance review is accepted by law
        (复议法(2023)第三十条第三款, 复议法(2017)第十七条第二款): a refusal after the review's
        last day is refused; the case is then accepted, and one found inadmissible later is
        rejected (驳回行政复议申请). A review whose last day is provisional (its year's
        holiday schedule not yet confirmed) refuses nothing: the notice may yet add days off."""
        review = self._acceptance_review()
        if review is not None and not review.provisional and self.acceptance_on > review.due:
            last_day = review.due
            refuse(
                "acceptance",
                _(
                    "受理审查期限已于%(due)s届满，期满未决定不予受理的，申请依法视为受理，"
                    "不能再决定不予受理。请记录为受理；受理后发现不符合受理条件的，"
                    "审结结果选“驳回行政复议申请”。"
                )
                % {"due": last_day.isoformat()},
                "refused_after_review",
            )

    def _check_acceptance(self, refuse) -> None:
        decided = bool(self.acceptance)
        if decided and self.acceptance_on is None:
            refuse("acceptance_on", _("请填写受理（不予受理）日期"), "acceptance_date_missing")
        if not decided and self.acceptance_on is not None:
            refuse(
                "acceptance", _("填写了受理日期，请选择受理审查结果"), "acceptance_without_decision"
            )
        if self.is_accepted and self.correction_pending:
            refuse(
                "acceptance",
                _("补正材料尚未收到，不能受理；申请人逾期不补正的按有关规定处理"),
                "accepted_with_correction_pending",
            )
        if (
            self.is_accepted
            and self.acceptance_on
            and self.correction_received_on
            and self.acceptance_on < self.correction_received_on
        ):
            refuse("acceptance_on", _("受理日期早于收到补正材料日期"), "accepted_before_correction")
        if not self.is_accepted:
            if self.copy_served_on is not None:
                refuse(
                    "copy_served_on",
                    _("案件尚未受理，不能送达申请书副本"),
                    "copy_without_acceptance",
                )
            if self.extension_days:
                refuse(
                    "extension_days",
                    _("案件尚未受理，不能延长审理期限"),
                    "extension_without_acceptance",
                )
        elif (
            self.copy_served_on and self.acceptance_on and self.copy_served_on < self.acceptance_on
        ):
            refuse("copy_served_on", _("副本送达日期早于受理日期"), "copy_served_before_acceptance")

    def _check_conclusion(self, refuse) -> None:
        if self.concluded_on is None:
            if self.respondent_corrected:
                refuse(
                    "respondent_corrected",
                    _("案件审结后才能记录被申请人自行纠正"),
                    "self_correction_without_conclusion",
                )
            return
        if not self.is_accepted:
            refuse("concluded_on", _("案件未受理，不能审结"), "concluded_without_acceptance")
        elif self.acceptance_on and self.concluded_on < self.acceptance_on:
            refuse("concluded_on", _("审结日期早于受理日期"), "concluded_before_accepted")
        if not self.outcome:
            refuse("outcome", _("请选择审结结果"), "conclusion_without_outcome")
            return
        outcome = ReconsiderationOutcome(self.outcome)
        if self.regime not in outcome.regimes:
            refuse(
                "outcome",
                _("“%(outcome)s”不是%(regime)s规定的审结方式")
                % {"outcome": outcome.label, "regime": self.regime.label},
                "outcome_not_in_regime",
            )
        if self.respondent_corrected and outcome is not ReconsiderationOutcome.WITHDRAWN:
            refuse(
                "respondent_corrected",
                _("只有申请人撤回申请终止的案件才记录被申请人自行纠正"),
                "self_correction_without_withdrawal",
            )


class ReconsiderationSuspension(RevisionedModel):
    """A suspension (中止) of a case and its resumption; the time between does not count."""

    scope_field = "case__unit"

    #: Its own fields, besides the case it belongs to.
    register_fields = OwnFields()

    case = part_of(ReconsiderationCase, _("行政复议案件"), related_name="suspensions")
    suspended_on = models.DateField(_("中止日期"))
    resumed_on = optional_date(_("恢复审理日期"))
    ground = models.CharField(
        _("中止情形"),
        max_length=30,
        choices=SuspensionGround.choices,
        help_text=_(
            "复议法(2023)第三十九条、条例第四十一条所列情形。因申请人死亡、丧失参加能力或"
            "（法人、其他组织）终止而中止满60日、原因仍未消除的，应当终止，期限看板会提示。"
        ),
    )
    reason = models.CharField(
        _("中止原因"),
        max_length=200,
        help_text=_(
            "如：案件审理需以其他案件结果为依据（复议法(2023)第三十九条、条例第四十一条）。"
        ),
    )

    class Meta:
        ordering = ["case", "suspended_on"]
        verbose_name = _("中止")
        verbose_name_plural = _("中止与恢复")
        constraints = [
            not_before(
                "resumed_on",
                "suspended_on",
                rule="resumed_after_suspended",
                message=_("恢复审理日期早于中止日期"),
                code="resumed_before_suspended",
            ),
        ]

    def __str__(self) -> str:
        return gettext("中止于%(date)s") % {"date": self.suspended_on.isoformat()}

    def clean(self) -> None:
        super().clean()
        try:
            case = self.case
        except ObjectDoesNotExist:
            return
        if self.suspended_on is None:
            return
        errors = {}
        if self.ground and case.received_on and case.regime not in self.ground_choice.regimes:
            errors["ground"] = ValidationError(
                _("“%(ground)s”不是%(regime)s规定的中止情形")
                % {"ground": self.ground_choice.label, "regime": case.regime.label},
                code="ground_not_in_regime",
            )
        if not case.is_accepted:
            errors["suspended_on"] = ValidationError(
                _("案件尚未受理，不能中止"), code="suspended_without_acceptance"
            )
        elif case.acceptance_on and self.suspended_on < case.acceptance_on:
            errors["suspended_on"] = ValidationError(
                _("中止日期早于受理日期"), code="suspended_before_acceptance"
            )
        if case.concluded_on is not None:
            if self.resumed_on is None:
                errors["resumed_on"] = ValidationError(
                    _("案件已审结，请填写恢复审理日期"), code="concluded_while_suspended"
                )
            elif self.resumed_on > case.concluded_on or self.suspended_on > case.concluded_on:
                errors["suspended_on"] = ValidationError(
                    _("中止或恢复日期晚于审结日期"), code="suspended_after_conclusion"
                )
        overlapping = next((s for s in case.suspension_list() if self.overlaps(s)), None)
        if overlapping is not None and "suspended_on" not in errors:
            errors["suspended_on"] = ValidationError(
                _("与已记录的中止期间（%(period)s）重叠：同一时间只计一次中止，请修改或合并。")
                % {"period": overlapping.period_label},
                code="suspensions_overlap",
            )
        if errors:
            raise ValidationError(errors)

    @property
    def ground_choice(self) -> SuspensionGround:
        return SuspensionGround(self.ground)

    @property
    def ends_case_after_sixty_days(self) -> bool:
        return bool(self.ground) and self.ground_choice.ends_case_after_sixty_days

    @property
    def period_label(self) -> str:
        end = self.resumed_on.isoformat() if self.resumed_on else gettext("今")
        return gettext("%(start)s至%(end)s") % {"start": self.suspended_on.isoformat(), "end": end}

    def overlaps(self, other: ReconsiderationSuspension) -> bool:
        """Whether ``other`` (another suspension) shares a day with this one: each runs from
        its suspension to the day before its resumption, an open one without end."""
        if other is self or (self.pk is not None and other.pk == self.pk):
            return False
        if self.suspended_on is None or other.suspended_on is None:
            return False
        self_end, other_end = (
            self.resumed_on or datetime.date.max,
            other.resumed_on or datetime.date.max,
        )
        return self.suspended_on < other_end and other.suspended_on < self_end
