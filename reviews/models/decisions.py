"""Major administrative decisions (重大行政决策) and the steps that lead to them.

The procedure is that of 《重大行政决策程序暂行条例》 (国务院令第713号, 2019; "the
regulation" below, articles cited as 第N条). A decision is listed in its year's catalogue
(第三条第三款); public participation (第十四条至第十八条), expert argument (第十九条至第二十一条)
and risk assessment (第二十二条至第二十四条) apply when the matter qualifies; legality review
(第二十五条至第二十八条) and collective discussion (第三十条) are always required, and no draft
goes to discussion without a passed legality review (第二十五条第二款). Who decided and who
dissented is kept for lifelong accountability (第三十条第三款, 第三十八条).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registers.core.calendar import working_days_between
from registers.core.constraints import check, unique
from registers.core.fields import OwnFields, optional_date, part_of, reference, unit_field
from registers.core.identifiers import IdentifierField
from registers.core.models import WorkflowRecord
from registers.core.querysets import WorkflowQuerySet
from registers.core.revisions import RevisionedModel

from .validation import Errors, field_error

#: 第十五条: a public comment period is "generally not less than 30 days".
MIN_COMMENT_DAYS = 30

#: 第二十六条第二款: the review is allowed "generally not less than 7 working days".
MIN_LEGALITY_REVIEW_WORKING_DAYS = 7


class DecisionCategory(models.TextChoices):
    """The kinds of matter of 第三条第一款."""

    PUBLIC_POLICY = "public_policy", _("重大公共政策和措施")
    PLAN = "plan", _("经济和社会发展等方面的重要规划")
    RESOURCES = "resources", _("重要自然资源和文化资源的开发利用、保护")
    CONSTRUCTION = "construction", _("重大公共建设项目")
    OTHER = "other", _("其他重大事项")


class StepKind(models.TextChoices):
    """Steps that apply when the matter qualifies; each decision says which do."""

    PUBLIC_PARTICIPATION = "public_participation", _("公众参与")
    EXPERT_ARGUMENT = "expert_argument", _("专家论证")
    RISK_ASSESSMENT = "risk_assessment", _("风险评估")

    @property
    def article(self) -> str:
        return {
            StepKind.PUBLIC_PARTICIPATION: gettext("第十四条至第十八条"),
            StepKind.EXPERT_ARGUMENT: gettext("第十九条至第二十一条"),
            StepKind.RISK_ASSESSMENT: gettext("第二十二条至第二十四条"),
        }[self]


class LegalityResult(models.TextChoices):
    PASSED = "passed", _("审查通过")
    FAILED = "failed", _("审查不通过")
    # 第二十五条第二款: an exploratory reform with no clear national rule may go to discussion
    # once its legal risk is stated.
    RISK_STATED = "risk_stated", _("探索性改革事项，明示法律风险")

    @property
    def permits_discussion(self) -> bool:
        return self in {LegalityResult.PASSED, LegalityResult.RISK_STATED}


class MeetingKind(models.TextChoices):
    """第三十条: the draft is discussed at an executive or a plenary meeting."""

    EXECUTIVE = "executive", _("常务会议")
    PLENARY = "plenary", _("全体会议")


class EvaluationTrigger(models.TextChoices):
    """第三十六条第一款: why a post-decision evaluation (决策后评估) was organised."""

    BELOW_EXPECTATIONS = "below_expectations", _("实施后明显未达到预期效果")
    MANY_COMMENTS = "many_comments", _("公民、法人或者其他组织提出较多意见")
    DEEMED_NECESSARY = "deemed_necessary", _("决策机关认为有必要")


class Stance(models.TextChoices):
    AGREE = "agree", _("同意")
    DISSENT = "dissent", _("不同意")
    RESERVED = "reserved", _("保留意见")

    @property
    def is_dissent(self) -> bool:
        return self != Stance.AGREE


class DecisionCatalogue(RevisionedModel):
    """The yearly catalogue of decision matters a decision body publishes (第三条第三款).

    Reference data kept by the legal office: every role reads it, the office changes it.
    """

    reference_data = True

    register_fields = OwnFields()

    decision_body = unit_field(_("决策机关"), related_name="decision_catalogues")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("目录名称"), max_length=200)
    document_number = IdentifierField(_("文号"), max_length=60, blank=True)
    published_on = optional_date(_("公布日期"), help_text=_("经同级党委同意后向社会公布的日期。"))

    class Meta:
        ordering = ["-year", "decision_body"]
        verbose_name = verbose_name_plural = _("重大行政决策事项目录")
        constraints = [
            unique(
                "decision_body",
                "year",
                rule="unique_year",
                message=_("该决策机关本年度已有决策事项目录。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.published_on and self.year and self.published_on.year > self.year:
            raise field_error(
                "published_on",
                gettext("目录应在所属年度内公布。"),
                "catalogue_published_late",
            )


@dataclass(frozen=True)
class StepFigures:
    done: int
    not_applicable: int


@dataclass(frozen=True)
class DecisionFigures:
    """What the annual report says about the decisions of ``year``'s catalogue.

    Counted over approved decisions listed in a catalogue of the year. ``steps`` gives, for
    each qualifying step, how many decisions completed it and how many recorded it as not
    applicable (with a reason).
    """

    year: int
    catalogued: int
    legality_reviewed: int
    legality_passed: int
    discussed: int
    published: int
    post_evaluated: int
    with_dissent: int
    steps: dict[StepKind, StepFigures]


class DecisionQuerySet(WorkflowQuerySet):
    def in_catalogue_of(self, year: int):
        """Decisions of ``year``'s catalogue: the year's decisions (``in_year``)."""
        return self.in_year(year)

    def legality_reviewed(self):
        return self.filter(legality_reviewed_on__isnull=False)

    def legality_passed(self):
        passing = [result for result in LegalityResult if result.permits_discussion]
        return self.filter(legality_review_result__in=passing)

    def discussed(self):
        return self.filter(discussed_on__isnull=False)

    def published(self):
        return self.filter(published_on__isnull=False)

    def post_evaluated(self):
        return self.filter(post_evaluated_on__isnull=False)

    def with_dissent(self):
        return self.filter(_dissent_recorded())

    def with_step_done(self, kind: StepKind):
        return self.filter(_step_recorded(kind, applicable=True, completed_on__isnull=False))

    def with_step_not_applicable(self, kind: StepKind):
        return self.filter(_step_recorded(kind, applicable=False))

    def figures(self, year: int) -> DecisionFigures:
        """The year's decision figures, counted over approved decisions only (one query)."""
        passing = [result for result in LegalityResult if result.permits_discussion]
        steps = {}
        for kind in StepKind:
            steps[f"done_{kind.value}"] = Count(
                "pk", filter=_step_recorded(kind, applicable=True, completed_on__isnull=False)
            )
            steps[f"skipped_{kind.value}"] = Count(
                "pk", filter=_step_recorded(kind, applicable=False)
            )
        counts = (
            self.approved()
            .in_year(year)
            .aggregate(
                catalogued=Count("pk"),
                legality_reviewed=Count("pk", filter=Q(legality_reviewed_on__isnull=False)),
                legality_passed=Count("pk", filter=Q(legality_review_result__in=passing)),
                discussed=Count("pk", filter=Q(discussed_on__isnull=False)),
                published=Count("pk", filter=Q(published_on__isnull=False)),
                post_evaluated=Count("pk", filter=Q(post_evaluated_on__isnull=False)),
                with_dissent=Count("pk", filter=_dissent_recorded()),
                **steps,
            )
        )
        return DecisionFigures(
            year=year,
            **{name: value for name, value in counts.items() if name not in steps},
            steps={
                kind: StepFigures(
                    done=counts[f"done_{kind.value}"],
                    not_applicable=counts[f"skipped_{kind.value}"],
                )
                for kind in StepKind
            },
        )


def _dissent_recorded() -> Q:
    """Someone at the meeting disagreed or reserved their opinion."""
    dissent = DecisionParticipant.objects.filter(decision=OuterRef("pk")).exclude(
        stance=Stance.AGREE
    )
    return Q(Exists(dissent))


def _step_recorded(kind: StepKind, **conditions) -> Q:
    return Q(Exists(DecisionStep.objects.filter(decision=OuterRef("pk"), kind=kind, **conditions)))


class MajorDecision(WorkflowRecord):
    """One decision matter of a catalogue; ``unit`` is the undertaking unit (承办单位, 第十一条)."""

    # A decision belongs to the year of the catalogue it is listed in.
    year_field = "catalogue__year"

    #: The evaluation after the decision took effect (决策后评估).
    post_evaluation_fields = (
        "post_evaluation_trigger",
        "post_evaluator",
        "post_evaluated_on",
        "post_evaluation_conclusion",
    )
    register_fields = OwnFields()
    export_omits = (
        "matter",
        "legality_review_sent_on",
        "legality_review_due_on",
        "short_review_reason",
        "legality_opinion",
        "meeting",
        "head_departure_reason",
        "publication_channel",
        "archived_on",
        *post_evaluation_fields,
    )

    catalogue = reference(DecisionCatalogue, _("所属目录"), related_name="decisions")
    title = models.CharField(_("决策事项"), max_length=200)
    category = models.CharField(_("事项类别"), max_length=20, choices=DecisionCategory.choices)
    matter = models.TextField(_("主要内容"), blank=True)

    # Legality review (第二十五条至第二十八条)
    legality_review_sent_on = optional_date(_("送请合法性审查日期"))
    legality_review_due_on = optional_date(
        _("审查期限"),
        help_text=_("送审时给审查部门留出的期限，一般不少于7个工作日（第二十六条）。"),
    )
    short_review_reason = models.TextField(_("审查时间不足7个工作日的说明"), blank=True)
    legality_reviewed_on = optional_date(_("合法性审查意见日期"))
    legality_review_result = models.CharField(
        _("合法性审查结论"), max_length=20, choices=LegalityResult.choices, blank=True
    )
    legality_opinion = models.TextField(_("合法性审查意见"), blank=True)

    # Collective discussion and decision (第三十条)
    meeting_kind = models.CharField(
        _("会议类型"), max_length=20, choices=MeetingKind.choices, blank=True
    )
    meeting = models.CharField(
        _("会议名称"), max_length=100, blank=True, help_text=_("如：区政府第12次常务会议。")
    )
    discussed_on = optional_date(_("集体讨论日期"))
    decided_by = models.CharField(
        _("决定人（行政首长）"),
        max_length=100,
        blank=True,
        help_text=_("行政首长在集体讨论的基础上作出决定（第三十条）。"),
    )
    head_departure_reason = models.TextField(_("行政首长决定与多数意见不一致的理由"), blank=True)

    # Publication, archiving, post-decision evaluation (第三十二条, 第三十三条, 第三十六条)
    published_on = optional_date(_("公布日期"))
    publication_channel = models.CharField(_("公布途径"), max_length=200, blank=True)
    archived_on = optional_date(_("归档日期"))
    post_evaluation_trigger = models.CharField(
        _("后评估原因"), max_length=30, choices=EvaluationTrigger.choices, blank=True
    )
    post_evaluator = models.CharField(_("后评估单位"), max_length=200, blank=True)
    post_evaluated_on = optional_date(_("后评估完成日期"))
    post_evaluation_conclusion = models.TextField(_("后评估结论"), blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-catalogue__year", "catalogue", "title"]
        verbose_name = verbose_name_plural = _("重大行政决策")
        constraints = [
            unique(
                "catalogue",
                "title",
                rule="unique_title",
                message=_("目录中已有同名决策事项。"),
            ),
            check(
                Q(discussed_on__isnull=True)
                | Q(legality_review_result__in=[LegalityResult.PASSED, LegalityResult.RISK_STATED]),
                rule="discussed_after_passed_review",
                message=_("决策草案未经合法性审查或者经审查不合法的，不得提交讨论。"),
                code="discussion_without_passed_legality_review",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def legality_result(self) -> LegalityResult | None:
        return LegalityResult(self.legality_review_result) if self.legality_review_result else None

    @property
    def may_go_to_discussion(self) -> bool:
        result = self.legality_result
        return result is not None and result.permits_discussion

    def review_working_days_allowed(self) -> int | None:
        """Working days between sending the draft for review and the review deadline."""
        if not (self.legality_review_sent_on and self.legality_review_due_on):
            return None
        return working_days_between(self.legality_review_sent_on, self.legality_review_due_on)

    def pending_steps(self) -> list[StepKind]:
        """Qualifying steps not yet recorded as done or as not applicable."""
        settled = {
            StepKind(step.kind)
            for step in self.steps.all()
            if not step.applicable or step.completed_on is not None
        }
        return [kind for kind in StepKind if kind not in settled]

    def clean(self) -> None:
        super().clean()
        errors = Errors()
        add = errors.add

        self._clean_legality_review(add)
        self._clean_discussion(add)
        self._clean_after_decision(add)
        errors.raise_if_any()

    def _clean_legality_review(self, add) -> None:
        sent, due = self.legality_review_sent_on, self.legality_review_due_on
        reviewed = self.legality_reviewed_on
        if sent and not due:
            add(
                "legality_review_due_on",
                gettext("送请合法性审查时应写明审查期限（第二十六条）。"),
                "legality_review_due_missing",
            )
        if due and sent and due < sent:
            add(
                "legality_review_due_on",
                gettext("审查期限早于送审日期。"),
                "legality_review_due_before_sent",
            )
        elif due and sent and not self.short_review_reason.strip():
            allowed = self.review_working_days_allowed()
            if allowed is not None and allowed < MIN_LEGALITY_REVIEW_WORKING_DAYS:
                add(
                    "legality_review_due_on",
                    gettext(
                        "送请合法性审查应保证必要的审查时间，一般不少于%(minimum)d个工作日"
                        "（第二十六条），本次只有%(allowed)d个工作日；确需缩短的，请填写说明。"
                    )
                    % {"minimum": MIN_LEGALITY_REVIEW_WORKING_DAYS, "allowed": allowed},
                    "legality_review_time_too_short",
                )
        if bool(reviewed) != bool(self.legality_review_result):
            field = "legality_review_result" if reviewed else "legality_reviewed_on"
            add(
                field,
                gettext("合法性审查意见日期和审查结论须同时填写。"),
                "legality_review_incomplete",
            )
        if reviewed and not sent:
            add(
                "legality_review_sent_on",
                gettext("请填写送请合法性审查的日期。"),
                "legality_review_sent_missing",
            )
        if reviewed and sent and reviewed < sent:
            add(
                "legality_reviewed_on",
                gettext("审查意见日期早于送审日期。"),
                "legality_review_before_sent",
            )

    def _clean_discussion(self, add) -> None:
        discussed = self.discussed_on
        meeting_fields = ("meeting_kind", "meeting", "decided_by")
        if not discussed:
            if any(getattr(self, name) for name in meeting_fields):
                add(
                    "discussed_on",
                    gettext("请填写集体讨论日期。"),
                    "discussion_date_missing",
                )
            return
        if not self.may_go_to_discussion:
            add(
                "discussed_on",
                gettext(
                    "决策草案未经合法性审查或者经审查不合法的，不得提交决策机关讨论"
                    "（《重大行政决策程序暂行条例》第二十五条）。请先录入审查通过的合法性审查意见。"
                ),
                "discussion_without_passed_legality_review",
            )
        elif self.legality_reviewed_on and discussed < self.legality_reviewed_on:
            add(
                "discussed_on",
                gettext("集体讨论日期早于合法性审查意见日期：须先审查、后讨论（第二十五条）。"),
                "discussion_before_legality_review",
            )
        for name in meeting_fields:
            if not getattr(self, name):
                add(
                    name,
                    gettext("记录集体讨论时须写明会议类型、会议名称和决定人（第三十条）。"),
                    "discussion_incomplete",
                )

    def _clean_after_decision(self, add) -> None:
        discussed = self.discussed_on
        for field, label in (
            ("published_on", gettext("公布")),
            ("archived_on", gettext("归档")),
            ("post_evaluated_on", gettext("后评估")),
        ):
            day = getattr(self, field)
            if not day:
                continue
            if not discussed:
                add(
                    field,
                    gettext("决策尚未经集体讨论决定，不能记录%(step)s。") % {"step": label},
                    "not_yet_decided",
                )
            elif day < discussed:
                add(
                    field,
                    gettext("%(step)s日期早于集体讨论日期。") % {"step": label},
                    "dated_before_decision",
                )
        evaluation = (self.post_evaluation_trigger, self.post_evaluator, self.post_evaluated_on)
        if any(evaluation) and not all(evaluation):
            add(
                "post_evaluated_on" if not self.post_evaluated_on else "post_evaluation_trigger",
                gettext("后评估须写明评估原因、评估单位和完成日期（第三十六条）。"),
                "post_evaluation_incomplete",
            )


class DecisionStep(RevisionedModel):
    """Public participation, expert argument or risk assessment for one decision."""

    scope_field = "decision__unit"

    #: Its own fields, besides the decision it belongs to.
    register_fields = OwnFields()
    export_omits = ("reason_not_applicable", "short_period_reason", "summary")

    decision = part_of(MajorDecision, _("决策事项"), related_name="steps")
    kind = models.CharField(_("程序"), max_length=30, choices=StepKind.choices)
    applicable = models.BooleanField(_("适用"), default=True)
    reason_not_applicable = models.TextField(_("不适用的理由"), blank=True)
    method = models.CharField(
        _("方式"),
        max_length=200,
        blank=True,
        help_text=_("如：网上公开征求意见、座谈会、听证会；论证会、书面咨询；第三方评估。"),
    )
    comment_opens_on = optional_date(_("公开征求意见起始日"))
    comment_closes_on = optional_date(_("公开征求意见截止日"))
    short_period_reason = models.TextField(
        _("缩短征求意见期限的说明"),
        blank=True,
        help_text=_("期限少于30日时必填，并应在公开征求意见时予以说明（第十五条）。"),
    )
    completed_on = optional_date(_("完成日期"))
    summary = models.TextField(_("意见及采纳情况"), blank=True)

    class Meta:
        ordering = ["decision", "kind"]
        verbose_name = _("决策程序")
        verbose_name_plural = _("决策程序（公众参与、专家论证、风险评估）")
        constraints = [
            unique(
                "decision",
                "kind",
                rule="unique_kind",
                message=_("每项程序只记录一次。"),
            ),
            check(
                Q(comment_opens_on__isnull=True)
                | Q(comment_closes_on__isnull=True)
                | Q(comment_closes_on__gte=models.F("comment_opens_on")),
                rule="comment_period_order",
                message=_("征求意见截止日早于起始日。"),
                code="comment_period_reversed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision}：{StepKind(self.kind).label}"

    @property
    def is_done(self) -> bool:
        return self.applicable and self.completed_on is not None

    @property
    def comment_days(self) -> int | None:
        """Length of the public comment period, both the first and the last day included."""
        if not (self.comment_opens_on and self.comment_closes_on):
            return None
        return (self.comment_closes_on - self.comment_opens_on).days + 1

    def clean(self) -> None:
        super().clean()
        errors = Errors()
        add = errors.add

        has_period = bool(self.comment_opens_on or self.comment_closes_on)
        if not self.applicable:
            if not self.reason_not_applicable.strip():
                add(
                    "reason_not_applicable",
                    gettext("不适用的程序须写明理由。"),
                    "reason_required",
                )
            if self.completed_on or has_period:
                add(
                    "applicable",
                    gettext("已标为不适用的程序不能再记录办理情况。"),
                    "not_applicable_step_recorded",
                )
        if has_period and self.kind != StepKind.PUBLIC_PARTICIPATION:
            add(
                "comment_opens_on",
                gettext("只有公众参与程序记录公开征求意见期间。"),
                "comment_period_wrong_step",
            )
        elif has_period and not (self.comment_opens_on and self.comment_closes_on):
            add(
                "comment_closes_on" if self.comment_opens_on else "comment_opens_on",
                gettext("公开征求意见的起始日和截止日须同时填写。"),
                "comment_period_incomplete",
            )
        days = self.comment_days  # (one that ends before it opens: the constraint refuses it)
        short = days is not None and 0 < days < MIN_COMMENT_DAYS
        if short and not self.short_period_reason.strip():
            add(
                "comment_closes_on",
                gettext(
                    "公开征求意见的期限一般不少于%(minimum)d日（第十五条），本次只有%(days)d日；"
                    "因情况紧急等原因需要缩短的，请填写缩短期限的说明。"
                )
                % {"minimum": MIN_COMMENT_DAYS, "days": days},
                "comment_period_too_short",
            )
        if days and days > 0 and self.completed_on and self.completed_on < self.comment_closes_on:
            add(
                "completed_on",
                gettext("公开征求意见尚未截止，不能记录完成。"),
                "completed_before_comment_closed",
            )
        errors.raise_if_any()


class DecisionParticipant(RevisionedModel):
    """A member of the meeting and their opinion; dissent is kept with its reason.

    第三十条第三款: different opinions are recorded as they were; 第三十八条第三款: those
    who dissented from a seriously wrong decision have their liability reduced.
    """

    scope_field = "decision__unit"

    #: Its own fields, besides the decision it belongs to.
    register_fields = OwnFields()

    decision = part_of(MajorDecision, _("决策事项"), related_name="participants")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100)
    stance = models.CharField(_("意见"), max_length=20, choices=Stance.choices)
    reason = models.TextField(_("不同意见及理由"), blank=True)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = verbose_name_plural = _("参与决策人员及意见")
        constraints = [
            unique(
                "decision",
                "name",
                rule="unique_name",
                message=_("同一人员只记录一次。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{Stance(self.stance).label}）"

    def clean(self) -> None:
        super().clean()
        if self.stance and Stance(self.stance).is_dissent and not self.reason.strip():
            raise field_error(
                "reason",
                gettext("不同意或保留意见的，须如实载明其意见和理由（第三十条）。"),
                "dissent_reason_required",
            )
