"""Government contracts: lawyer review and filing thresholds before a contract is signed."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from registers.core.status import Status
from reviews.models import GovernmentContract
from reviews.services.contracts import record_filing, record_lawyer_review, record_signing
from tests.factories import make_contract

SIGNED = datetime.date(2017, 5, 10)
LAWYER = Decimal("2000000")
FILING = Decimal("20000")
CENT = Decimal("0.01")


def lawyer_review(on=datetime.date(2017, 5, 5)):
    return {
        "law_firm": "湖北香城律师事务所",
        "lawyer": "刘建华",
        "lawyer_reviewed_on": on,
        "lawyer_opinion": "合同条款完备，建议签订。",
    }


def codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def signed_contract(amount, **fields):
    return GovernmentContract(
        unit_id=1, title="合同", project="项目", counterparty="对方", amount=amount, **fields
    )


@pytest.mark.parametrize(
    ("amount", "needs_review", "needs_filing"),
    [
        (FILING - CENT, False, False),
        (FILING, False, True),
        (FILING + CENT, False, True),
        (LAWYER - CENT, False, True),
        (LAWYER, True, True),
        (LAWYER + CENT, True, True),
    ],
)
def test_which_checks_a_contract_needs_at_below_and_above_each_threshold(
    amount, needs_review, needs_filing
):
    contract = signed_contract(amount, signed_on=SIGNED)
    assert contract.needs_lawyer_review is needs_review
    assert contract.needs_filing is needs_filing
    expected = {"lawyer_review_required"} if needs_review else set()
    expected |= {"filing_required"} if needs_filing else set()
    if expected:
        with pytest.raises(ValidationError) as caught:
            contract.clean()
        assert codes(caught.value) == expected
    else:
        contract.clean()


def test_contract_at_the_lawyer_threshold_signs_once_reviewed_and_filed():
    contract = signed_contract(
        LAWYER, signed_on=SIGNED, filed_on=datetime.date(2017, 5, 8), **lawyer_review()
    )
    contract.clean()


def test_refusal_message_names_the_amount_and_the_threshold():
    contract = signed_contract(Decimal("2500000"), signed_on=SIGNED, filed_on=SIGNED)
    with pytest.raises(ValidationError) as caught:
        contract.clean()
    message = caught.value.message_dict["signed_on"][0]
    assert "2,500,000.00 元" in message
    assert "2,000,000.00 元及以上" in message
    assert "律师审核" in message


@override_settings(
    LAWGOV={
        **settings.LAWGOV,
        "CONTRACT_LAWYER_REVIEW_THRESHOLD": Decimal("5000000"),
        "CONTRACT_FILING_THRESHOLD": Decimal("50000"),
    }
)
def test_changed_thresholds_apply_at_once():
    contract = signed_contract(Decimal("4999999.99"), signed_on=SIGNED, filed_on=SIGNED)
    assert not contract.needs_lawyer_review
    contract.clean()
    small = signed_contract(Decimal("49999.99"), signed_on=SIGNED)
    small.clean()
    with pytest.raises(ValidationError) as caught:
        signed_contract(Decimal("5000000"), signed_on=SIGNED, filed_on=SIGNED).clean()
    assert codes(caught.value) == {"lawyer_review_required"}


def test_signing_without_lawyer_review_is_refused_and_nothing_is_saved(unit_a, office):
    contract = make_contract(unit_a, amount=LAWYER, filed_on=datetime.date(2017, 5, 8))
    with pytest.raises(ValidationError) as caught:
        record_signing(contract, signed_on=SIGNED, by=office)
    assert codes(caught.value) == {"lawyer_review_required"}
    assert GovernmentContract.objects.get(pk=contract.pk).signed_on is None
    assert contract.signed_on is None
    assert contract.history.count() == 1


def test_signing_after_review_and_filing_is_recorded_with_history(unit_a, office):
    contract = make_contract(unit_a, amount=Decimal("3000000"))
    record_lawyer_review(
        contract,
        law_firm="湖北香城律师事务所",
        lawyer="刘建华",
        reviewed_on=datetime.date(2017, 5, 5),
        opinion="同意签订。",
        by=office,
    )
    record_filing(contract, filed_on=datetime.date(2017, 5, 8), filing_number="备001", by=office)
    record_signing(contract, signed_on=SIGNED, by=office)
    saved = GovernmentContract.objects.get(pk=contract.pk)
    assert saved.signed_on == SIGNED
    assert saved.history.first().history_user == office
    assert saved.history.first().history_change_reason == "登记签订"


def test_lawyer_review_must_be_complete_and_before_signing(unit_a, office):
    contract = make_contract(unit_a, amount=Decimal("3000000"))
    with pytest.raises(ValidationError) as caught:
        record_lawyer_review(
            contract, law_firm="", lawyer="刘建华", reviewed_on=SIGNED, opinion="", by=office
        )
    assert codes(caught.value) == {"lawyer_review_incomplete"}

    late = signed_contract(
        LAWYER,
        signed_on=SIGNED,
        filed_on=SIGNED,
        **lawyer_review(on=SIGNED + datetime.timedelta(days=1)),
    )
    with pytest.raises(ValidationError) as caught:
        late.clean()
    assert codes(caught.value) == {"lawyer_review_after_signing"}


def test_liaison_of_another_unit_cannot_record_signing(unit_a, liaison2):
    contract = make_contract(unit_a, amount=Decimal("5000"))
    with pytest.raises(ValidationError) as caught:
        record_signing(contract, signed_on=SIGNED, by=liaison2)
    assert caught.value.code == "not_allowed"
    assert GovernmentContract.objects.get(pk=contract.pk).signed_on is None


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1")])
def test_amount_must_be_positive(unit_a, amount):
    contract = signed_contract(amount)
    contract.unit = unit_a
    with pytest.raises(ValidationError) as caught:
        contract.full_clean()
    assert "合同金额必须大于零。" in caught.value.message_dict["amount"]


def test_missing_checks_list_shows_contracts_still_lacking_review_or_filing(unit_a):
    unreviewed = make_contract(unit_a, title="缺律师审核", amount=LAWYER, filed_on=SIGNED)
    unfiled = make_contract(unit_a, title="缺备案", amount=FILING)
    make_contract(unit_a, title="无需备案", amount=FILING - CENT)
    make_contract(
        unit_a,
        title="手续齐全",
        amount=LAWYER,
        filed_on=SIGNED,
        signed_on=SIGNED,
        **lawyer_review(),
    )
    contracts = GovernmentContract.objects
    assert list(contracts.missing_lawyer_review()) == [unreviewed]
    assert list(contracts.missing_filing()) == [unfiled]
    assert set(contracts.missing_required_checks()) == {unreviewed, unfiled}


def test_admin_filter_lists_the_contracts_missing_checks(client, office, unit_a):
    make_contract(unit_a, title="缺律师审核的合同", amount=LAWYER, filed_on=SIGNED)
    make_contract(unit_a, title="小额合同", amount=Decimal("1000"))
    client.force_login(office)
    url = reverse("admin:reviews_governmentcontract_changelist")
    page = client.get(url, {"missing": "any"}).content.decode()
    assert "缺律师审核的合同" in page
    assert "小额合同" not in page


def test_office_signing_in_the_admin_without_review_sees_the_message(client, office, unit_a):
    contract = make_contract(unit_a, title="大额合同", amount=Decimal("2600000"))
    client.force_login(office)
    response = client.post(
        reverse("admin:reviews_governmentcontract_change", args=[contract.pk]),
        {
            "unit": unit_a.pk,
            "title": "大额合同",
            "project": contract.project,
            "counterparty": contract.counterparty,
            "amount": "2600000",
            "signed_on": "2017-05-10",
            "filed_on": "2017-05-08",
        },
    )
    assert response.status_code == 200
    assert "达到律师审核标准" in response.content.decode()
    assert GovernmentContract.objects.get(pk=contract.pk).signed_on is None


def test_figures_count_approved_contracts_by_the_year_of_each_event(unit_a, office):
    reviewed = lawyer_review(on=datetime.date(2016, 12, 28))
    make_contract(
        unit_a,
        amount=LAWYER,
        signed_on=datetime.date(2017, 1, 5),
        filed_on=datetime.date(2017, 1, 3),
        status=Status.APPROVED,
        **reviewed,
    )
    make_contract(
        unit_a,
        amount=Decimal("3000000"),
        signed_on=SIGNED,
        filed_on=SIGNED,
        status=Status.APPROVED,
        **lawyer_review(),
    )
    make_contract(unit_a, amount=Decimal("50000"), signed_on=SIGNED, filed_on=SIGNED)  # draft
    figures = GovernmentContract.objects.figures(2017)
    assert (figures.signed, figures.signed_needing_lawyer_review) == (2, 2)
    # The first was reviewed in December 2016: it counts for 2016's reviews, not 2017's.
    assert figures.lawyer_reviewed == 1
    assert GovernmentContract.objects.figures(2016).lawyer_reviewed == 1
    assert figures.filed == 2
