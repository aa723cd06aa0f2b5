"""Every admin page and every API resource under the one scoping rule.

The pages and resources are found by enumerating the admin site's registry and the API
router, not from a list kept by hand: for each, a record of unit B is made, and a liaison of
unit A can neither list it, open it, read its history or one of its past versions, open its
delete page, nor get it from the API. A model this test cannot make a record for fails it,
so a model added later is covered or the suite says why not.
"""

import datetime
import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from registers.admin.base import UnscopedAdmin, require_scoped_admins
from registers.core import permissions as rules
from registers.core import revisions
from registers.core.api.permissions import UnscopedPermission
from registers.core.models import CalendarDay
from registers.core.roles import Role
from registers.models import User
from reviews.admin.cleanup import CleanupItemAdmin
from reviews.models import CleanupItem, CorrectionRateDefinition
from tests.api.conftest import RESOURCES, SAMPLES, client_for
from tests.factories import (
    make_campaign,
    make_cleanup_item,
    make_document,
    make_token,
    make_user,
)
from tests.workflowapp.models import Memo
from xianan_lawgov.accounts.models import ApiToken, AuthenticatorDevice, Lockout, RolePolicy
from xianan_lawgov.api import router
from xianan_lawgov.audit.models import Event, Outcome, SecurityEvent
from xianan_lawgov.reports.models import PublishedReport, Report, TemplateKind, UnitTemplate
from xianan_lawgov.reports.services import get_or_start_report, unit_template

_days = itertools.count()


def _published(unit, user):
    return PublishedReport.objects.create(
        year=2017,
        unit=unit,
        version=1,
        title=f"{unit.name}2017年度报告",
        sections=[],
        figures={},
        published_by=user,
    )


def _token(unit, user):
    make_token(make_user(Role.API_CLIENT))
    return ApiToken.objects.latest("pk")


def _lockout(unit, user):
    now = timezone.now()
    return Lockout.objects.create(
        username=make_user(Role.LIAISON, unit=unit).username,
        failures=5,
        until=now + datetime.timedelta(minutes=30),
    )


def _device(unit, user):
    return AuthenticatorDevice.objects.create(user=make_user(Role.OFFICE), name="手机")


#: How to make a record owned by ``unit`` (``user`` enters it) for every model the admin or
#: the API serves: the API's samples, and the models only the admin shows.
MAKERS = {
    **{RESOURCES[prefix].queryset.model: make for prefix, make in SAMPLES.items()},
    CalendarDay: lambda unit, user: CalendarDay.objects.create(
        date=datetime.date(2031, 1, 1) + datetime.timedelta(days=next(_days)),
        is_working_day=True,
    ),
    CorrectionRateDefinition: lambda unit, user: CorrectionRateDefinition.objects.create(
        year=2031 + next(_days)
    ),
    # A report as the report page starts it: with its sections (shown on its admin page).
    Report: lambda unit, user: get_or_start_report(2017, unit, by=user),
    PublishedReport: _published,
    # Reference data the office keeps: the two unit templates exist from the start.
    UnitTemplate: lambda unit, user: unit_template(TemplateKind.DEPARTMENT),
    Memo: lambda unit, user: Memo.objects.create(title="交通的备忘", unit=unit),
    User: lambda unit, user: make_user(Role.LIAISON, unit=unit),
    # The accounts' and the audit log's own records: closed to liaisons whatever unit the
    # account they concern belongs to.
    ApiToken: _token,
    Lockout: _lockout,
    RolePolicy: lambda unit, user: RolePolicy.objects.get_or_create(role=Role.LIAISON)[0],
    AuthenticatorDevice: _device,
    SecurityEvent: lambda unit, user: SecurityEvent.objects.create(
        event=Event.LOGIN, outcome=Outcome.SUCCESS, username=user.username
    ),
}


def make_record(model, unit, user):
    maker = MAKERS.get(model)
    if maker is None:
        pytest.fail(f"No way to make a {model._meta.label} record: add one to MAKERS.")
    return maker(unit, user)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def detail_pages(model, record) -> dict[str, str]:
    """The admin pages of one record: change, history, a past version, delete."""
    pages = {
        "change": admin_url(model, "change", record.pk),
        "history": admin_url(model, "history", record.pk),
        "delete": admin_url(model, "delete", record.pk),
    }
    history = getattr(model, "history", None)
    if history is not None:
        version = history.filter(**{model._meta.pk.attname: record.pk}).latest("history_id")
        pages["past version"] = admin_url(model, "simple_history", record.pk, version.history_id)
    return pages


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def test_every_admin_model_and_api_resource_can_be_made_here():
    served = {*ADMIN_MODELS, *(viewset.queryset.model for _p, viewset, _b in router.registry)}
    missing = sorted(model._meta.label for model in served if model not in MAKERS)
    assert missing == []


@pytest.mark.parametrize("label", [model._meta.label for model in ADMIN_MODELS])
def test_liaison_cannot_reach_another_units_record_on_any_admin_page(
    label, client, office, liaison, liaison2, unit_a, unit_b
):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    record = make_record(model, unit_b, office)
    pages = detail_pages(model, record)
    change_link = pages["change"]

    client.force_login(liaison)  # of unit A
    changelist = client.get(admin_url(model, "changelist"))

    if isinstance(model_admin, UnscopedAdmin):
        assert changelist.status_code == 403
        for name, url in pages.items():
            assert client.get(url).status_code in (403, 404), name
        return

    if rules.is_reference_data(model):
        # Reference data (units, the calendar…): every role reads it, only the office edits.
        assert changelist.status_code == 200
        assert change_link in changelist.content.decode()
        assert client.get(pages["change"]).status_code == 200
        assert client.get(pages["delete"]).status_code == 403
        return

    assert changelist.status_code == 200
    assert change_link not in changelist.content.decode()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 404, (name, url, response.status_code)

    # The record is there and this test sees it where it may be seen: its own unit's liaison
    # (or, for what no liaison opens, the office) finds it on the same pages.
    owner = liaison2 if model_admin.has_view_permission(_request(liaison2), record) else office
    client.force_login(owner)
    assert change_link in client.get(admin_url(model, "changelist")).content.decode()
    for name, url in pages.items():
        if name != "delete":
            assert client.get(url).status_code == 200, (name, url)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


ROUTES = [(prefix, viewset) for prefix, viewset, _basename in router.registry]


@pytest.mark.parametrize(("prefix", "viewset"), ROUTES, ids=[prefix for prefix, _v in ROUTES])
def test_liaison_cannot_reach_another_units_record_on_any_api_route(
    prefix, viewset, office, liaison, liaison2, unit_a, unit_b
):
    model = viewset.queryset.model
    record = make_record(model, unit_b, office)
    lookup = getattr(record, viewset.lookup_field if viewset.lookup_field != "pk" else "pk")
    lookup = getattr(lookup, "pk", lookup)
    detail = f"/api/v1/{prefix}/{lookup}/"
    client = client_for(liaison)  # of unit A

    if any(issubclass(permission, UnscopedPermission) for permission in viewset.permission_classes):
        assert client.get(f"/api/v1/{prefix}/").status_code == 403
        assert client.delete(detail).status_code == 403
        return

    listed = client.get(f"/api/v1/{prefix}/", {"page_size": 500}).json()["results"]
    ids = {row["id"] for row in listed}
    if rules.is_reference_data(model):
        assert record.pk in ids
        assert client.get(detail).status_code == 200
        return
    assert record.pk not in ids
    assert client.get(detail).status_code == 404
    if "patch" in viewset.http_method_names:
        assert client.patch(detail, {}, format="json").status_code == 404

    owner = client_for(liaison2)
    assert record.pk in {
        row["id"] for row in owner.get(f"/api/v1/{prefix}/", {"page_size": 500}).json()["results"]
    }
    assert owner.get(detail).status_code == 200


# --- The reports the issue found open in the admin -----------------------------------------


def test_liaison_sees_only_their_units_annual_reports_in_the_admin(
    client, office, liaison, unit_a, unit_b
):
    own = Report.objects.create(year=2017, unit=unit_a, title="城管2017年度报告")
    other = Report.objects.create(year=2017, unit=unit_b, title="交通2017年度报告")
    district = Report.objects.create(year=2017, unit=None, title="全区2017年度报告")
    client.force_login(liaison)
    page = client.get(admin_url(Report, "changelist")).content.decode()
    assert "城管2017年度报告" in page
    assert "交通2017年度报告" not in page
    assert "全区2017年度报告" not in page
    for report in (other, district):
        for name, url in detail_pages(Report, report).items():
            assert client.get(url).status_code == 404, name
    assert client.get(admin_url(Report, "change", own.pk)).status_code == 200


def test_liaison_cannot_edit_even_their_own_units_report_text_in_the_admin(client, liaison, unit_a):
    report = Report.objects.create(year=2017, unit=unit_a, title="城管2017年度报告")
    client.force_login(liaison)
    response = client.post(admin_url(Report, "change", report.pk), {"title": "改过", "year": 2017})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.title == "城管2017年度报告"


def test_liaison_sees_only_their_units_published_reports_in_the_admin(
    client, office, liaison, unit_a, unit_b
):
    _published(unit_a, office)
    other = _published(unit_b, office)
    district = PublishedReport.objects.create(
        year=2017,
        unit=None,
        version=1,
        title="全区2017年度报告",
        sections=[],
        figures={},
        published_by=office,
    )
    client.force_login(liaison)
    page = client.get(admin_url(PublishedReport, "changelist")).content.decode()
    assert unit_a.name in page
    assert f"{unit_b.name}2017年度报告" not in page
    assert "全区2017年度报告" not in page
    for report in (other, district):
        assert client.get(admin_url(PublishedReport, "change", report.pk)).status_code == 404
        assert client.get(admin_url(PublishedReport, "history", report.pk)).status_code == 404


def test_a_batch_page_lists_only_the_liaisons_own_integrated_items(
    client, office, liaison, unit_a, unit_b
):
    from tests.factories import make_batch, make_integrated_item

    batch = make_batch()
    make_integrated_item(unit_a, batch=batch, name="城管的整合事项")
    make_integrated_item(unit_b, batch=batch, name="交通的整合事项")
    client.force_login(liaison)
    page = client.get(admin_url(batch._meta.model, "change", batch.pk)).content.decode()
    assert "城管的整合事项" in page
    assert "交通的整合事项" not in page
    client.force_login(office)
    page = client.get(admin_url(batch._meta.model, "change", batch.pk)).content.decode()
    assert "交通的整合事项" in page


def test_a_past_version_page_never_saves(client, office, unit_a):
    memo = Memo.objects.create(title="原标题", unit=unit_a)
    memo.title = "新标题"
    memo.save()
    first = memo.history.earliest("history_id")
    client.force_login(office)
    response = client.post(
        admin_url(Memo, "simple_history", memo.pk, first.history_id),
        {"title": "原标题", "kind": "notice", "unit": unit_a.pk},
    )
    assert response.status_code == 405
    memo.refresh_from_db()
    assert memo.title == "新标题"


@pytest.mark.parametrize("label", [model._meta.label for model in ADMIN_MODELS])
def test_every_admin_change_form_carries_the_revision_it_was_opened_at(
    label, client, office, unit_b
):
    model = apps.get_model(label)
    record = make_record(model, unit_b, office)
    client.force_login(office)
    page = client.get(admin_url(model, "change", record.pk)).content.decode()
    editable = admin.site._registry[model].has_change_permission(_request(office), record)
    if not (revisions.is_revisioned(model) and editable):
        assert "based_on_revision" not in page
        return
    record.refresh_from_db()
    assert f'name="based_on_revision" value="{record.revision}"' in page


def test_a_list_filter_names_only_what_the_liaisons_own_rows_refer_to(
    client, liaison, unit_a, unit_b
):
    """A relation's filter lists the related rows: on the clean-up items' list, another
    unit's campaign (even a draft nobody else sees) is not among a liaison's choices."""
    mine = make_campaign(unit_a, name="城管局文件清理")
    make_cleanup_item(mine, document=make_document(unit_a))
    theirs = make_campaign(unit_b, name="交通局内部清理专项")
    make_cleanup_item(theirs, document=make_document(unit_b))
    make_campaign(unit_b, name="交通局尚无文件的清理")
    client.force_login(liaison)
    page = client.get(reverse("admin:reviews_cleanupitem_changelist")).content.decode()
    assert "城管局文件清理" in page
    assert "交通局" not in page


def test_the_admin_does_not_start_with_a_filter_that_lists_another_units_rows():
    site = admin.AdminSite(name="scratch")
    site.register(
        CleanupItem,
        type("CampaignFilteredAdmin", (CleanupItemAdmin,), {"list_filter": ["campaign"]}),
    )
    with pytest.raises(ImproperlyConfigured, match="RelatedOnlyFieldListFilter"):
        require_scoped_admins(site)
