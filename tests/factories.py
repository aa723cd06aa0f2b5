"""Small factory helpers with keyword overrides."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from registers.core.roles import Role
from registers.core.status import Status
from registers.models import (
    Document,
    DocumentKind,
    IntegratedItem,
    LicenceReformBatch,
    ListKind,
    PowerCategory,
    PowerItem,
    TownshipDuty,
    Unit,
    UnitKind,
    User,
)
from reviews.models import (
    CaseType,
    CleanupCampaign,
    CleanupItem,
    CommentDraftReply,
    DecisionCatalogue,
    DecisionCategory,
    DraftKind,
    EvaluatedFile,
    EvaluationProblem,
    EvaluationRound,
    Filing,
    GovernmentContract,
    LegalityReview,
    MajorDecision,
    ReviewKind,
    ReviewResult,
)

_sequence = itertools.count(1)


def make_unit(**overrides) -> Unit:
    n = next(_sequence)
    values = {
        "name": f"测试单位{n}",
        "short_name": f"单位{n}",
        "kind": UnitKind.DEPARTMENT,
        "code": f"X{n:04d}",
        "is_enforcement_body": True,
    }
    values.update(overrides)
    return Unit.objects.create(**values)


def make_user(role: Role = Role.OFFICE, unit: Unit | None = None, **overrides) -> User:
    n = next(_sequence)
    if role == Role.LIAISON and unit is None:
        unit = make_unit()
    values = {"username": f"user{n}", "role": role, "unit": unit}
    values.update(overrides)
    user = User(**values)
    user.set_password("pw")
    user.save()
    return user


def make_token(user: User, **overrides) -> str:
    """A usable API token for ``user``; returns its key (stored only hashed)."""
    from xianan_lawgov.accounts.models import ApiToken
    from xianan_lawgov.accounts.tokens import issue_token

    values = {"user": user, "name": f"令牌{next(_sequence)}"}
    values.update(overrides)
    return issue_token(ApiToken(**values))


# --- Reviews: cases and supervision records --------------------------------------------------


def make_reconsideration(unit: Unit, **overrides):
    from reviews.models import ReconsiderationCase

    n = next(_sequence)
    values = {
        "unit": unit,
        "number": f"咸安复〔测试〕{n}号",
        "applicant": f"申请人{n}",
        "matter": "行政处罚决定",
        "received_on": datetime.date(2017, 3, 6),
    }
    values.update(overrides)
    return ReconsiderationCase.objects.create(**values)


def make_litigation(unit: Unit, **overrides):
    from reviews.models import LitigationCase

    n = next(_sequence)
    values = {
        "unit": unit,
        "court": "咸宁市咸安区人民法院",
        "number": f"（测试）鄂1202行初{n}号",
        "plaintiff": f"原告{n}",
        "cause": "行政处罚",
        "served_on": datetime.date(2017, 3, 1),
    }
    values.update(overrides)
    return LitigationCase.objects.create(**values)


def make_hearing(case, **overrides):
    from reviews.models import HeadRank, Instance, LitigationHearing

    values = {
        "case": case,
        "held_on": case.served_on + datetime.timedelta(days=40),
        "trial_instance": Instance.FIRST,
        "head_name": "周某某",
        "head_rank": HeadRank.DEPUTY,
    }
    values.update(overrides)
    return LitigationHearing.objects.create(**values)


def make_accountability(unit: Unit, **overrides):
    from reviews.models import AccountabilityMeasure, AccountabilityRecord, Conduct

    n = next(_sequence)
    values = {
        "unit": unit,
        "person": f"被问责人{n}",
        "role": "执法人员",
        "conduct": Conduct.DELAY,
        "facts": "举报件未按期核查",
        "measure": AccountabilityMeasure.ADMONITION,
        "decided_on": datetime.date(2017, 7, 12),
    }
    values.update(overrides)
    return AccountabilityRecord.objects.create(**values)


def make_transfer(unit: Unit, **overrides):
    from reviews.models import CriminalTransfer

    n = next(_sequence)
    values = {
        "unit": unit,
        "case_name": f"涉嫌犯罪案件{n}",
        "reported_on": datetime.date(2017, 8, 7),
    }
    values.update(overrides)
    return CriminalTransfer.objects.create(**values)


def make_rectification(unit: Unit, **overrides):
    from reviews.models import ProblemSource, RectificationProblem

    n = next(_sequence)
    values = {
        "unit": unit,
        "campaign": "行政执法突出问题专项治理",
        "problem": f"存在问题{n}",
        "source": ProblemSource.SELF_CHECK,
        "found_on": datetime.date(2017, 4, 10),
        "measure": "整改措施",
        "due_on": datetime.date(2017, 5, 31),
    }
    values.update(overrides)
    return RectificationProblem.objects.create(**values)


def make_power_item(unit: Unit, **overrides) -> PowerItem:
    """An approved power-list item of ``unit`` with its 新增 recorded, unless overridden."""
    n = next(_sequence)
    values = {
        "unit": unit,
        "list_kind": ListKind.POWER,
        "code": f"CF-{n:03d}",
        "name": f"对违法行为{n}的处罚",
        "category": PowerCategory.PENALTY,
        "township_duty": TownshipDuty.BASIC if unit.kind == UnitKind.TOWNSHIP else "",
        "legal_basis": "《中华人民共和国行政处罚法》第八条",
        "handling_office": "执法大队",
        "effective_from": datetime.date(2016, 1, 1),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    item = PowerItem.objects.create(**values)
    if item.is_approved:
        item.record_addition(by=values.get("created_by"))
    return item


# --- reviews: contracts, major decisions, case-file evaluations -------------------------------


def make_contract(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "title": f"测试合同{n}",
        "project": "咸安区测试道路工程",
        "counterparty": "咸宁市测试建设有限公司",
        "amount": Decimal("100000"),
    }
    values.update(overrides)
    return GovernmentContract.objects.create(**values)


def make_catalogue(**overrides):
    values = {"year": 2017, "title": "2017年度重大行政决策事项目录"}
    values.update(overrides)
    if "decision_body" not in values:
        values["decision_body"] = make_unit()
    return DecisionCatalogue.objects.create(**values)


def make_decision(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "title": f"测试决策事项{n}",
        "category": DecisionCategory.PUBLIC_POLICY,
    }
    values.update(overrides)
    if "catalogue" not in values:
        values["catalogue"] = make_catalogue(year=2017 + n)
    return MajorDecision.objects.create(**values)


def make_round(**overrides):
    n = next(_sequence)
    values = {
        "name": f"测试评查活动{n}",
        "year": 2017,
        "plan_title": "《测试评查工作方案》",
        "started_on": datetime.date(2017, 6, 1),
        "ended_on": datetime.date(2017, 6, 30),
    }
    values.update(overrides)
    return EvaluationRound.objects.create(**values)


def make_evaluated_file(unit: Unit, **overrides):
    n = next(_sequence)
    values = {
        "unit": unit,
        "case_type": CaseType.PENALTY,
        "case_number": f"测罚字〔2017〕{n}号",
        "case_title": f"测试案件{n}",
    }
    values.update(overrides)
    if "round" not in values:
        values["round"] = make_round()
    return EvaluatedFile.objects.create(**values)


def make_problem(file, **overrides):
    values = {
        "file": file,
        "description": "处罚决定书未载明履行期限。",
        "due_on": datetime.date(2017, 12, 31),
    }
    values.update(overrides)
    return EvaluationProblem.objects.create(**values)


# --- Inspections and enforcement ----------------------------------------------------------


def make_credit_code_for(n: int) -> str:
    """A valid credit code of a 咸安 enterprise, distinct for each ``n``."""
    from registers.creditcode import make_credit_code, organisation_code_check_character

    body8 = f"MA4{n:05d}"
    return make_credit_code("91421202" + body8 + organisation_code_check_character(body8))


def make_item(unit: Unit, **overrides):
    import datetime
    from decimal import Decimal

    from registers.core.status import Status
    from registers.models import EnforcementField, InspectionItem, InspectionKind

    n = next(_sequence)
    values = {
        "unit": unit,
        "year": 2017,
        "code": f"T-{n:04d}",
        "name": f"测试抽查事项{n}",
        "kind": InspectionKind.ADMINISTRATIVE,
        "field": EnforcementField.MARKET,
        "legal_basis": "《企业信息公示暂行条例》第十四条",
        "method": "实地核查",
        "content": "企业公示信息的真实性",
        "ratio": Decimal("10"),
        "frequency": "每年1次",
        "published_on": datetime.date(2017, 6, 1),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return InspectionItem.objects.create(**values)


def make_target(unit: Unit, **overrides):
    from registers.models import InspectionTarget

    n = next(_sequence)
    values = {
        "unit": unit,
        "name": f"咸安区测试企业{n}有限公司",
        "credit_code": make_credit_code_for(n),
        "legal_representative": "张三",
        "address": f"咸安区永安大道{n}号",
    }
    values.update(overrides)
    return InspectionTarget.objects.create(**values)


def make_body(unit: Unit, **overrides):
    from registers.core.status import Status
    from registers.models import BodyKind, EnforcementBody

    values = {
        "unit": unit,
        "name": f"{unit.name}执法主体",
        "kind": BodyKind.STATUTORY,
        "legal_basis": "《中华人民共和国行政处罚法》第十五条",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    body = EnforcementBody.objects.filter(unit=unit, name=values["name"]).first()
    return body or EnforcementBody.objects.create(**values)


def make_officer(unit: Unit, **overrides):
    import datetime

    from registers.core.status import Status
    from registers.models import EnforcementField, Officer

    n = next(_sequence)
    values = {
        "unit": unit,
        "name": f"执法员{n}",
        "certificate_number": f"4212020{n:05d}",
        "field": EnforcementField.MARKET,
        "issued_on": datetime.date(2016, 1, 1),
        "expires_on": datetime.date(2020, 12, 31),
        "status": Status.APPROVED,
    }
    values.update(overrides)
    if "body" not in values:
        values["body"] = make_body(unit)
    return Officer.objects.create(**values)


# --- Documents, licences, reviews ------------------------------------------------------------


def make_document(unit: Unit | None = None, **overrides) -> Document:
    n = next(_sequence)
    issued_on = overrides.pop("issued_on", datetime.date(2017, 3, 20))
    values = {
        "unit": unit or make_unit(),
        "title": f"测试管理办法{n}",
        "number": f"测试政规〔{issued_on.year}〕{n}号",
        "kind": DocumentKind.NORMATIVE,
        "issued_on": issued_on,
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return Document.objects.create(**values)


def make_batch(**overrides) -> LicenceReformBatch:
    n = next(_sequence)
    values = {
        "name": f"{n}证合一",
        "reform_on": datetime.date(2017, 8, 1),
        "first_licence_on": datetime.date(2017, 8, 1),
    }
    values.update(overrides)
    return LicenceReformBatch.objects.create(**values)


def make_integrated_item(unit: Unit | None = None, **overrides) -> IntegratedItem:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "name": f"测试备案事项{n}",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    if "batch" not in values:
        values["batch"] = make_batch()
    return IntegratedItem.objects.create(**values)


def make_legality_review(unit: Unit | None = None, **overrides) -> LegalityReview:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "title": f"测试文件{n}（送审稿）",
        "kind": ReviewKind.OTHER,
        "received_on": datetime.date(2017, 5, 2),
        "completed_on": datetime.date(2017, 5, 9),
        "result": ReviewResult.AGREED,
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return LegalityReview.objects.create(**values)


def make_comment_draft_reply(unit: Unit | None = None, **overrides) -> CommentDraftReply:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "title": f"测试条例{n}（征求意见稿）",
        "kind": DraftKind.LOCAL_REGULATION,
        "requested_by": "咸宁市人大常委会法制工作委员会",
        "received_on": datetime.date(2017, 5, 2),
        "replied_on": datetime.date(2017, 5, 12),
        "reply": "无意见。",
        "status": Status.APPROVED,
    }
    values.update(overrides)
    return CommentDraftReply.objects.create(**values)


def make_filing(document: Document | None = None, **overrides) -> Filing:
    document = document or make_document()
    values = {"document": document, "unit": document.unit, "status": Status.APPROVED}
    values.update(overrides)
    return Filing.objects.create(**values)


def make_campaign(unit: Unit | None = None, **overrides) -> CleanupCampaign:
    n = next(_sequence)
    values = {
        "unit": unit or make_unit(),
        "name": f"测试清理{n}",
        "year": 2017,
        "basis": "放管服改革",
        "started_on": datetime.date(2017, 9, 1),
    }
    values.update(overrides)
    return CleanupCampaign.objects.create(**values)


def make_cleanup_item(
    campaign: CleanupCampaign | None = None, document: Document | None = None, **overrides
) -> CleanupItem:
    values = {
        "campaign": campaign or make_campaign(),
        "document": document or make_document(),
    }
    values.update(overrides)
    return CleanupItem.objects.create(**values)


# --- Child rows and draws (API tests) ---------------------------------------------------------


def make_check_point(item, **overrides):
    from registers.models import CheckPoint

    values = {"item": item, "position": next(_sequence), "content": "是否按规定公示年度报告"}
    values.update(overrides)
    return CheckPoint.objects.create(**values)


def make_conflict(officer, target, **overrides):
    from registers.models import Conflict

    values = {
        "officer": officer,
        "target": target,
        "reason": "近亲属担任该企业法定代表人",
        "declared_on": datetime.date(2017, 3, 1),
    }
    values.update(overrides)
    return Conflict.objects.create(**values)


def make_draw_record(unit: Unit, *, drawn_by: User, **overrides):
    """A stored draw of ``unit`` without drawn rows (the draw service makes real ones)."""
    from django.utils import timezone

    from registers.models import InspectionDraw

    n = next(_sequence)
    values = {
        "unit": unit,
        "item": make_item(unit),
        "batch": f"2017年第{n}批",
        "drawn_on": datetime.date(2017, 6, 5),
        "drawn_at": timezone.now(),
        "drawn_by": drawn_by,
        "target_count": 0,
        "inspectors_per_target": 2,
        "seed": f"seed-{n}",
        "algorithm": "test",
        "candidates_hash": "0" * 64,
        "input_json": "{}",
    }
    values.update(overrides)
    return InspectionDraw.objects.create(**values)


def make_step(decision, **overrides):
    from reviews.models import DecisionStep, StepKind

    values = {
        "decision": decision,
        "kind": StepKind.RISK_ASSESSMENT,
        "applicable": False,
        "reason_not_applicable": "不涉及社会稳定风险",
    }
    values.update(overrides)
    return DecisionStep.objects.create(**values)


def make_participant(decision, **overrides):
    from reviews.models import DecisionParticipant, Stance

    n = next(_sequence)
    values = {"decision": decision, "name": f"参会人{n}", "post": "副区长", "stance": Stance.AGREE}
    values.update(overrides)
    return DecisionParticipant.objects.create(**values)


def make_suspension(case, **overrides):
    from reviews.models import ReconsiderationSuspension

    values = {
        "case": case,
        "suspended_on": datetime.date(2017, 4, 10),
        "ground": "other_case",
        "reason": "需以其他案件结果为依据",
    }
    values.update(overrides)
    return ReconsiderationSuspension.objects.create(**values)


# --- Spreadsheets ----------------------------------------------------------------------------


def make_xlsx(rows, header=None, *, title: str = "数据") -> bytes:
    """An xlsx workbook with one sheet: ``header`` (if given) then ``rows``."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_exchange_references(unit: Unit) -> dict:
    """What the registers' example rows name: a body and a normative document of ``unit``,
    a decision catalogue, an evaluation round and a licence reform batch."""
    from registers.models import EnforcementBody

    body = EnforcementBody.objects.filter(unit=unit).first()
    return {
        "body": body or make_body(unit),
        "document": make_document(unit, issued_on=datetime.date(2017, 3, 20)),
        "catalogue": make_catalogue(),
        "round": make_round(),
        "batch": make_batch(),
    }


def template_example(resource_class, user) -> tuple[list, list]:
    """The header and the example row of ``user``'s template (from its 说明 sheet)."""
    import io

    import openpyxl

    from registers.core.exchange import templates

    book = openpyxl.load_workbook(io.BytesIO(templates.build_template(resource_class, user)))
    rows = [list(row) for row in book["说明"].iter_rows(values_only=True)]
    header, example = rows[-2], rows[-1]
    width = len([value for value in book["数据"][1] if value.value is not None])
    return header[:width], example[:width]


# --- Evidence files ------------------------------------------------------------------------


def pdf_bytes(text: str = "复议决定书") -> bytes:
    """A small file that starts like every PDF does."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def exe_bytes() -> bytes:
    """The start of a Windows program."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def zip_bytes(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def make_xls(
    rows, header=None, *, title: str = "数据", formula_in_cell: int | None = None
) -> bytes:
    """An Excel 97-2003 workbook (.xls, BIFF8) with one sheet: ``header`` then ``rows``;
    ``formula_in_cell`` puts a formula in that cell of the first data row."""
    import io
    from decimal import Decimal

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(title)
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for number, row in enumerate(([list(header)] if header else []) + [list(r) for r in rows]):
        for column, value in enumerate(row):
            if number == 1 and column == formula_in_cell:
                sheet.write(number, column, xlwt.Formula("1+1"))
            elif value is None:
                continue
            elif isinstance(value, datetime.date):
                sheet.write(number, column, value, dates)
            else:
                sheet.write(number, column, float(value) if isinstance(value, Decimal) else value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_ods(
    rows, header=None, *, title: str = "数据", formula_in_cell: int | None = None
) -> bytes:
    """An OpenDocument spreadsheet (.ods) with one sheet, written as its XML says (the
    ``mimetype`` entry first and stored); ``formula_in_cell`` puts a formula in that cell of
    the first data row."""
    import io
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(value, formula=False) -> str:
        extra = ' table:formula="of:=1+1"' if formula else ""
        if value is None:
            return f"<table:table-cell{extra}/>"
        if isinstance(value, datetime.date):
            return (
                f'<table:table-cell office:value-type="date"{extra} '
                f'office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}"{extra}>'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"{extra}>'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    lines = ([list(header)] if header else []) + [list(r) for r in rows]
    body = "".join(
        "<table:table-row>"
        + "".join(
            cell(value, formula=(number == 1 and index == formula_in_cell))
            for index, value in enumerate(row)
        )
        + "</table:table-row>"
        for number, row in enumerate(lines)
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2">'
        f"<office:body><office:spreadsheet><table:table table:name={quoteattr(title)}>"
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()
