"""Evidence files in the admin (a record's inline rows) and on the review pages."""

import pytest
from django.urls import reverse

from registers.core.models import Attachment
from registers.core.status import Action, Status
from registers.core.workflow import transition
from tests import factories as f


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(unit_a):
    return f.make_reconsideration(unit_a)


def change_url(case) -> str:
    return reverse("admin:reviews_reconsiderationcase_change", args=[case.pk])


def admin_post(case, *, rows: list[dict], initial: int = 0) -> dict:
    """The case's change form as its page posts it, with file rows."""
    data = {
        "number": case.number,
        "applicant": case.applicant,
        "unit": case.unit_id,
        "matter": case.matter,
        "procedure": case.procedure,
        "received_on": case.received_on.isoformat(),
        "acceptance": case.acceptance,
        "extension_days": str(case.extension_days),
        "based_on_revision": str(case.revision),
        "suspensions-TOTAL_FORMS": "0",
        "suspensions-INITIAL_FORMS": "0",
    }
    prefix = "registers-attachment-content_type-object_id"
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(initial)
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def test_liaison_attaches_a_file_in_the_admin_and_sees_it_on_the_record_page(client, case, liaison):
    client.force_login(liaison)
    data = admin_post(
        case,
        rows=[
            {
                "kind": "reconsideration_decision",
                "note": "正本",
                "file": f.upload("复议决定书.pdf", f.pdf_bytes()),
            }
        ],
    )
    response = client.post(change_url(case), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    (attachment,) = Attachment.objects.of_record(case)
    assert attachment.original_name == "复议决定书.pdf"
    assert attachment.uploaded_by == liaison

    page = client.get(change_url(case)).content.decode()
    assert "复议决定书.pdf" in page
    assert reverse("registers:attachment_download", args=[attachment.pk]) in page


def test_the_admin_refuses_a_program_named_pdf_and_keeps_nothing(client, case, liaison, _media):
    client.force_login(liaison)
    data = admin_post(
        case, rows=[{"kind": "other", "note": "", "file": f.upload("决定.pdf", f.exe_bytes())}]
    )
    response = client.post(change_url(case), data)
    assert response.status_code == 200
    assert "不支持这种文件" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*"))


def test_a_new_file_on_a_saved_row_is_a_new_version_and_the_old_one_is_kept(client, case, liaison):
    client.force_login(liaison)
    client.post(
        change_url(case),
        admin_post(
            case,
            rows=[{"kind": "judgment", "note": "", "file": f.upload("一审.pdf", f.pdf_bytes())}],
        ),
    )
    old = Attachment.objects.get()
    case.refresh_from_db()
    response = client.post(
        change_url(case),
        admin_post(
            case,
            initial=1,
            rows=[
                {
                    "id": str(old.pk),
                    "kind": "judgment",
                    "note": "",
                    "file": f.upload("一审（更正）.pdf", f.pdf_bytes("更正")),
                }
            ],
        ),
    )
    assert response.status_code == 302
    current = Attachment.objects.of_record(case).current().get()
    assert current.original_name == "一审（更正）.pdf"
    assert current.replaces == old
    old.refresh_from_db()
    assert old.removed_at is not None
    assert old.file.storage.exists(old.file.name)


def test_a_submitted_records_files_are_listed_read_only_for_the_liaison(client, case, liaison):
    from registers.core import attachments

    attachment = attachments.attach(
        case, f.upload("复议决定书.pdf", f.pdf_bytes()), kind="judgment", by=liaison
    )
    transition(case, Action.SUBMIT, by=liaison)
    client.force_login(liaison)
    response = client.get(change_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("registers:attachment_download", args=[attachment.pk]) in page
    assert attachment.file.name not in page  # the stored path is never shown
    assert 'type="file"' not in page


def test_a_posted_form_without_file_rows_changes_no_file(client, case, liaison):
    client.force_login(liaison)
    data = admin_post(case, rows=[])
    del data["registers-attachment-content_type-object_id-TOTAL_FORMS"]
    del data["registers-attachment-content_type-object_id-INITIAL_FORMS"]
    data["matter"] = "行政许可决定"
    assert client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.matter == "行政许可决定"


def test_another_units_liaison_cannot_download_through_the_pages(client, case, liaison2, office):
    from registers.core import attachments

    attachment = attachments.attach(
        case, f.upload("判决书.pdf", f.pdf_bytes()), kind="judgment", by=office
    )
    url = reverse("registers:attachment_download", args=[attachment.pk])
    client.force_login(liaison2)
    assert client.get(url).status_code == 404
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_review_queue_and_review_page_show_the_files_and_what_changed(
    client, case, liaison, office
):
    from registers.core import attachments

    transition(case, Action.SUBMIT, by=liaison)
    case.refresh_from_db()
    transition(case, Action.APPROVE, by=office)
    case.refresh_from_db()
    type(case).objects.filter(pk=case.pk).update(status=Status.DRAFT)
    case.refresh_from_db()
    attachments.attach(
        case, f.upload("复议决定书.pdf", f.pdf_bytes()), kind="reconsideration_decision", by=liaison
    )
    transition(case, Action.SUBMIT, by=liaison)

    client.force_login(office)
    queue = client.get(reverse("workspace:review_queue")).content.decode()
    assert "复议决定书.pdf" in queue
    page = client.get(
        reverse("workspace:review_detail", args=["reviews.reconsiderationcase", case.pk])
    ).content.decode()
    assert "附件改动" in page
    assert "新增" in page and "复议决定书.pdf" in page


def test_office_uploads_on_the_review_page_and_a_bad_file_is_explained(client, case, office):
    client.force_login(office)
    url = reverse("workspace:attachment_upload", args=["reviews.reconsiderationcase", case.pk])
    response = client.post(
        url, {"file": f.upload("合同.pdf", f.exe_bytes()), "kind": "contract"}, follow=True
    )
    assert "不支持这种文件" in response.content.decode()
    assert not Attachment.objects.exists()
    response = client.post(
        url, {"file": f.upload("合同.docx", f.docx_bytes()), "kind": "contract"}, follow=True
    )
    assert "已上传附件“合同.docx”" in response.content.decode()
    assert Attachment.objects.of_record(case).current().count() == 1
