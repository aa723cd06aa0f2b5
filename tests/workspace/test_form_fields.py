"""Every page's form fields are shown by one template (``templates/forms/field.html``): each
input's label, help and error are tied to it, so a screen reader reads the help and the
error with the field, and every page's fields look the same."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from registers.core.roles import Role
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """The page's inputs (by id, with their aria-describedby), labels and described texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: dict[str, list[str]] = {}
        self.labelled: set[str] = set()
        self.texts: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []  # (tag, id) of the elements being read
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            if attrs.get("id"):
                self.inputs[attrs["id"]] = (attrs.get("aria-describedby") or "").split()
        if tag == "label" and attrs.get("for"):
            self.labelled.add(attrs["for"])
        if tag not in {"input", "br", "img", "meta", "link"}:
            self._open.append((tag, attrs.get("id") or ""))
            if attrs.get("id"):
                self.texts.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, element_id in self._open:
            if element_id:
                self.texts[element_id] += data

    def described(self, input_id: str) -> str:
        """What a screen reader reads after the input's label: its help and its errors."""
        return " ".join(self.texts[ref].strip() for ref in self.inputs[input_id])


def page_fields(response) -> Fields:
    assert response.status_code in {200, 400}, response.status_code
    fields = Fields(response.content.decode())
    for input_id, refs in fields.inputs.items():
        assert input_id in fields.labelled, f"{input_id} has no label"
        missing = [ref for ref in refs if ref not in fields.texts]
        assert not missing, f"{input_id} is described by {missing}, which the page lacks"
    return fields


def test_the_login_pages_error_is_read_with_its_field(client):
    response = client.post(reverse("workspace:login"), {"username": "", "password": ""})
    fields = page_fields(response)
    assert "必填" in fields.described("id_username")


@pytest.mark.parametrize("role", ["office", "liaison"])
def test_the_upload_forms_help_and_errors_are_read_with_their_fields(client, users, role):
    client.force_login(users[role])
    fields = page_fields(client.get(reverse("registers:exchange")))
    assert "报送法制办审核" in fields.described("id_submit")
    assert ("id_unit" in fields.inputs) is (role == "office")

    response = client.post(reverse("registers:exchange"), {"register": "documents"})
    fields = page_fields(response)
    assert "必填" in fields.described("id_file")
    assert "报送法制办审核" in fields.described("id_submit")


def test_the_office_may_leave_the_unit_to_the_tables_unit_column(client, office):
    client.force_login(office)
    page = client.get(reverse("registers:exchange")).content.decode()
    assert '<option value="" selected>不指定（按表中的单位列）</option>' in page


def test_the_holiday_forms_help_and_errors_are_read_with_their_fields(client, office):
    client.force_login(office)
    url = reverse("workspace:holiday_schedule")
    fields = page_fields(client.get(url))
    assert "每行一项" in fields.described("id_lines")

    fields = page_fields(client.post(url, {"year": "", "lines": "", "check": "1"}))
    assert "必填" in fields.described("id_year")


def test_the_review_comment_is_read_with_its_help_and_its_error(client, office, liaison):
    document = make_document(liaison.unit, status="submitted")
    client.force_login(office)
    url = reverse("workspace:review_detail", args=["registers.document", document.pk])
    fields = page_fields(client.get(url))
    assert "退回修改时必须填写" in fields.described("id_comment")

    response = client.post(url, {"action": "return", "comment": "", "revision": document.revision})
    fields = page_fields(response)
    assert "必须填写审核意见" in fields.described("id_comment")


def test_the_password_rules_are_listed_each_with_something_to_say(client, settings):
    user = make_user(Role.OFFICE, username="clerk")
    client.force_login(user)
    url = reverse("accounts:password")
    fields = page_fields(client.get(url))
    rules = fields.described("id_new_password1")
    assert "至少 10 个字符" in rules and "至少 3 类" in rules
    assert "须在账号首次登录时修改" in rules and "天后须更换" not in rules
    assert "<li></li>" not in client.get(url).content.decode()

    settings.LAWGOV_SECURITY = {**settings.LAWGOV_SECURITY, "PASSWORD_MAX_AGE_DAYS": 90}
    rules = page_fields(client.get(url)).described("id_new_password1")
    assert "密码使用满 90 天后须更换。" in rules


def test_the_admin_imports_help_is_read_with_its_field(client, liaison):
    client.force_login(liaison)
    fields = page_fields(client.get(reverse("admin:registers_document_import")))
    assert "报送法制办审核" in fields.described("id_submit")
