"""The public normative-document catalogue links each document's text (its newest file of
the document-text kind); the public route serves only such files of documents the catalogue
lists, as a download, and answers 404 for anything else."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from registers.core import attachments
from registers.core.models import AttachmentKind
from registers.core.status import Status
from registers.models import DocumentKind
from tests.factories import make_document, pdf_bytes, upload

pytestmark = pytest.mark.django_db

TEXT = AttachmentKind.DOCUMENT_TEXT


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2018, 1, 10, 9, 0), tick=False):
        yield


def attach(document, office, kind=TEXT, name="管理办法.pdf", text="第一版", **extra):
    return attachments.attach(
        document, upload(name, pdf_bytes(text)), kind=kind, by=office, **extra
    )


def text_url(document) -> str:
    return reverse("registers:public_document_text", args=[document.pk])


def test_a_published_documents_newest_text_downloads_from_the_catalogue(client, unit_a, office):
    document = make_document(unit_a, title="现行管理办法")
    first = attach(document, office, text="第一版")
    attach(document, office, name="管理办法（修订）.pdf", text="第二版", replaces=first)
    make_document(unit_a, title="没有文本的办法")

    page = client.get("/public/documents/").content.decode()
    assert f'href="http://testserver{text_url(document)}" download' in page
    assert page.count(" download>下载</a>") == 1

    response = client.get(text_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes("第二版")
    assert response["Content-Disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''%E7%AE%A1%E7%90%86" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get("/public/documents/", {"format": "csv"}).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    link = rows[0].index("文件文本")
    by_title = {row[0]: row[link] for row in rows[1:]}
    assert by_title == {
        "现行管理办法": f"http://testserver{text_url(document)}",
        "没有文本的办法": "",
    }


@pytest.mark.parametrize(
    "case",
    ["other_kind", "draft", "returned", "not_normative", "not_yet_issued", "removed", "none"],
)
def test_anything_but_a_listed_documents_text_answers_404(client, unit_a, office, case):
    extra = {
        "draft": {"status": Status.DRAFT},
        "returned": {"status": Status.RETURNED},
        "not_normative": {"kind": DocumentKind.NON_NORMATIVE},
        "not_yet_issued": {"issued_on": datetime.date(2018, 2, 1)},
    }
    document = make_document(unit_a, **extra.get(case, {}))
    if case != "none":
        file = attach(
            document, office, kind=AttachmentKind.REVIEW_OPINION if case == "other_kind" else TEXT
        )
        if case == "removed":
            attachments.remove(file, by=office)
    response = client.get(text_url(document))
    assert response.status_code == 404
    assert "下载</a>" not in client.get("/public/documents/").content.decode()


def test_an_unknown_document_answers_404(client):
    assert client.get(reverse("registers:public_document_text", args=[999])).status_code == 404
