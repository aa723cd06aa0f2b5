"""The power lists in the admin: scoping, approved items kept, the 调整 page, as-of counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registers.core.permissions import scope_queryset
from registers.core.status import Status
from registers.models import (
    AdjustmentKind,
    AdjustmentReason,
    ListKind,
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    ResponsibilityItem,
    ResponsibilityStage,
    TownshipDuty,
    UnitKind,
)
from registers.power_services import adjust_item
from tests.factories import make_power_item, make_unit

pytestmark = pytest.mark.usefixtures("fixed_today")


@pytest.fixture
def fixed_today():
    with time_machine.travel(datetime.datetime(2018, 6, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def item_a(unit_a, office):
    item = make_power_item(unit_a, code="CF-001", name="城管的处罚事项", created_by=office)
    ResponsibilityItem.objects.create(
        item=item, stage=ResponsibilityStage.FILING, duty="城管的立案责任"
    )
    return item


@pytest.fixture
def item_b(unit_b, office):
    item = make_power_item(unit_b, code="XK-001", name="交通的许可事项", created_by=office)
    ResponsibilityItem.objects.create(
        item=item, stage=ResponsibilityStage.ACCEPTANCE, duty="交通的受理责任"
    )
    return item


@pytest.fixture
def adjustment_b(item_b, office):
    return adjust_item(
        item_b,
        AdjustmentKind.CANCEL,
        on=datetime.date(2017, 7, 1),
        reason="交通的取消理由",
        reason_kind=AdjustmentReason.SUPERIOR,
        document_number="咸安审改办〔2017〕4号",
        by=office,
    )


def url(model, view, *args):
    return reverse(f"admin:registers_{model}_{view}", args=args)


def draft_post(unit, **overrides):
    """The admin add/change form of an item, as a browser posts it."""
    data = {
        "unit": unit.pk,
        "list_kind": ListKind.POWER,
        "code": "CF-100",
        "name": "对乱扔垃圾的处罚",
        "category": PowerCategory.PENALTY,
        "legal_basis": "《城市市容和环境卫生管理条例》第三十四条",
        "effective_from": "2018-07-01",
        "status": Status.DRAFT,
        "responsibilities-TOTAL_FORMS": "0",
        "responsibilities-INITIAL_FORMS": "0",
        "adjustments-TOTAL_FORMS": "0",
        "adjustments-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


# --- Scoping -------------------------------------------------------------------------------


def test_liaison_lists_only_their_units_items_and_adjustments(
    client, liaison, item_a, adjustment_b
):
    client.force_login(liaison)
    items = client.get(url("poweritem", "changelist")).content.decode()
    adjustments = client.get(url("poweradjustment", "changelist")).content.decode()
    assert "城管的处罚事项" in items and "交通的许可事项" not in items
    assert "城管的处罚事项" in adjustments and "交通的许可事项" not in adjustments


def test_other_liaison_sees_the_other_unit_only(client, liaison2, item_a, adjustment_b):
    client.force_login(liaison2)
    items = client.get(url("poweritem", "changelist")).content.decode()
    adjustments = client.get(url("poweradjustment", "changelist")).content.decode()
    assert "交通的许可事项" in items and "城管的处罚事项" not in items
    assert "交通的许可事项" in adjustments and "城管的处罚事项" not in adjustments


@pytest.mark.parametrize("view", ["change", "history", "adjust"])
def test_liaison_asking_for_another_units_item_gets_404(client, liaison, item_b, view):
    client.force_login(liaison)
    response = client.get(url("poweritem", view, item_b.pk))
    assert response.status_code == 404
    assert "交通的受理责任" not in response.content.decode()


@pytest.mark.parametrize("view", ["change", "history"])
def test_liaison_asking_for_another_units_adjustment_gets_404(client, liaison, adjustment_b, view):
    client.force_login(liaison)
    response = client.get(url("poweradjustment", view, adjustment_b.pk))
    assert response.status_code == 404
    assert "交通的取消理由" not in response.content.decode()


def test_responsibility_rows_follow_their_items_unit(client, liaison, liaison2, item_a, item_b):
    assert list(scope_queryset(ResponsibilityItem.objects.all(), liaison)) == [
        item_a.responsibilities.get()
    ]
    client.force_login(liaison)
    page = client.get(url("poweritem", "change", item_a.pk)).content.decode()
    assert "城管的立案责任" in page


def test_office_and_leader_see_every_unit(client, office, leader, item_a, item_b):
    for user in (office, leader):
        client.force_login(user)
        page = client.get(url("poweritem", "changelist")).content.decode()
        assert "城管的处罚事项" in page and "交通的许可事项" in page


# --- Approved items are never edited or deleted ----------------------------------------------


@pytest.mark.parametrize("role", ["office", "liaison"])
def test_nobody_edits_an_approved_item(client, users, item_a, role):
    client.force_login(users[role])
    page = client.get(url("poweritem", "change", item_a.pk)).content.decode()
    assert 'name="_save"' not in page
    response = client.post(
        url("poweritem", "change", item_a.pk), draft_post(item_a.unit, name="改名")
    )
    assert response.status_code == 403
    assert PowerItem.objects.get(pk=item_a.pk).name == "城管的处罚事项"


@pytest.mark.parametrize("role", ["office", "liaison"])
def test_nobody_deletes_an_approved_item(client, users, item_a, role):
    client.force_login(users[role])
    response = client.post(url("poweritem", "delete", item_a.pk), {"post": "yes"})
    assert response.status_code == 403
    assert PowerItem.objects.filter(pk=item_a.pk).exists()


def test_bulk_delete_is_not_offered(client, office, item_a):
    client.force_login(office)
    client.post(
        url("poweritem", "changelist"),
        {"action": "delete_selected", "_selected_action": [item_a.pk], "post": "yes"},
    )
    assert PowerItem.objects.filter(pk=item_a.pk).exists()


def test_approved_items_responsibilities_are_read_only(client, liaison, item_a):
    client.force_login(liaison)
    page = client.get(url("poweritem", "change", item_a.pk)).content.decode()
    assert "城管的立案责任" in page
    assert 'name="responsibilities-0-duty"' not in page


# --- Liaisons propose, the office approves ---------------------------------------------------


def test_liaison_proposes_an_item_with_its_responsibilities(client, liaison, unit_b):
    client.force_login(liaison)
    data = draft_post(
        unit_b,
        **{
            "responsibilities-TOTAL_FORMS": "1",
            "responsibilities-0-stage": ResponsibilityStage.FILING,
            "responsibilities-0-duty": "发现违法行为后立案",
        },
    )
    response = client.post(url("poweritem", "add"), data)
    assert response.status_code == 302
    item = PowerItem.objects.get(code="CF-100")
    assert (item.unit, item.status) == (liaison.unit, Status.DRAFT)
    assert item.responsibilities.get().duty == "发现违法行为后立案"
    assert not PowerAdjustment.objects.exists()


def test_liaison_proposal_with_a_code_already_in_force_is_refused_with_a_message(
    client, liaison, item_a
):
    client.force_login(liaison)
    response = client.post(url("poweritem", "add"), draft_post(item_a.unit, code="CF-001"))
    assert response.status_code == 200
    assert "本单位该清单中已有同一编码的现行事项。" in response.content.decode()
    assert PowerItem.objects.filter(code="CF-001").count() == 1


def test_township_items_from_2024_need_their_duty_kind(client, office):
    township = make_unit(name="横沟桥镇（测试）", code="TT", kind=UnitKind.TOWNSHIP)
    client.force_login(office)
    response = client.post(
        url("poweritem", "add"), draft_post(township, effective_from="2024-01-01")
    )
    assert response.status_code == 200
    assert "乡镇（街道）权责清单事项必须选择履职类别。" in response.content.decode()
    client.post(url("poweritem", "add"), draft_post(township, effective_from="2023-12-31"))
    assert PowerItem.objects.get(unit=township).township_duty == ""


def test_district_items_have_no_township_duty(client, office, unit_a):
    client.force_login(office)
    response = client.post(
        url("poweritem", "add"), draft_post(unit_a, township_duty=TownshipDuty.BASIC)
    )
    assert "只有乡镇（街道）的事项才有履职类别。" in response.content.decode()
    assert not PowerItem.objects.exists()


def test_office_approving_from_the_item_page_puts_it_in_force(client, liaison, office, unit_a):
    draft = make_power_item(
        unit_a, status=Status.SUBMITTED, effective_from=datetime.date(2018, 7, 1)
    )
    client.force_login(office)
    client.post(url("poweritem", "workflow", draft.pk, "approve"))
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.origin.kind == AdjustmentKind.ADD
    page = client.get(url("poweritem", "change", draft.pk)).content.decode()
    assert "新增" in page and "2018-07-01" in page


def test_office_entering_an_approved_item_records_its_addition(client, office, unit_b):
    client.force_login(office)
    client.post(
        url("poweritem", "add"),
        draft_post(unit_b, status=Status.APPROVED, basis_document="咸安政办发〔2018〕3号"),
    )
    item = PowerItem.objects.get(code="CF-100")
    assert item.is_approved
    assert (item.origin.kind, item.origin.document_number) == (
        AdjustmentKind.ADD,
        "咸安政办发〔2018〕3号",
    )


# --- The 调整 page ---------------------------------------------------------------------------


def adjust_post(**overrides):
    data = {
        "kind": AdjustmentKind.CANCEL,
        "adjusted_on": "2018-07-01",
        "reason_kind": AdjustmentReason.LAW_CHANGED,
        "reason": "法律修改",
        "document_number": "咸安审改办〔2018〕2号",
        "code": "CF-001",
        "name": "城管的处罚事项",
        "category": PowerCategory.PENALTY,
        "legal_basis": "《中华人民共和国行政处罚法》第八条",
        "handling_office": "执法大队",
        "accountability": "",
        "supervision": "",
    }
    data.update(overrides)
    return data


def test_office_sees_the_adjust_button_on_an_approved_item(client, office, liaison, item_a):
    adjust_url = url("poweritem", "adjust", item_a.pk)
    client.force_login(office)
    assert adjust_url in client.get(url("poweritem", "change", item_a.pk)).content.decode()
    client.force_login(liaison)
    assert adjust_url not in client.get(url("poweritem", "change", item_a.pk)).content.decode()


def test_office_cancels_an_item_from_its_page(client, office, item_a):
    client.force_login(office)
    response = client.post(url("poweritem", "adjust", item_a.pk), adjust_post(), follow=True)
    item_a.refresh_from_db()
    assert item_a.closed_on == datetime.date(2018, 7, 1)
    page = response.content.decode()
    assert "已取消" in page
    assert "咸安审改办〔2018〕2号" in page  # the adjustment log on the item page


def test_office_amends_an_item_and_lands_on_the_new_version(client, office, item_a):
    client.force_login(office)
    response = client.post(
        url("poweritem", "adjust", item_a.pk),
        adjust_post(kind=AdjustmentKind.AMEND, legal_basis="《行政处罚法》（2021年修订）第十条"),
    )
    new = PowerItem.objects.get(code="CF-001", version=2)
    assert response["Location"] == url("poweritem", "change", new.pk)
    assert new.legal_basis == "《行政处罚法》（2021年修订）第十条"
    page = client.get(response["Location"]).content.decode()
    assert "前一版本" in page and url("poweritem", "change", item_a.pk) in page


def test_a_bad_adjustment_shows_the_reason_and_writes_nothing(client, office, item_a):
    client.force_login(office)
    response = client.post(
        url("poweritem", "adjust", item_a.pk), adjust_post(adjusted_on="2015-06-30")
    )
    assert response.status_code == 200
    assert "必须晚于该事项的生效日期 2016-01-01" in response.content.decode()
    item_a.refresh_from_db()
    assert item_a.closed_on is None
    assert list(PowerAdjustment.objects.values_list("kind", flat=True)) == [AdjustmentKind.ADD]


def test_editing_the_content_while_cancelling_is_refused(client, office, item_a):
    client.force_login(office)
    response = client.post(url("poweritem", "adjust", item_a.pk), adjust_post(name="改名"))
    assert "只有“调整”可以修改事项内容" in response.content.decode()
    assert PowerItem.objects.get(pk=item_a.pk).closed_on is None


def test_liaison_cannot_adjust_their_own_item(client, liaison, item_a):
    client.force_login(liaison)
    assert client.get(url("poweritem", "adjust", item_a.pk)).status_code == 403
    assert client.post(url("poweritem", "adjust", item_a.pk), adjust_post()).status_code == 403
    assert PowerItem.objects.get(pk=item_a.pk).closed_on is None


def test_adjustment_log_cannot_be_edited_or_added_in_the_admin(client, office, adjustment_b):
    client.force_login(office)
    assert client.get(url("poweradjustment", "add")).status_code == 403
    response = client.post(url("poweradjustment", "delete", adjustment_b.pk), {"post": "yes"})
    assert response.status_code == 403
    assert PowerAdjustment.objects.filter(pk=adjustment_b.pk).exists()


# --- As-of counts and filters ----------------------------------------------------------------


def test_as_of_page_counts_the_list_on_the_chosen_date(client, office, item_a, adjustment_b):
    client.force_login(office)
    before = client.get(url("poweritem", "as_of"), {"day": "2016-12-31"}).content.decode()
    after = client.get(url("poweritem", "as_of"), {"day": "2017-12-31"}).content.decode()
    assert "截至 2016年12月31日：共 2 项" in before
    assert "截至 2017年12月31日：共 1 项" in after


def test_as_of_page_shows_a_liaison_their_own_unit_only(client, liaison, item_a, item_b):
    client.force_login(liaison)
    page = client.get(url("poweritem", "as_of"), {"day": "2017-12-31"}).content.decode()
    assert "截至 2017年12月31日：共 1 项" in page
    assert item_b.unit.name not in page


def test_as_of_page_uses_a_fixed_number_of_queries(
    client, office, item_a, item_b, django_assert_max_num_queries
):
    client.force_login(office)
    with django_assert_max_num_queries(12):
        client.get(url("poweritem", "as_of"), {"day": "2017-12-31"})


def test_changelist_filters_the_list_as_of_a_date(client, office, item_a, adjustment_b):
    client.force_login(office)
    page_2016 = client.get(url("poweritem", "changelist"), {"as_of": "2016-12-31"})
    page_2017 = client.get(url("poweritem", "changelist"), {"as_of": "2017-12-31"})
    assert "交通的许可事项" in page_2016.content.decode()
    assert "交通的许可事项" not in page_2017.content.decode()
    assert "城管的处罚事项" in page_2017.content.decode()


def test_changelist_filters_items_in_force_today_and_closed(client, office, item_a, adjustment_b):
    client.force_login(office)
    in_force = client.get(url("poweritem", "changelist"), {"validity": "in_force"})
    closed = client.get(url("poweritem", "changelist"), {"validity": "closed"})
    assert "城管的处罚事项" in in_force.content.decode()
    assert "交通的许可事项" not in in_force.content.decode()
    assert "交通的许可事项" in closed.content.decode()


def test_changelist_searches_the_legal_basis(client, office, item_a, unit_b):
    make_power_item(unit_b, name="超限运输许可", legal_basis="《中华人民共和国公路法》第五十条")
    client.force_login(office)
    page = client.get(url("poweritem", "changelist"), {"q": "公路法"}).content.decode()
    assert "超限运输许可" in page and "城管的处罚事项" not in page


def test_changelist_query_count_does_not_grow_with_the_list(
    client, office, unit_a, django_assert_max_num_queries
):
    for n in range(15):
        make_power_item(unit_a, code=f"CF-2{n:02d}")
    client.force_login(office)
    with django_assert_max_num_queries(15):
        response = client.get(url("poweritem", "changelist"), {"as_of": "2017-12-31"})
    assert response.content.decode().count("CF-2") >= 15


def test_liaison_edits_the_responsibilities_of_their_draft(client, liaison, unit_a):
    draft = make_power_item(unit_a, code="CF-300", status=Status.DRAFT)
    row = ResponsibilityItem.objects.create(
        item=draft, stage=ResponsibilityStage.FILING, duty="旧的立案责任"
    )
    client.force_login(liaison)
    data = draft_post(
        unit_a,
        code="CF-300",
        effective_from="2016-01-01",
        **{
            "responsibilities-TOTAL_FORMS": "1",
            "responsibilities-INITIAL_FORMS": "1",
            "responsibilities-0-id": row.pk,
            "responsibilities-0-item": draft.pk,
            "responsibilities-0-stage": ResponsibilityStage.FILING,
            "responsibilities-0-duty": "新的立案责任",
        },
    )
    response = client.post(url("poweritem", "change", draft.pk), data)
    assert response.status_code == 302
    assert ResponsibilityItem.objects.get(pk=row.pk).duty == "新的立案责任"


def test_a_malformed_as_of_date_reloads_the_list_without_it(client, office, item_a):
    client.force_login(office)
    response = client.get(url("poweritem", "changelist"), {"as_of": "2017-13-45"})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
