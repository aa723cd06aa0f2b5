"""Business-licence integration (多证合一): batches, items and the year's figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registers.core.status import Status
from registers.models import IntegratedItem, LicenceReformBatch
from tests.factories import make_batch, make_integrated_item, make_unit

D = datetime.date


def test_a_batch_counts_only_its_approved_items(db):
    batch = make_batch(name="27证合一")
    public_security, commerce = make_unit(), make_unit()
    make_integrated_item(public_security, batch=batch, name="保安服务公司分公司备案")
    make_integrated_item(commerce, batch=batch, name="对外贸易经营者备案登记")
    make_integrated_item(commerce, batch=batch, name="草稿事项", status=Status.DRAFT)
    make_integrated_item(commerce, name="其他批次的事项")

    assert LicenceReformBatch.objects.with_item_count().get(pk=batch.pk).item_count == 2
    assert batch.approved_item_count() == 2
    by_department = IntegratedItem.objects.approved().in_batch(batch).counts_by_department()
    assert sorted(by_department) == sorted([(public_security.name, 1), (commerce.name, 1)])


def test_figures_for_a_year_list_each_reformed_batch_with_its_first_licence(
    db, django_assert_num_queries
):
    batch = make_batch(name="27证合一", reform_on=D(2017, 8, 1), first_licence_on=D(2017, 8, 1))
    for n in range(3):
        make_integrated_item(batch=batch, name=f"事项{n}")
    make_batch(name="五证合一", reform_on=D(2016, 10, 1), first_licence_on=D(2016, 10, 1))

    with django_assert_num_queries(1):
        figures = LicenceReformBatch.objects.figures_for_year(2017)
    assert [(f["name"], f["item_count"], f["first_licence_on"]) for f in figures] == [
        ("27证合一", 3, D(2017, 8, 1))
    ]
    assert LicenceReformBatch.objects.first_licence_issued_in(2016).get().name == "五证合一"


def test_the_first_licence_cannot_predate_the_reform(db):
    batch = LicenceReformBatch(
        name="27证合一", reform_on=D(2017, 8, 1), first_licence_on=D(2017, 7, 31)
    )
    with pytest.raises(ValidationError, match="不能早于改革实施日期"):
        batch.full_clean()


def test_an_item_appears_once_per_batch(db):
    batch = make_batch()
    make_integrated_item(batch=batch, name="公章刻制备案")
    twin = IntegratedItem(batch=batch, name="公章刻制备案", unit=make_unit())
    with pytest.raises(ValidationError, match="同名事项"):
        twin.full_clean()
