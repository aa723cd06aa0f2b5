"""The content check of evidence files (registers.core.files): no database."""

import io

import pytest

from registers.core.files import FileRefused, check_file, clean_name
from tests import factories as f

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
XLSX = f.zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def check(name: str, data: bytes, max_bytes: int = 1024 * 1024):
    return check_file(io.BytesIO(data), name, len(data), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("决定.PDF", f.pdf_bytes(), "application/pdf"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("旧版.xls", OLE2, "application/vnd.ms-excel"),
        ("文字.wps", OLE2, "application/vnd.ms-works"),
        ("表格.et", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "文字.wps",
            f.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("表.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_accepted_content_gets_the_content_type_of_its_extension(name, data, content_type):
    assert check(name, data).content_type == content_type


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.pdf", b"", "empty_file"),
        ("a.pdf", b"<html><script>alert(1)</script></html>", "file_type_not_allowed"),
        ("a.docx", b"PK\x03\x04 not really a zip", "file_type_not_allowed"),
        ("a.xlsx", f.docx_bytes(), "extension_mismatch"),
        ("a.doc", f.pdf_bytes(), "extension_mismatch"),
    ],
)
def test_other_content_is_refused_with_a_code(name, data, code):
    with pytest.raises(FileRefused) as refused:
        check(name, data)
    assert refused.value.code == code
    assert refused.value.message


def test_size_limit_is_checked_before_the_content():
    with pytest.raises(FileRefused) as refused:
        check("a.pdf", f.pdf_bytes() + b"0" * 2048, max_bytes=1024)
    assert refused.value.code == "file_too_large"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\a\\复议决定书.pdf", "复议决定书.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("a\r\nb.pdf", "ab.pdf"),
        ("", "file"),
    ],
)
def test_names_keep_only_their_last_part_without_control_characters(raw, clean):
    assert clean_name(raw) == clean


def test_a_long_name_keeps_its_extension():
    name = clean_name("长" * 300 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")


@pytest.mark.parametrize(
    "name",
    ["咸安区人民政府关于2017年度法治政府建设情况的报告.docx", "security-events.csv", "a;b%20c.pdf"],
)
@pytest.mark.parametrize("inline", [False, True])
def test_every_downloads_name_reads_back_as_the_browser_saves_it(name, inline):
    from registers.core.files import content_disposition, download_name

    disposition = content_disposition(name, inline=inline)
    assert disposition.startswith("inline;" if inline else "attachment;")
    assert download_name(disposition) == name


def test_a_headers_exact_name_wins_over_its_fallback_in_either_order():
    from registers.core.files import download_name

    exact = "filename*=UTF-8''%E5%88%A4%E5%86%B3%E4%B9%A6.pdf"
    assert download_name(f'attachment; filename="___.pdf"; {exact}') == "判决书.pdf"
    assert download_name(f'attachment; {exact}; filename="___.pdf"') == "判决书.pdf"
    assert download_name('attachment; filename="x.xlsx"') == "x.xlsx"
    assert download_name("attachment") is None
