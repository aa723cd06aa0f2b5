"""Identifiers are stored in one spelling on every input path: ``２０２４-001`` and
``2024-001`` are one contract number, so a duplicate typed with full-width characters is
caught in the admin, the API and the Excel upload, with a specific message and code."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from registers.core.identifiers import normalise_identifier
from registers.core.status import Status
from registers.models import PowerAdjustment
from reviews.models import GovernmentContract, LitigationCase
from reviews.resources import GovernmentContractResource
from tests.api.conftest import client_for
from tests.factories import (
    make_contract,
    make_document,
    make_litigation,
    make_xlsx,
    template_example,
)

FULL_WIDTH = "ＨＴ－２０２４－００１ "
PLAIN = "HT-2024-001"


def test_full_width_characters_and_spaces_fold_to_one_spelling():
    assert normalise_identifier(FULL_WIDTH) == PLAIN
    # Case numbers keep their official full-width parentheses, however typed.
    assert normalise_identifier("　（２０２４）鄂1202行初１号　") == "（2024）鄂1202行初1号"
    assert normalise_identifier("(2024)鄂1202行初1号") == "（2024）鄂1202行初1号"


def test_every_save_stores_the_plain_spelling(unit_a):
    contract = make_contract(unit_a, number=FULL_WIDTH, filing_number="咸安合备〔２０２４〕１号")
    contract.refresh_from_db()
    assert (contract.number, contract.filing_number) == (PLAIN, "咸安合备〔2024〕1号")


def test_admin_refuses_a_full_width_duplicate_on_the_number_field(client, office, unit_a):
    make_contract(unit_a, number=PLAIN)
    client.force_login(office)
    response = client.post(
        reverse("admin:reviews_governmentcontract_add"),
        {
            "unit": unit_a.pk,
            "title": "重复的合同",
            "number": FULL_WIDTH,
            "project": "测试工程",
            "counterparty": "测试公司",
            "amount": "300000",
            "status": Status.DRAFT,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["number"] == ["本单位已有相同编号的合同。"]
    assert errors.as_data()["number"][0].code == "duplicate_contract_number"
    assert GovernmentContract.objects.count() == 1


def test_api_refuses_a_full_width_duplicate_with_its_code(office, unit_a):
    make_contract(unit_a, number=PLAIN)
    response = client_for(office).post(
        "/api/v1/contracts/",
        {
            "unit": unit_a.pk,
            "title": "重复的合同",
            "number": FULL_WIDTH,
            "project": "测试工程",
            "counterparty": "测试公司",
            "amount": "300000",
        },
        format="json",
    )
    assert response.status_code == 400
    text = str(response.json())
    assert "本单位已有相同编号的合同" in text
    assert "duplicate_contract_number" in text
    assert GovernmentContract.objects.count() == 1


def test_api_stores_a_new_number_in_its_plain_spelling(office, unit_a):
    response = client_for(office).post(
        "/api/v1/contracts/",
        {
            "unit": unit_a.pk,
            "title": "新合同",
            "number": FULL_WIDTH,
            "project": "测试工程",
            "counterparty": "测试公司",
            "amount": "300000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == PLAIN


def test_upload_refuses_a_full_width_duplicate_of_a_registered_contract(office, unit_a):
    from registers.core.exchange import uploads

    header, example = template_example(GovernmentContractResource, office)
    row = list(example)
    row[header.index("填报单位")] = unit_a.name
    make_contract(unit_a, number=normalise_identifier(str(row[header.index("合同编号")])))
    row[header.index("合同编号")] = "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in str(row[header.index("合同编号")])
    )
    result = uploads.upload(GovernmentContractResource, make_xlsx([row], header), user=office)
    assert [error.code for error in result.errors] == ["duplicate_contract_number"]
    assert "本单位已有相同编号的合同" in result.errors[0].reason
    assert GovernmentContract.objects.count() == 1


def test_a_duplicate_document_number_says_so_in_words(office, unit_a):
    make_document(unit_a, number="咸安政规〔2017〕1号", issued_on=datetime.date(2017, 3, 1))
    response = client_for(office).post(
        "/api/v1/documents/",
        {
            "unit": unit_a.pk,
            "title": "重复文号的文件",
            "number": "咸安政规〔２０１７〕１号",
            "kind": "normative",
            "issued_on": "2017-04-01",
        },
        format="json",
    )
    assert response.status_code == 400
    text = str(response.json())
    assert "已有文号相同的文件" in text
    assert "duplicate_document_number" in text
    assert "约束" not in text


def test_litigation_case_numbers_compare_in_their_plain_spelling(unit_a):
    make_litigation(unit_a, number="（2024）鄂1202行初1号")
    duplicate = LitigationCase(
        unit=unit_a,
        court="咸宁市咸安区人民法院",
        number="(２０２４)鄂1202行初１号",
        plaintiff="原告",
        cause="行政处罚",
        served_on=datetime.date(2024, 3, 1),
    )
    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()
    assert refused.value.message_dict["number"] == [
        "已有案号相同的行政应诉案件（案号已统一为半角字符后比较）。"
    ]


def test_every_constraint_has_its_own_message_and_code():
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith(("registers", "reviews", "xianan_lawgov")):
            continue  # another package's tables: its own messages
        for constraint in model._meta.constraints:
            assert (
                constraint.violation_error_message != constraint.default_violation_error_message
            ), constraint.name
            assert constraint.violation_error_code, constraint.name


def test_a_rule_is_named_and_coded_after_its_model():
    constraint = PowerAdjustment._meta.constraints[0]
    assert constraint.name == "registers_poweradjustment_one_addition_per_item"
    assert constraint.violation_error_code == "poweradjustment_one_addition_per_item"
