"""``admin_url``: the admin's pages of a record or a register, for pages outside the admin."""

from registers.core.admin_links import admin_url
from registers.models import Document, Unit
from reviews.models import ReconsiderationCase
from tests.factories import make_reconsideration
from xianan_lawgov.workspace.models import Notification


def test_a_records_change_page_and_a_registers_list_and_add_pages(unit_a):
    case = make_reconsideration(unit_a)
    assert admin_url(case) == f"/admin/reviews/reconsiderationcase/{case.pk}/change/"
    assert admin_url(Document, "changelist") == "/admin/registers/document/"
    assert admin_url(ReconsiderationCase, "add") == "/admin/reviews/reconsiderationcase/add/"
    assert admin_url(Unit, "change", pk=7) == "/admin/registers/unit/7/change/"


def test_a_model_the_admin_does_not_show_has_no_page(db):
    assert admin_url(Notification, "changelist") is None
