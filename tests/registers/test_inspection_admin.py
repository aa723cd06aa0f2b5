"""The inspection and enforcement registers in the admin: scoping, drawing, verifying, results."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from registers.core.status import Status
from registers.inspection_services import make_draw
from registers.models import Conflict, DrawnTarget, InspectionDraw, InspectionTarget, ResultKind
from tests.factories import (
    make_body,
    make_credit_code_for,
    make_item,
    make_officer,
    make_target,
)


def url(model, view, *args):
    return reverse(f"admin:registers_{model}_{view}", args=args)


def small_draw(unit, by, **item_overrides):
    item = make_item(unit, **item_overrides)
    make_target(unit, name=f"{unit.name}的检查对象")
    make_officer(unit, name=f"{unit.name}检查员甲")
    make_officer(unit, name=f"{unit.name}检查员乙")
    return make_draw(item, batch="第一批", by=by, count=1, on=datetime.date(2017, 9, 4))


@pytest.fixture
def records(unit_a, unit_b, office):
    """One record of every new model for each of the two units, named after the unit."""
    made = {}
    for unit in (unit_a, unit_b):
        draw = small_draw(unit, office, name=f"{unit.name}的抽查事项")
        officer = draw.drawn_targets.get().inspectors.first().officer
        target = draw.drawn_targets.get().target
        made[unit.pk] = {
            "inspectionitem": draw.item,
            "inspectiontarget": target,
            "enforcementbody": officer.body,
            "officer": officer,
            "conflict": Conflict.objects.create(
                officer=officer, target=target, reason="回避事由", declared_on=datetime.date.today()
            ),
            "inspectiondraw": draw,
        }
    return made


MODELS = [
    "inspectionitem",
    "inspectiontarget",
    "enforcementbody",
    "officer",
    "conflict",
    "inspectiondraw",
]


@pytest.mark.parametrize("model", MODELS)
def test_liaison_sees_only_their_units_records_in_the_list(
    client, liaison, records, unit_a, unit_b, model
):
    client.force_login(liaison)
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert records[unit_a.pk][model] in shown
    assert records[unit_b.pk][model] not in shown


@pytest.mark.parametrize("model", MODELS)
def test_another_units_record_answers_404(client, liaison2, records, unit_a, model):
    client.force_login(liaison2)
    assert client.get(url(model, "change", records[unit_a.pk][model].pk)).status_code == 404
    assert client.get(url(model, "history", records[unit_a.pk][model].pk)).status_code == 404


def test_child_rows_appear_only_on_the_parents_page(client, liaison, liaison2, records, unit_a):
    draw = records[unit_a.pk]["inspectiondraw"]
    client.force_login(liaison)
    page = client.get(url("inspectiondraw", "change", draw.pk)).content.decode()
    assert f"{unit_a.name}的检查对象" in page
    assert f"{unit_a.name}检查员" in page
    client.force_login(liaison2)
    assert client.get(url("inspectiondraw", "verify", draw.pk)).status_code == 404


@pytest.mark.parametrize("role", ["office", "leader"])
def test_office_and_leaders_see_every_units_records(client, users, records, unit_a, unit_b, role):
    client.force_login(users[role])
    shown = client.get(url("inspectiondraw", "changelist")).context["cl"].result_list
    assert {d.unit for d in shown} == {unit_a, unit_b}


# --- Drawing through the admin ---------------------------------------------------------------


@time_machine.travel(datetime.datetime(2017, 9, 4, 10, 0))
def test_liaison_draws_from_the_admin_and_lands_on_a_verified_result_page(client, liaison, unit_a):
    item = make_item(unit_a, name="城管抽查事项")
    for n in range(10):
        make_target(unit_a, name=f"商户{n}")
    for n in range(4):
        make_officer(unit_a, name=f"队员{n}")
    client.force_login(liaison)

    form = client.get(url("inspectiondraw", "add"))
    assert form.status_code == 200
    assert "执行抽取" in form.content.decode()

    response = client.post(
        url("inspectiondraw", "add"),
        {"item": item.pk, "batch": "2017年第三批", "method": "ratio", "ratio": "",
         "inspectors_per_target": 2},
        follow=True,
    )  # fmt: skip
    page = response.content.decode()
    draw = InspectionDraw.objects.get()
    assert draw.ratio == item.ratio and draw.target_count == 1  # 10% of 10
    assert draw.drawn_by == liaison and draw.status == Status.DRAFT
    assert "已验证" in page
    assert draw.candidates_hash in page
    assert draw.drawn_targets.get().target_name in page


@time_machine.travel(datetime.datetime(2017, 9, 4, 10, 0))
def test_a_failed_draw_shows_the_reason_and_saves_nothing(client, liaison, unit_a):
    item = make_item(unit_a)
    make_target(unit_a)
    make_officer(unit_a)  # one inspector: two are needed
    client.force_login(liaison)

    response = client.post(
        url("inspectiondraw", "add"),
        {"item": item.pk, "batch": "一", "method": "count", "count": 1,
         "inspectors_per_target": 2},
    )  # fmt: skip

    assert response.status_code == 200
    assert "回避后可分配的执法检查人员不足" in response.content.decode()
    assert not InspectionDraw.objects.exists()


def test_liaison_cannot_draw_for_another_units_item(client, liaison, unit_b):
    item = make_item(unit_b)
    client.force_login(liaison)
    response = client.post(
        url("inspectiondraw", "add"),
        {"item": item.pk, "batch": "一", "method": "count", "count": 1,
         "inspectors_per_target": 2},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["item"]
    assert not InspectionDraw.objects.exists()


def test_leader_cannot_draw(client, leader):
    client.force_login(leader)
    assert client.get(url("inspectiondraw", "add")).status_code == 403


def test_verify_page_shows_exactly_what_was_tampered_with(client, office, unit_a):
    draw = small_draw(unit_a, office)
    row = draw.drawn_targets.get()
    other = make_target(unit_a, name="被替换进来的企业")
    DrawnTarget.objects.filter(pk=row.pk).update(target=other)
    client.force_login(office)

    page = client.get(url("inspectiondraw", "verify", draw.pk)).content.decode()

    assert "验证未通过" in page
    assert "第1个抽中对象" in page and "被替换进来的企业" in page


def test_verify_action_reports_each_selected_draw(client, office, unit_a):
    draw = small_draw(unit_a, office)
    client.force_login(office)
    response = client.post(
        url("inspectiondraw", "changelist"),
        {"action": "verify_selected", "_selected_action": [draw.pk]},
        follow=True,
    )
    assert "已验证" in response.content.decode()


def test_only_the_office_may_delete_a_draw(client, liaison, office, unit_a):
    draw = small_draw(unit_a, office)
    client.force_login(liaison)
    client.post(url("inspectiondraw", "delete", draw.pk), {"post": "yes"})
    assert InspectionDraw.objects.filter(pk=draw.pk).exists()


# --- Recording results -----------------------------------------------------------------------


def results_post(draw, *, ended="2017-09-25", published="", checked="2017-09-12"):
    row = draw.drawn_targets.get()
    return {
        "check_ended_on": ended,
        "published_on": published,
        "note": "",
        "drawn_targets-TOTAL_FORMS": 1,
        "drawn_targets-INITIAL_FORMS": 1,
        "drawn_targets-MIN_NUM_FORMS": 0,
        "drawn_targets-MAX_NUM_FORMS": 1000,
        "drawn_targets-0-id": row.pk,
        "drawn_targets-0-draw": draw.pk,
        "drawn_targets-0-checked_on": checked,
        "drawn_targets-0-result": ResultKind.RECTIFICATION_ORDERED,
        "drawn_targets-0-findings": "未按规定公示，已责令改正",
    }


def test_liaison_records_results_and_the_publication_date(client, liaison, office, unit_a):
    draw = small_draw(unit_a, office)
    client.force_login(liaison)
    response = client.post(
        url("inspectiondraw", "change", draw.pk), results_post(draw, published="2017-10-20")
    )
    assert response.status_code == 302
    draw.refresh_from_db()
    row = draw.drawn_targets.get()
    assert (row.result, row.checked_on) == (
        ResultKind.RECTIFICATION_ORDERED,
        datetime.date(2017, 9, 12),
    )
    assert draw.published_on == datetime.date(2017, 10, 20)


def test_a_check_cannot_end_with_results_missing_or_dated_after_it(client, liaison, office, unit_a):
    draw = small_draw(unit_a, office)
    client.force_login(liaison)
    data = results_post(draw, checked="2017-09-30")
    response = client.post(url("inspectiondraw", "change", draw.pk), data)
    assert response.status_code == 200
    assert "检查日期晚于检查结束日期" in response.content.decode()

    data = results_post(draw, checked="")
    data["drawn_targets-0-result"] = ""
    response = client.post(url("inspectiondraw", "change", draw.pk), data)
    assert "还没有填写检查日期和检查结果" in response.content.decode()
    draw.refresh_from_db()
    assert draw.check_ended_on is None


def test_a_year_outside_the_registers_range_is_refused_in_the_form(client, liaison, office, unit_a):
    draw = small_draw(unit_a, office)
    client.force_login(liaison)
    data = results_post(draw, ended="9999-09-25", checked="2017-09-12")
    response = client.post(url("inspectiondraw", "change", draw.pk), data)
    assert response.status_code == 200
    assert "超出可填写的范围（1900-01-01 至 2099-12-31）" in response.content.decode()
    draw.refresh_from_db()
    assert draw.check_ended_on is None


def test_liaison_cannot_change_results_once_the_draw_is_approved(client, liaison, office, unit_a):
    draw = small_draw(unit_a, office)
    InspectionDraw.objects.filter(pk=draw.pk).update(status=Status.APPROVED)
    client.force_login(liaison)
    response = client.post(url("inspectiondraw", "change", draw.pk), results_post(draw))
    assert response.status_code == 403
    assert draw.drawn_targets.get().result == ""


def test_the_drawn_selection_cannot_be_edited_in_the_admin(client, office, unit_a):
    draw = small_draw(unit_a, office)
    row = draw.drawn_targets.get()
    other = make_target(unit_a)
    client.force_login(office)
    data = results_post(draw)
    data["drawn_targets-0-target"] = other.pk
    data["seed"] = "changed"
    client.post(url("inspectiondraw", "change", draw.pk), data)
    row.refresh_from_db()
    draw.refresh_from_db()
    assert row.target_id != other.pk
    assert draw.seed != "changed"


# --- Target pool, officers -------------------------------------------------------------------


def target_post(**overrides):
    data = {
        "name": "咸宁市新登记商贸有限公司",
        "credit_code": make_credit_code_for(777),
        "legal_representative": "李四",
        "address": "咸安区温泉路1号",
        "contact": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_a_wrong_credit_code_is_refused_with_the_reason(client, liaison):
    code = make_credit_code_for(777)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    client.force_login(liaison)
    response = client.post(url("inspectiontarget", "add"), target_post(credit_code=wrong))
    assert response.status_code == 200
    assert "校验位错误" in response.content.decode()
    assert not InspectionTarget.objects.exists()


def test_liaison_adds_a_target_to_their_own_pool_with_a_normalised_code(
    client, liaison, unit_a, unit_b
):
    code = make_credit_code_for(778)
    typed = " " + code[:9].lower() + "　" + code[9:] + " "  # spaces, full-width space, lower case
    client.force_login(liaison)
    response = client.post(
        url("inspectiontarget", "add"), target_post(credit_code=typed, unit=unit_b.pk)
    )
    assert response.status_code == 302
    target = InspectionTarget.objects.get()
    assert (target.credit_code, target.unit) == (code, unit_a)


def test_the_same_credit_code_twice_in_one_pool_is_refused(client, liaison, unit_a):
    existing = make_target(unit_a)
    client.force_login(liaison)
    response = client.post(
        url("inspectiontarget", "add"), target_post(credit_code=existing.credit_code)
    )
    assert response.status_code == 200
    assert "本单位名录库中已有该统一社会信用代码的对象" in response.content.decode()


def test_officer_must_belong_to_a_body_of_their_unit(client, office, unit_a, unit_b):
    body_b = make_body(unit_b)
    client.force_login(office)
    response = client.post(
        url("officer", "add"),
        {"unit": unit_a.pk, "body": body_b.pk, "name": "王五", "certificate_number": "X1",
         "field": "market", "issued_on": "2016-01-01", "expires_on": "2021-01-01",
         "status": Status.APPROVED},
    )  # fmt: skip
    assert response.status_code == 200
    assert "执法主体必须是执法人员所在单位的执法主体" in response.content.decode()


def test_liaison_cannot_pick_another_units_officer_for_a_conflict(client, liaison, unit_a, unit_b):
    officer_b = make_officer(unit_b)
    target_a = make_target(unit_a)
    client.force_login(liaison)
    response = client.post(
        url("conflict", "add"),
        {"officer": officer_b.pk, "target": target_a.pk, "reason": "亲属",
         "declared_on": "2017-09-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Conflict.objects.exists()


@time_machine.travel(datetime.datetime(2017, 9, 4, 10, 0))
def test_certificate_filter_lists_expired_and_soon_expiring(client, office, unit_a):
    make_officer(unit_a, name="证件已过期", expires_on=datetime.date(2017, 8, 31))
    make_officer(unit_a, name="证件即将到期", expires_on=datetime.date(2017, 11, 30))
    make_officer(unit_a, name="证件有效", expires_on=datetime.date(2020, 12, 31))
    client.force_login(office)

    def names(value):
        response = client.get(url("officer", "changelist"), {"certificate": value})
        return {o.name for o in response.context["cl"].result_list}

    assert names("expired") == {"证件已过期"}
    assert names("expiring") == {"证件即将到期"}
    assert names("renewal") == {"证件已过期", "证件即将到期"}
    assert names("valid") == {"证件即将到期", "证件有效"}


# --- Inspection form (check points) ----------------------------------------------------------


def item_post(item, points):
    data = {
        "year": item.year,
        "code": item.code,
        "name": item.name,
        "sub_item": "",
        "kind": item.kind,
        "field": item.field,
        "legal_basis": item.legal_basis,
        "method": item.method,
        "content": item.content,
        "ratio": item.ratio,
        "frequency": item.frequency,
        "published_on": "2017-06-01",
        "cancelled_on": "",
        "check_points-TOTAL_FORMS": len(points),
        "check_points-INITIAL_FORMS": 0,
        "check_points-MIN_NUM_FORMS": 0,
        "check_points-MAX_NUM_FORMS": 1000,
    }
    for n, text in enumerate(points):
        data[f"check_points-{n}-position"] = n + 1
        data[f"check_points-{n}-content"] = text
        data[f"check_points-{n}-basis"] = ""
    return data


def test_liaison_writes_the_inspection_form_of_a_draft_item(client, liaison, unit_a):
    item = make_item(unit_a, status=Status.DRAFT)
    client.force_login(liaison)
    response = client.post(
        url("inspectionitem", "change", item.pk), item_post(item, ["是否亮照经营", "台账是否完整"])
    )
    assert response.status_code == 302
    assert list(item.check_points.values_list("content", flat=True)) == [
        "是否亮照经营",
        "台账是否完整",
    ]


def test_the_inspection_form_of_an_approved_item_is_read_only_for_a_liaison(
    client, liaison, unit_a
):
    item = make_item(unit_a)
    item.check_points.create(position=1, content="是否亮照经营")
    client.force_login(liaison)
    page = client.get(url("inspectionitem", "change", item.pk)).content.decode()
    assert "是否亮照经营" in page
    assert 'name="check_points-0-content"' not in page
    response = client.post(url("inspectionitem", "change", item.pk), item_post(item, ["新增要点"]))
    assert response.status_code == 403
    assert item.check_points.count() == 1
