"""Evidence files through the API: scoped as their record, checked by content, kept."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from registers.core.models import Attachment
from registers.core.status import Status
from tests import factories as f

BASE = "/api/v1/reconsideration-cases"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def post_file(client, case, name, data, **fields):
    return client.post(
        f"{BASE}/{case.pk}/attachments/",
        {"file": f.upload(name, data), **fields},
        format="multipart",
    )


def file_error(response) -> dict:
    return response.json()["errors"]["file"][0]


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


@pytest.fixture
def case(unit_a):
    return f.make_reconsideration(unit_a)


@pytest.fixture
def attached(case, liaison):
    response = post_file(
        client_for(liaison), case, "复议决定书.pdf", f.pdf_bytes(), kind="reconsideration_decision"
    )
    assert response.status_code == 201, response.content
    return Attachment.objects.get(pk=response.json()["id"])


def test_liaison_attaches_a_pdf_to_their_draft_and_the_record_shows_it(case, liaison):
    data = f.pdf_bytes()
    client = client_for(liaison)
    response = post_file(
        client, case, "复议决定书.pdf", data, kind="reconsideration_decision", note="正本扫描件"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "复议决定书.pdf"
    assert body["kind_label"] == "复议决定书"
    assert body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["content_type"] == "application/pdf"
    assert body["uploaded_by"] == liaison.username

    record = client.get(f"{BASE}/{case.pk}/").json()
    assert [a["id"] for a in record["attachments"]] == [body["id"]]
    download = client.get(record["attachments"][0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("决定.ofd", f.ofd_bytes(), "application/ofd"),
        ("截图.png", f.png_bytes(), "image/png"),
        (
            "合同.docx",
            f.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("意见书.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/msword"),
    ],
)
def test_each_accepted_type_is_recognised_by_content(case, liaison, name, data, content_type):
    response = post_file(client_for(liaison), case, name, data)
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == content_type


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("复议决定书.pdf", f.exe_bytes(), "file_type_not_allowed"),
        ("压缩包.docx", f.zip_bytes({"a.txt": b"x"}), "file_type_not_allowed"),
        ("截图.pdf", f.png_bytes(), "extension_mismatch"),
        ("决定书", f.pdf_bytes(), "extension_mismatch"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused_and_nothing_is_saved(
    case, liaison, _media, name, data, code
):
    response = post_file(client_for(liaison), case, name, data)
    assert response.status_code == 400
    error = file_error(response)
    assert error["code"] == code
    assert "文件" in error["message"]
    assert not Attachment.objects.exists()
    assert stored_files(_media) == []


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(case, liaison, settings):
    settings.LAWGOV = {**settings.LAWGOV, "ATTACHMENT_MAX_BYTES": 1024 * 1024}
    data = f.pdf_bytes() + b"0" * (1024 * 1024)
    response = post_file(client_for(liaison), case, "大文件.pdf", data)
    assert response.status_code == 400
    error = file_error(response)
    assert error["code"] == "file_too_large"
    assert "1 MB" in error["message"]
    assert not Attachment.objects.exists()


def test_liaison_of_another_unit_gets_404_for_the_list_the_file_and_its_download(
    attached, case, liaison, liaison2
):
    client = client_for(liaison2)
    for url in (
        f"{BASE}/{case.pk}/attachments/",
        f"{BASE}/{case.pk}/attachments/{attached.pk}/",
        f"{BASE}/{case.pk}/attachments/{attached.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url
    assert post_file(client, case, "a.pdf", f.pdf_bytes()).status_code == 404
    assert client.delete(f"{BASE}/{case.pk}/attachments/{attached.pk}/").status_code == 404
    # Nor through a record of their own: the file belongs to another record.
    own = f.make_reconsideration(liaison2.unit)
    assert client.get(f"{BASE}/{own.pk}/attachments/{attached.pk}/").status_code == 404
    assert client.get(f"{BASE}/{own.pk}/attachments/{attached.pk}/download/").status_code == 404
    assert Attachment.objects.visible_to(liaison2).count() == 0
    assert list(Attachment.objects.visible_to(liaison)) == [attached]


def test_leader_and_municipal_system_read_files_but_change_none(attached, case, leader):
    client = client_for(leader)
    assert client.get(f"{BASE}/{case.pk}/attachments/{attached.pk}/download/").status_code == 200
    assert post_file(client, case, "a.pdf", f.pdf_bytes()).status_code == 403
    assert client.delete(f"{BASE}/{case.pk}/attachments/{attached.pk}/").status_code == 403


def test_liaison_cannot_change_files_of_an_approved_record_but_the_office_can(
    attached, case, liaison, office
):
    type(case).objects.filter(pk=case.pk).update(status=Status.APPROVED)
    client = client_for(liaison)
    refused = post_file(client, case, "补充.pdf", f.pdf_bytes())
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_editable"
    assert client.delete(f"{BASE}/{case.pk}/attachments/{attached.pk}/").status_code == 403
    assert Attachment.objects.current().count() == 1

    assert post_file(client_for(office), case, "补充.pdf", f.pdf_bytes()).status_code == 201


def test_submitted_record_files_are_frozen_for_the_liaison(attached, case, liaison):
    type(case).objects.filter(pk=case.pk).update(status=Status.SUBMITTED)
    response = client_for(liaison).patch(
        f"{BASE}/{case.pk}/attachments/{attached.pk}/",
        {"file": f.upload("新.pdf", f.pdf_bytes("新版"))},
        format="multipart",
    )
    assert response.status_code == 403


def test_replacing_a_file_keeps_the_old_version_downloadable(attached, case, liaison):
    client = client_for(liaison)
    old_data = attached.file.open("rb").read()
    new_data = f.pdf_bytes("第二版")
    response = client.patch(
        f"{BASE}/{case.pk}/attachments/{attached.pk}/",
        {"file": f.upload("复议决定书（更正）.pdf", new_data)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    new = response.json()
    assert new["id"] != attached.pk
    assert new["replaces"] == attached.pk
    assert new["kind"] == "reconsideration_decision"  # kept from the old version

    listed = client.get(f"{BASE}/{case.pk}/attachments/").json()
    assert [row["id"] for row in listed] == [new["id"]]
    old = client.get(f"{BASE}/{case.pk}/attachments/{attached.pk}/").json()
    assert old["removed_at"] is not None
    download = client.get(f"{BASE}/{case.pk}/attachments/{attached.pk}/download/")
    assert b"".join(download.streaming_content) == old_data
    download = client.get(new["download_url"])
    assert b"".join(download.streaming_content) == new_data


def test_deleting_a_file_is_recorded_and_the_row_kept(attached, case, liaison):
    client = client_for(liaison)
    assert client.delete(f"{BASE}/{case.pk}/attachments/{attached.pk}/").status_code == 204
    assert client.get(f"{BASE}/{case.pk}/attachments/").json() == []
    attached.refresh_from_db()
    assert attached.removed_at is not None
    assert attached.removed_by == liaison
    last = attached.history.order_by("-history_date").first()
    assert last.history_change_reason == "删除"
    assert last.history_user == liaison
    # Deleted once: a second deletion is refused with a message.
    again = client.delete(f"{BASE}/{case.pk}/attachments/{attached.pk}/")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "attachment_not_current"


def test_note_and_kind_change_without_a_new_file(attached, case, liaison):
    response = client_for(liaison).patch(
        f"{BASE}/{case.pk}/attachments/{attached.pk}/",
        {"kind": "other", "note": "副本"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["id"] == attached.pk
    assert response.json()["note"] == "副本"


@pytest.mark.parametrize(
    "name",
    [
        'evil"; filename="x.exe.pdf',
        "a;b=c; Set-Cookie: x=y.pdf",
        "复议决定书 (2017) 第1号.pdf",
        "..\\..\\etc\\passwd.pdf",
    ],
)
def test_download_headers_cannot_be_injected_and_are_not_sniffed(case, liaison, name):
    client = client_for(liaison)
    created = post_file(client, case, name, f.pdf_bytes())
    assert created.status_code == 201, created.content
    response = client.get(created.json()["download_url"])
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''" in disposition
    # One quoted fallback: the name cannot close the quotes or add a parameter.
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert ";" not in fallback and "\\" not in fallback
    assert disposition.count('"') == 2
    assert not response.has_header("Set-Cookie")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "/" not in created.json()["original_name"]
    assert "\\" not in created.json()["original_name"]


def test_chinese_name_round_trips_through_rfc_5987(case, liaison):
    from urllib.parse import unquote

    client = client_for(liaison)
    created = post_file(client, case, "行政复议决定书.pdf", f.pdf_bytes())
    disposition = client.get(created.json()["download_url"])["Content-Disposition"]
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "行政复议决定书.pdf"


def test_a_sync_after_an_upload_carries_the_record_with_its_files(case, liaison, municipal):
    since = timezone.now() + datetime.timedelta(microseconds=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {f.make_token(municipal)}")
    assert client.get(BASE, {"updated_since": since.isoformat()}).json()["results"] == []

    post_file(client_for(liaison), case, "判决书.pdf", f.pdf_bytes(), kind="judgment")
    results = client.get(BASE, {"updated_since": since.isoformat()}).json()["results"]
    assert [row["id"] for row in results] == [case.pk]
    (file,) = results[0]["attachments"]
    assert file["kind_label"] == "判决书"
    assert file["download_url"].endswith(f"/attachments/{file['id']}/download")
    assert client.get(file["download_url"]).status_code == 200


@pytest.mark.parametrize(
    "name", ["bad\r\nSet-Cookie: a=b.pdf", "x\nLocation: /evil.pdf", 'q"uote\\.pdf', "\x00.pdf"]
)
def test_content_disposition_is_one_header_line_whatever_the_name(name):
    from registers.core.files import content_disposition

    value = content_disposition(name)
    assert not any(c in value for c in "\r\n\x00")
    assert value.count('"') == 2
    assert value.startswith('attachment; filename="')


def test_listing_records_with_files_costs_the_same_queries_for_one_or_many(
    unit_a, office, municipal
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registers.core import attachments

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {f.make_token(municipal)}")

    def add_case_with_file():
        case = f.make_reconsideration(unit_a)
        attachments.attach(case, f.upload("决定.pdf", f.pdf_bytes()), kind="other", by=office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(BASE)
        assert response.status_code == 200
        return len(captured)

    add_case_with_file()
    client.get(BASE)  # warm the content-type cache
    one = queries()
    for _n in range(5):
        add_case_with_file()
    assert queries() == one
    assert all(len(row["attachments"]) == 1 for row in client.get(BASE).json()["results"])


def test_deleting_a_draft_record_takes_its_files_and_their_versions_with_it(
    attached, case, liaison
):
    client = client_for(liaison)
    client.patch(
        f"{BASE}/{case.pk}/attachments/{attached.pk}/",
        {"file": f.upload("第二版.pdf", f.pdf_bytes("第二版"))},
        format="multipart",
    )
    assert Attachment.objects.of_record(case).count() == 2
    assert client.delete(f"{BASE}/{case.pk}/").status_code == 204
    assert not Attachment.objects.exists()
    # The deletion is in the files' history, with who deleted them.
    deleted = Attachment.history.filter(history_type="-")
    assert deleted.count() == 2
    assert {row.history_user for row in deleted} == {liaison}
