"""Synthetic districts for load tests and benchmarks of the annual report.

One synthetic district holds about what the demo holds for Xian'an (≈ 600 documents, 210
inspection items, 50 contracts, 56 evaluated files, 55 power-list items, a few
reconsideration and litigation cases…) for the report year and the year before, spread over
twenty units of its own (codes ``S001-01`` … ``S001-20``). Most records are approved, some
are drafts, submitted or returned, so the report's "approved only" rule is exercised.

District ``n`` is built from its own random generator seeded with ``(seed, n)``: the same
seed gives the same records, and ``generate(10)`` after ``generate(1)`` adds districts 2–10
and leaves district 1 as it is. Rows are written with plain ``bulk_create``: no history
rows (a benchmark measures the registers, not their audit trail), no ``full_clean`` — the
values are built to satisfy the models' rules and the database enforces the constraints.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import Counter
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model

from registers.core.deadlines import regime_for
from registers.core.progress import track
from registers.core.roles import Role
from registers.core.status import Status
from registers.creditcode import make_credit_code
from registers.models import (
    Document,
    DocumentKind,
    DrawnTarget,
    EnforcementField,
    InspectionDraw,
    InspectionItem,
    InspectionKind,
    InspectionTarget,
    IntegratedItem,
    IntegratedItemKind,
    LicenceReformBatch,
    ListKind,
    NegativeMeasure,
    PowerCategory,
    PowerItem,
    ResultKind,
    Unit,
    UnitKind,
    User,
)
from registers.models.documents import default_valid_until
from reviews.models import (
    AcceptanceDecision,
    AccountabilityMeasure,
    AccountabilityRecord,
    CaseType,
    CleanupCampaign,
    CleanupItem,
    CleanupOutcome,
    CommentDraftReply,
    Conduct,
    CriminalTransfer,
    DecisionCatalogue,
    DecisionCategory,
    DecisionParticipant,
    DecisionStep,
    DraftKind,
    EvaluatedFile,
    EvaluationProblem,
    EvaluationRound,
    EvaluationTrigger,
    FileVeto,
    Filing,
    FilingAuthority,
    GovernmentContract,
    HeadRank,
    Instance,
    LegalityResult,
    LegalityReview,
    LitigationCase,
    LitigationHearing,
    LitigationOutcome,
    MajorDecision,
    MeetingKind,
    ProblemSource,
    ReconsiderationCase,
    ReconsiderationOutcome,
    RectificationProblem,
    ReviewKind,
    ReviewResult,
    Stance,
    StepKind,
    TransferDecision,
    VetoItem,
)

SYNTHETIC_USERNAME = "synthetic"
UNIT_PREFIX = "S"

# (suffix, kind, name, enforcement body). 01 decides, 02 is the legal office.
UNIT_PLAN = [
    ("01", UnitKind.GOVERNMENT, "人民政府", True),
    ("02", UnitKind.DEPARTMENT, "司法局", True),
    ("03", UnitKind.DEPARTMENT, "公安分局", True),
    ("04", UnitKind.DEPARTMENT, "环境保护局", True),
    ("05", UnitKind.DEPARTMENT, "住房和城乡建设局", True),
    ("06", UnitKind.DEPARTMENT, "交通运输局", True),
    ("07", UnitKind.DEPARTMENT, "农业局", True),
    ("08", UnitKind.DEPARTMENT, "卫生和计划生育委员会", True),
    ("09", UnitKind.DEPARTMENT, "教育局", True),
    ("10", UnitKind.DEPARTMENT, "人力资源和社会保障局", True),
    ("11", UnitKind.DEPARTMENT, "城市管理执法局", True),
    ("12", UnitKind.DEPARTMENT, "国土资源局", True),
    ("13", UnitKind.DEPARTMENT, "安全生产监督管理局", True),
    ("14", UnitKind.DEPARTMENT, "食品药品监督管理局", True),
    ("15", UnitKind.TOWNSHIP, "永安街道", True),
    ("16", UnitKind.TOWNSHIP, "温泉街道", True),
    ("17", UnitKind.TOWNSHIP, "横沟桥镇", True),
    ("18", UnitKind.TOWNSHIP, "桂花镇", True),
    ("19", UnitKind.VERTICAL, "工商分局", True),
    ("20", UnitKind.VERTICAL, "地税分局", True),
]
ENFORCING = [suffix for suffix, _kind, _name, _body in UNIT_PLAN if suffix not in ("01", "02")]
DEPARTMENTS = [suffix for suffix, kind, _name, _body in UNIT_PLAN if kind == UnitKind.DEPARTMENT]

# Documents issued per year, counting back from the report year: (non-normative, normative),
# shaped like Xian'an's register.
DOCUMENTS_PER_YEAR = [(125, 3), (112, 7), (95, 5), (82, 4), (72, 3), (24, 0), (15, 0), (13, 0)]

TOPICS = [
    "城区道路交通秩序综合整治",
    "农村危房改造",
    "城乡居民基本医疗保险",
    "中小学校园安全管理",
    "建筑工地扬尘治理",
    "食品安全示范创建",
    "农村土地承包经营权确权登记",
    "城市生活垃圾分类",
    "安全生产大检查",
    "精准扶贫产业奖补",
    "市场主体信用监管",
    "政府投资项目管理",
]


def unit_code(district: int, suffix: str) -> str:
    return f"{UNIT_PREFIX}{district:03d}-{suffix}"


def existing_districts() -> set[int]:
    """Numbers of the synthetic districts already in the database."""
    codes = Unit.objects.filter(code__regex=r"^S[0-9]{3}-01$").values_list("code", flat=True)
    return {int(code[1:4]) for code in codes}


def synthetic_user() -> User:
    """The inactive office account recorded as author and reviewer of synthetic records."""
    user, _created = User.objects.get_or_create(
        username=SYNTHETIC_USERNAME,
        defaults={
            "role": Role.OFFICE,
            "first_name": "合成数据",
            "is_active": False,
            "password": make_password(None),
        },
    )
    return user


def generate(
    scale: int,
    year: int,
    seed: int = 2017,
    progress: TextIO | None = None,
) -> Counter:
    """Make sure districts 1…``scale`` exist; build the missing ones, with a progress bar on
    the stream ``progress`` if given. Returns rows written."""
    user = synthetic_user()
    present = existing_districts()
    todo = [number for number in range(1, scale + 1) if number not in present]
    if progress is not None:
        todo = track(todo, stream=progress, label="生成合成区")
    written: Counter = Counter()
    for number in todo:
        with transaction.atomic():
            written.update(District(number, year, seed, user).build())
    return written


@dataclasses.dataclass
class District:
    """Builds one synthetic district's records for ``year`` and ``year - 1``."""

    number: int
    year: int
    seed: int
    user: User

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.seed}:{self.number}")
        self.written: Counter = Counter()
        self.reviewed_at = datetime.datetime(
            self.year + 1, 1, 10, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        )
        self.tag = f"合成{self.number:03d}区"

    # --- Plumbing ------------------------------------------------------------------------

    def save(self, objects: list[Model]) -> list[Model]:
        if objects:
            type(objects[0]).objects.bulk_create(objects, batch_size=500)
            self.written[type(objects[0])._meta.label] += len(objects)
        return objects

    def status(self) -> Status:
        roll = self.rng.random()
        if roll < 0.92:
            return Status.APPROVED
        if roll < 0.95:
            return Status.DRAFT
        if roll < 0.98:
            return Status.SUBMITTED
        return Status.RETURNED

    def workflow(self, status: Status | None = None) -> dict:
        status = status or self.status()
        fields = {"status": status, "created_by": self.user}
        if status != Status.DRAFT:
            fields.update(submitted_by=self.user, submitted_at=self.reviewed_at)
        if status in (Status.APPROVED, Status.RETURNED):
            fields.update(reviewed_by=self.user, reviewed_at=self.reviewed_at)
        return fields

    def day(self, year: int, first: int = 1, last: int = 365) -> datetime.date:
        """A day of ``year`` between day-of-year ``first`` and ``last``."""
        return datetime.date(year, 1, 1) + datetime.timedelta(
            days=self.rng.randint(first, last) - 1
        )

    def around(self, n: int) -> int:
        """``n`` give or take a tenth."""
        spread = max(1, n // 10)
        return max(0, n + self.rng.randint(-spread, spread))

    def unit(self, suffixes: list[str] | None = None) -> Unit:
        return self.units[self.rng.choice(suffixes or ENFORCING)]

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    @property
    def years(self) -> tuple[int, int]:
        return (self.year - 1, self.year)

    # --- The district --------------------------------------------------------------------

    def build(self) -> Counter:
        self.build_units()
        self.build_documents()
        self.build_cleanups()
        self.build_filings()
        self.build_legality_reviews()
        self.build_comment_replies()
        self.build_licences()
        self.build_power_items()
        self.build_inspection_items()
        self.build_draws()
        self.build_contracts()
        self.build_decisions()
        self.build_evaluations()
        self.build_reconsideration()
        self.build_litigation()
        self.build_supervision()
        return self.written

    def build_units(self) -> None:
        units = [
            Unit(
                code=unit_code(self.number, suffix),
                name=f"{self.tag}{name}",
                short_name=f"{self.number:03d}{name}"[:30],
                kind=kind,
                is_enforcement_body=body,
            )
            for suffix, kind, name, body in UNIT_PLAN
        ]
        self.save(units)
        self.units = {unit.code[-2:]: unit for unit in units}

    def build_documents(self) -> None:
        documents = []
        for back, (ordinary, normative) in enumerate(DOCUMENTS_PER_YEAR):
            year = self.year - back
            for kind, count in (
                (DocumentKind.NON_NORMATIVE, ordinary),
                (DocumentKind.NORMATIVE, normative),
            ):
                for seq in range(1, self.around(count) + 1):
                    unit = self.unit(["01", *DEPARTMENTS])
                    topic = self.rng.choice(TOPICS)
                    title = (
                        f"关于印发{topic}暂行办法的通知"
                        if self.rng.random() < 0.1
                        else f"关于做好{topic}工作的通知"
                    )
                    issued = self.day(year)
                    effective = issued + datetime.timedelta(days=self.rng.choice([0, 0, 10, 30]))
                    mark = "规" if kind == DocumentKind.NORMATIVE else "发"
                    documents.append(
                        Document(
                            unit=unit,
                            title=title,
                            number=f"{unit.code}{mark}〔{year}〕{seq}号",
                            kind=kind,
                            issued_on=issued,
                            effective_on=effective,
                            valid_until=default_valid_until(title, effective),
                            **self.workflow(Status.APPROVED if back else None),
                        )
                    )
        self.documents = self.save(documents)

    def build_cleanups(self) -> None:
        normative = {
            CleanupOutcome.CONTINUE: 60,
            CleanupOutcome.AMEND: 10,
            CleanupOutcome.REPEAL: 25,
            CleanupOutcome.EXPIRE: 5,
        }
        ordinary = {
            CleanupOutcome.IN_VALIDITY: 65,
            CleanupOutcome.PAST_VALIDITY: 12,
            CleanupOutcome.TO_REVISE: 23,
        }
        office = self.units["02"]
        campaigns, items = [], []
        for year in self.years:
            confirmed = datetime.date(year, 11, 30)
            campaigns.append(
                CleanupCampaign(
                    unit=office,
                    name=f"{self.tag}{year}年文件清理",
                    year=year,
                    basis="上级关于开展规范性文件和其他文件清理工作的通知",
                    started_on=datetime.date(year, 9, 1),
                    ended_on=confirmed,
                    confirmed_on=confirmed,
                    confirmed_by=self.user,
                    **self.workflow(Status.APPROVED),
                )
            )
        campaigns.append(
            CleanupCampaign(
                unit=office,
                name=f"{self.tag}{self.year + 1}年文件清理（未确认）",
                year=self.year + 1,
                basis="清理通知",
                started_on=datetime.date(self.year + 1, 3, 1),
                **self.workflow(Status.DRAFT),
            )
        )
        self.save(campaigns)
        for campaign in campaigns:
            cut_off = campaign.confirmed_on or datetime.date(self.year, 12, 31)
            for document in self.documents:
                if document.status != Status.APPROVED or document.issued_on > cut_off:
                    continue
                if campaign.confirmed_on is None:
                    if self.rng.random() < 0.98:
                        continue
                    outcome = ""
                elif document.kind == DocumentKind.NORMATIVE:
                    outcome = self.pick(normative)
                else:
                    outcome = self.pick(ordinary)
                items.append(CleanupItem(campaign=campaign, document=document, outcome=outcome))
        self.save(items)

    def build_filings(self) -> None:
        filings = []
        for document in self.documents:
            if document.kind != DocumentKind.NORMATIVE or document.issued_on.year < self.year - 1:
                continue
            if document.status != Status.APPROVED:
                continue
            filed_with = (
                FilingAuthority.MUNICIPAL_GOVERNMENT
                if self.rng.random() < 0.9
                else FilingAuthority.DISTRICT_CONGRESS
            )
            roll = self.rng.random()
            filed_on = None
            if roll < 0.7:
                filed_on = document.issued_on + datetime.timedelta(days=self.rng.randint(2, 15))
            elif roll < 0.95:
                filed_on = document.issued_on + datetime.timedelta(days=self.rng.randint(16, 40))
            filings.append(
                Filing(
                    unit_id=document.unit_id,
                    document=document,
                    filed_with=filed_with,
                    filed_on=filed_on,
                    receipt=f"备{document.pk}" if filed_on else "",
                    **self.workflow(),
                )
            )
        self.save(filings)

    def build_legality_reviews(self) -> None:
        kinds = {ReviewKind.OTHER: 66, ReviewKind.DECISION: 28, ReviewKind.NORMATIVE: 6}
        results = {
            ReviewResult.AGREED: 70,
            ReviewResult.AGREED_AFTER_CHANGES: 25,
            ReviewResult.DISAGREED: 5,
        }
        reviews = []
        for year in self.years:
            for seq in range(1, self.around(87) + 1):
                received = self.day(year, -10, 358)
                pending = self.rng.random() < 0.03
                completed = (
                    None if pending else received + datetime.timedelta(self.rng.randint(1, 15))
                )
                reviews.append(
                    LegalityReview(
                        unit=self.unit(["01", *DEPARTMENTS]),
                        title=f"{self.rng.choice(TOPICS)}实施方案（送审稿{year}-{seq}）",
                        kind=self.pick(kinds),
                        received_on=received,
                        completed_on=completed,
                        result="" if pending else self.pick(results),
                        opinion="" if pending else "经审核，未发现与上位法相抵触的内容。",
                        **self.workflow(),
                    )
                )
        self.save(reviews)

    def build_comment_replies(self) -> None:
        replies = []
        for year in self.years:
            for seq in range(1, self.around(6) + 1):
                received = self.day(year, 1, 350)
                replied = self.rng.random() < 0.9
                replies.append(
                    CommentDraftReply(
                        unit=self.units["02"],
                        title=f"《{self.tag}{self.rng.choice(TOPICS)}条例（征求意见稿）》第{seq}稿",
                        kind=self.rng.choice(list(DraftKind)),
                        requested_by="省人民政府法制办公室",
                        received_on=received,
                        reply_requested_by=received + datetime.timedelta(days=15),
                        replied_on=received + datetime.timedelta(self.rng.randint(3, 12))
                        if replied
                        else None,
                        reply="无修改意见。" if replied else "",
                        **self.workflow(),
                    )
                )
        self.save(replies)

    def build_licences(self) -> None:
        batches = []
        for year, count in ((self.year - 1, 15), (self.year, 27)):
            reform = datetime.date(year, 8 if year == self.year else 10, 1)
            batches.append(
                LicenceReformBatch(
                    name=f"{self.tag}{year}年{count}证合一",
                    reform_on=reform,
                    first_licence_on=reform + datetime.timedelta(days=self.rng.randint(0, 3)),
                    first_licence_holder="咸宁合成商贸有限公司",
                )
            )
        self.save(batches)
        items = []
        for batch, count in zip(batches, (15, 27), strict=True):
            for seq in range(1, count + 1):
                items.append(
                    IntegratedItem(
                        unit=self.unit(DEPARTMENTS),
                        batch=batch,
                        name=f"整合事项{seq:02d}",
                        kind=self.rng.choice(list(IntegratedItemKind)),
                        **self.workflow(),
                    )
                )
        self.save(items)

    def build_power_items(self) -> None:
        categories = {
            PowerCategory.PENALTY: 30,
            PowerCategory.LICENSING: 25,
            PowerCategory.COERCION: 10,
            PowerCategory.INSPECTION: 8,
            PowerCategory.OTHER: 8,
            PowerCategory.CONFIRMATION: 5,
            PowerCategory.LEVY: 4,
            PowerCategory.ADJUDICATION: 4,
            PowerCategory.BENEFIT: 3,
            PowerCategory.REWARD: 3,
        }
        lists = {ListKind.POWER: 88, ListKind.NEGATIVE: 7, ListKind.FEE: 5}
        items = []
        for seq in range(1, self.around(55) + 1):
            kind = self.pick(lists)
            roll = self.rng.random()
            if roll < 0.65:
                effective = self.day(self.year - 1, 1, 330)
            elif roll < 0.95:
                effective = self.day(self.year, 1, 330)
            else:
                effective = datetime.date(self.year + 1, 2, 1)
            closed = None
            roll = self.rng.random()
            if roll < 0.12:
                closed = effective + datetime.timedelta(days=self.rng.randint(20, 300))
            elif roll < 0.16:
                closed = datetime.date(self.year + 1, 3, 1)
            if closed and closed <= effective:
                closed = None
            items.append(
                PowerItem(
                    unit=self.unit(ENFORCING[:16]),
                    list_kind=kind,
                    code=f"{UNIT_PREFIX}{self.number:03d}-P{seq:04d}",
                    name=f"{self.rng.choice(TOPICS)}相关事项{seq}",
                    category=self.pick(categories) if kind == ListKind.POWER else "",
                    negative_measure=self.rng.choice(list(NegativeMeasure))
                    if kind == ListKind.NEGATIVE
                    else "",
                    fee_standard="按国家规定标准收取" if kind == ListKind.FEE else "",
                    legal_basis="《中华人民共和国行政处罚法》第八条",
                    effective_from=effective,
                    closed_on=closed,
                    **self.workflow(),
                )
            )
        self.save(items)

    def build_inspection_items(self) -> None:
        fields = list(EnforcementField)
        items = []
        for year in self.years:
            for seq in range(1, self.around(210) + 1):
                roll = self.rng.random()
                published = None if roll < 0.02 else datetime.date(year, 7, 18)
                cancelled = None
                if published and roll > 0.97:
                    cancelled = datetime.date(year, 10, self.rng.randint(1, 31))
                elif published and roll > 0.95:
                    cancelled = datetime.date(year + 1, 3, 1)
                items.append(
                    InspectionItem(
                        unit=self.unit(),
                        year=year,
                        code=f"{UNIT_PREFIX}{self.number:03d}-{year}-{seq:04d}",
                        name=f"{self.rng.choice(TOPICS)}检查",
                        kind=InspectionKind.ADMINISTRATIVE
                        if self.rng.random() < 0.9
                        else InspectionKind.OTHER,
                        field=self.rng.choice(fields),
                        legal_basis="《优化营商环境条例》第五十四条",
                        method="实地核查",
                        content="检查许可条件保持情况",
                        ratio=Decimal(self.rng.choice([5, 10, 20])),
                        frequency="每年不少于1次",
                        published_on=published,
                        cancelled_on=cancelled,
                        **self.workflow(),
                    )
                )
        self.inspection_items = self.save(items)
        targets = []
        for suffix in ENFORCING:
            for seq in range(1, 5):
                body = f"9142120{self.number:03d}{int(suffix):02d}{seq:05d}"
                targets.append(
                    InspectionTarget(
                        unit=self.units[suffix],
                        name=f"{self.tag}检查对象{suffix}-{seq}",
                        credit_code=make_credit_code(body),
                        legal_representative="张某",
                        address="咸安区温泉路1号",
                    )
                )
        self.targets = self.save(targets)

    def build_draws(self) -> None:
        draws = []
        for year in self.years:
            candidates = [
                item
                for item in self.inspection_items
                if item.year == year and item.status == Status.APPROVED
            ]
            for batch in range(1, 4):
                item = self.rng.choice(candidates)
                drawn = datetime.date(year, 3 * batch, 10)
                ended = drawn + datetime.timedelta(days=20)
                roll = self.rng.random()
                published = None
                if roll < 0.6:
                    published = ended + datetime.timedelta(days=self.rng.randint(3, 25))
                elif roll < 0.8:
                    published = ended + datetime.timedelta(days=self.rng.randint(35, 60))
                draws.append(
                    InspectionDraw(
                        unit_id=item.unit_id,
                        item=item,
                        batch=f"{year}年第{batch}批",
                        drawn_on=drawn,
                        drawn_at=datetime.datetime.combine(
                            drawn, datetime.time(9), tzinfo=self.reviewed_at.tzinfo
                        ),
                        drawn_by=self.user,
                        target_count=3,
                        inspectors_per_target=2,
                        seed=f"{self.seed}-{self.number}-{year}-{batch}",
                        algorithm="synthetic",
                        candidates_hash="0" * 64,
                        input_json="{}",
                        check_ended_on=ended,
                        published_on=published,
                        **self.workflow(),
                    )
                )
        self.save(draws)
        drawn = []
        for draw in draws:
            pool = [target for target in self.targets if target.unit_id == draw.unit_id]
            for position, target in enumerate(self.rng.sample(pool, 3), start=1):
                drawn.append(
                    DrawnTarget(
                        draw=draw,
                        position=position,
                        target=target,
                        target_name=target.name,
                        checked_on=draw.check_ended_on,
                        result=self.rng.choice(list(ResultKind)),
                    )
                )
        self.save(drawn)

    def build_contracts(self) -> None:
        contracts = []
        for year in self.years:
            for seq in range(1, self.around(50) + 1):
                roll = self.rng.random()
                if roll < 0.78:
                    amount = self.rng.uniform(2_000_000, 40_000_000)
                elif roll < 0.98:
                    amount = self.rng.uniform(20_000, 1_999_999)
                else:
                    amount = self.rng.uniform(3_000, 19_999)
                amount = Decimal(f"{amount:.2f}")
                status = self.status()
                signed = None if status == Status.DRAFT else self.day(year, 20, 365)
                reference = signed or self.day(year, 20, 365)
                lawyer = amount >= 2_000_000 and self.rng.random() < 0.97
                filed = amount >= 20_000 and self.rng.random() < 0.98
                contracts.append(
                    GovernmentContract(
                        unit=self.unit(["02", *ENFORCING]),
                        title=f"{self.rng.choice(TOPICS)}项目施工合同",
                        number=f"HT{year}-{seq:03d}",
                        project=f"{self.rng.choice(TOPICS)}项目",
                        counterparty="湖北合成建设工程有限公司",
                        amount=amount,
                        signed_on=signed,
                        law_firm="湖北合成律师事务所" if lawyer else "",
                        lawyer="王律师" if lawyer else "",
                        lawyer_reviewed_on=reference
                        - datetime.timedelta(days=self.rng.randint(3, 30))
                        if lawyer
                        else None,
                        lawyer_opinion="合同条款合法有效。" if lawyer else "",
                        filed_on=reference - datetime.timedelta(days=self.rng.randint(1, 10))
                        if filed
                        else None,
                        **self.workflow(status),
                    )
                )
        self.save(contracts)

    def build_decisions(self) -> None:
        government = self.units["01"]
        catalogues = self.save(
            [
                DecisionCatalogue(
                    decision_body=government,
                    year=year,
                    title=f"{self.tag}人民政府{year}年重大行政决策事项目录",
                    published_on=datetime.date(year, 3, 1),
                )
                for year in self.years
            ]
        )
        decisions = []
        for catalogue in catalogues:
            for seq in range(1, self.rng.randint(3, 5) + 1):
                sent = datetime.date(catalogue.year, 3 + seq, 1)
                reviewed = sent + datetime.timedelta(days=10)
                result = self.pick(
                    {
                        LegalityResult.PASSED: 90,
                        LegalityResult.RISK_STATED: 5,
                        LegalityResult.FAILED: 5,
                    }
                )
                discussed = (
                    reviewed + datetime.timedelta(days=7) if result.permits_discussion else None
                )
                published = (
                    discussed + datetime.timedelta(days=5)
                    if discussed and self.rng.random() < 0.85
                    else None
                )
                evaluated = discussed and self.rng.random() < 0.2
                decisions.append(
                    MajorDecision(
                        unit=self.unit(DEPARTMENTS),
                        catalogue=catalogue,
                        title=f"{self.rng.choice(TOPICS)}决策（{seq}）",
                        category=self.rng.choice(list(DecisionCategory)),
                        legality_review_sent_on=sent,
                        legality_review_due_on=sent + datetime.timedelta(days=14),
                        legality_reviewed_on=reviewed,
                        legality_review_result=result,
                        legality_opinion="审查意见",
                        meeting_kind=MeetingKind.EXECUTIVE if discussed else "",
                        meeting=f"区政府第{seq}次常务会议" if discussed else "",
                        discussed_on=discussed,
                        decided_by="区长" if discussed else "",
                        published_on=published,
                        publication_channel="区政府门户网站" if published else "",
                        post_evaluation_trigger=EvaluationTrigger.DEEMED_NECESSARY
                        if evaluated
                        else "",
                        post_evaluator="第三方评估机构" if evaluated else "",
                        post_evaluated_on=discussed + datetime.timedelta(days=60)
                        if evaluated
                        else None,
                        **self.workflow(),
                    )
                )
        self.save(decisions)
        steps, participants = [], []
        for decision in decisions:
            for kind in StepKind:
                applicable = self.rng.random() < 0.75
                done = applicable and self.rng.random() < 0.8
                steps.append(
                    DecisionStep(
                        decision=decision,
                        kind=kind,
                        applicable=applicable,
                        reason_not_applicable="" if applicable else "不涉及",
                        completed_on=decision.legality_review_sent_on - datetime.timedelta(days=10)
                        if done
                        else None,
                    )
                )
            if decision.discussed_on:
                for seq in range(1, 6):
                    stance = self.pick({Stance.AGREE: 92, Stance.DISSENT: 5, Stance.RESERVED: 3})
                    participants.append(
                        DecisionParticipant(
                            decision=decision,
                            name=f"委员{seq}",
                            post="副区长",
                            stance=stance,
                            reason="" if stance == Stance.AGREE else "资金来源尚需论证",
                        )
                    )
        self.save(steps)
        self.save(participants)

    def build_evaluations(self) -> None:
        case_types = {
            CaseType.PENALTY: 45,
            CaseType.LICENSING: 40,
            CaseType.COERCION: 10,
            CaseType.INSPECTION: 3,
            CaseType.OTHER: 2,
        }
        rounds = []
        for year in self.years:
            for seq, month in ((1, 5), (2, 10)):
                start = datetime.date(year, month, 1)
                rounds.append(
                    EvaluationRound(
                        name=f"{self.tag}{year}年第{seq}次行政执法案卷评查",
                        year=year,
                        plan_title="行政执法案卷评查工作方案",
                        started_on=start,
                        ended_on=start + datetime.timedelta(days=20),
                    )
                )
        self.save(rounds)
        files = []
        for round_ in rounds:
            for seq in range(1, self.around(28) + 1):
                scored = self.rng.random() > 0.03
                files.append(
                    EvaluatedFile(
                        unit=self.unit(),
                        round=round_,
                        case_type=self.pick(case_types),
                        case_number=f"{round_.year}-{seq:03d}",
                        case_title=f"{self.rng.choice(TOPICS)}案",
                        evaluated_on=round_.started_on + datetime.timedelta(days=5),
                        form_score=Decimal(self.rng.randint(120, 200)) / 10 if scored else None,
                        content_score=Decimal(self.rng.randint(450, 800)) / 10 if scored else None,
                        **self.workflow(),
                    )
                )
        self.save(files)
        vetoes, problems = [], []
        for file in files:
            if self.rng.random() < 0.02:
                vetoes.append(FileVeto(file=file, item=VetoItem.FEWER_THAN_TWO_OFFICERS))
            if self.rng.random() < 0.09:
                due = file.evaluated_on + datetime.timedelta(days=30)
                rectified = self.rng.random() < 0.7
                problems.append(
                    EvaluationProblem(
                        file=file,
                        description="调查取证不充分",
                        due_on=due,
                        rectified_on=due - datetime.timedelta(days=5) if rectified else None,
                        rectification="已补充证据" if rectified else "",
                    )
                )
        self.save(vetoes)
        self.save(problems)

    def build_reconsideration(self) -> None:
        outcomes = {
            ReconsiderationOutcome.UPHELD: 40,
            ReconsiderationOutcome.APPLICATION_REJECTED: 10,
            ReconsiderationOutcome.REVOKED: 10,
            ReconsiderationOutcome.REVOKED_REDO: 5,
            ReconsiderationOutcome.CONFIRMED_ILLEGAL: 5,
            ReconsiderationOutcome.ORDERED_TO_PERFORM: 3,
            ReconsiderationOutcome.VARIED: 2,
            ReconsiderationOutcome.MEDIATED: 5,
            ReconsiderationOutcome.SETTLED: 5,
            ReconsiderationOutcome.WITHDRAWN: 12,
            ReconsiderationOutcome.TERMINATED: 3,
        }
        # Every application of a past year was decided one way or the other: one left
        # undecided after its review ended is accepted by law, and the report says it is not
        # recorded (``ReconsiderationGroup.warnings``).
        acceptances = {
            AcceptanceDecision.ACCEPTED: 80,
            AcceptanceDecision.DEEMED_ACCEPTED: 5,
            AcceptanceDecision.NOT_ACCEPTED: 15,
        }
        cases = []
        for year in self.years:
            for seq in range(1, self.around(6) + 1):
                received = self.day(year, 1, 340)
                acceptance = self.pick(acceptances)
                decided_on = received + datetime.timedelta(days=5) if acceptance else None
                accepted = acceptance in (
                    AcceptanceDecision.ACCEPTED,
                    AcceptanceDecision.DEEMED_ACCEPTED,
                )
                concluded = outcome = None
                corrected = False
                if accepted and self.rng.random() < 0.85:
                    concluded = decided_on + datetime.timedelta(days=self.rng.randint(30, 60))
                    outcome = self.pick(outcomes)
                    if regime_for(received) not in outcome.regimes:
                        outcome = ReconsiderationOutcome.UPHELD
                    corrected = (
                        outcome == ReconsiderationOutcome.WITHDRAWN and self.rng.random() < 0.4
                    )
                cases.append(
                    ReconsiderationCase(
                        unit=self.unit(ENFORCING),
                        number=f"{self.tag}复〔{year}〕{seq}号",
                        applicant=f"申请人{seq}",
                        matter="行政处罚决定",
                        received_on=received,
                        acceptance=acceptance,
                        acceptance_on=decided_on,
                        copy_served_on=decided_on + datetime.timedelta(days=3)
                        if accepted
                        else None,
                        concluded_on=concluded,
                        outcome=outcome or "",
                        respondent_corrected=corrected,
                        **self.workflow(),
                    )
                )
        self.save(cases)

    def build_litigation(self) -> None:
        outcomes = {
            LitigationOutcome.CLAIM_REJECTED: 60,
            LitigationOutcome.WITHDRAWN: 15,
            LitigationOutcome.SUIT_DISMISSED: 8,
            LitigationOutcome.REVOKED: 7,
            LitigationOutcome.CONFIRMED_ILLEGAL: 3,
            LitigationOutcome.MEDIATED: 2,
            LitigationOutcome.OTHER: 5,
        }
        ranks = list(HeadRank)
        cases, hearings = [], []
        for year in self.years:
            for seq in range(1, self.around(14) + 1):
                served = self.day(year, 1, 320)
                appealed = self.rng.random() < 0.15
                held = []
                if self.rng.random() < 0.9:
                    held.append((Instance.FIRST, served + timedelta_days(self.rng, 30, 50)))
                    if appealed:
                        held.append(
                            (Instance.SECOND, held[0][1] + timedelta_days(self.rng, 40, 60))
                        )
                last = held[-1][1] if held else served + datetime.timedelta(days=20)
                concluded = (
                    last + timedelta_days(self.rng, 10, 60) if self.rng.random() < 0.85 else None
                )
                case = LitigationCase(
                    unit=self.unit(ENFORCING),
                    court="咸宁市咸安区人民法院",
                    number=f"（{year}）鄂{self.number:03d}行初{seq}号",
                    trial_instance=Instance.SECOND if appealed else Instance.FIRST,
                    plaintiff=f"原告{seq}",
                    cause="不服行政处罚",
                    served_on=served,
                    defence_submitted_on=served + datetime.timedelta(days=10),
                    concluded_on=concluded,
                    outcome=self.pick(outcomes) if concluded else "",
                    **self.workflow(),
                )
                cases.append(case)
                for instance, day in held:
                    head = self.rng.random() < 0.7
                    hearings.append(
                        LitigationHearing(
                            case=case,
                            held_on=day,
                            trial_instance=instance,
                            head_name="李某" if head else "",
                            head_rank=self.rng.choice(ranks) if head else "",
                            others="委托代理律师",
                        )
                    )
        self.save(cases)
        self.save(hearings)

    def build_supervision(self) -> None:
        records, transfers, problems = [], [], []
        for year in self.years:
            for seq in range(1, self.around(3) + 1):
                records.append(
                    AccountabilityRecord(
                        unit=self.unit(),
                        person=f"工作人员{year}-{seq}",
                        role="科员",
                        conduct=self.rng.choice(list(Conduct)),
                        facts="履职不到位",
                        measure=self.rng.choice(list(AccountabilityMeasure)),
                        decided_on=self.day(year),
                        **self.workflow(),
                    )
                )
            for seq in range(1, self.around(2) + 1):
                reported = self.day(year, 1, 350)
                decided = reported + datetime.timedelta(days=2)
                transferred = self.rng.random() < 0.8
                transfers.append(
                    CriminalTransfer(
                        unit=self.unit(),
                        case_name=f"涉嫌非法经营案{year}-{seq}",
                        reported_on=reported,
                        decision=TransferDecision.APPROVED,
                        decided_on=decided,
                        transferred_on=decided + datetime.timedelta(days=1)
                        if transferred
                        else None,
                        police="咸宁市公安局咸安分局" if transferred else "",
                        **self.workflow(),
                    )
                )
            for seq in range(1, self.around(5) + 1):
                found = self.day(year, 1, 250)
                rectified = self.rng.random() < 0.7
                problems.append(
                    RectificationProblem(
                        unit=self.unit(),
                        campaign=f"{year}年行政执法突出问题专项治理",
                        problem=f"执法文书不规范（{seq}）",
                        source=self.rng.choice(list(ProblemSource)),
                        found_on=found,
                        measure="统一文书格式",
                        due_on=found + datetime.timedelta(days=60),
                        rectified_on=found + timedelta_days(self.rng, 20, 80)
                        if rectified
                        else None,
                        **self.workflow(),
                    )
                )
        self.save(records)
        self.save(transfers)
        self.save(problems)


def timedelta_days(rng: random.Random, low: int, high: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(low, high))
