"""What an evidence file is, by its content: the types a record's attachment may have.

A file's name says nothing about what it holds. Its first bytes (and, for a zip archive,
the names of its members) say what it is: PDF, OFD (a zip holding ``OFD.xml``), JPEG, PNG,
an OLE2 compound document (Word 97–2003, Excel 97–2003 and the WPS formats ``.wps``/``.et``)
or an Office Open XML package (``.docx``/``.xlsx``, and WPS's zip formats). The name's
extension must be one that content may carry, so a ``.pdf`` holding a program or a picture
named ``.docx`` is refused before anything is stored.

Also how every download names its file (``content_disposition``) and how that name is read
back (``download_name``, for the audit log).

No Django models here; ``registers.core.attachments`` stores what this module accepts.
"""

from __future__ import annotations

import email.utils
import re
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
#: How much of a file the sniffing reads (the zip check reads the archive's directory).
HEAD_BYTES = 16


@dataclass(frozen=True)
class FileType:
    """One accepted kind of content: its name, the extensions it may carry, and the
    content type it is served with (by extension where one content has several)."""

    key: str
    label: str
    extensions: dict[str, str]

    def content_type_for(self, extension: str) -> str:
        return self.extensions[extension]


PDF = FileType("pdf", "PDF", {"pdf": "application/pdf"})
OFD = FileType("ofd", "OFD", {"ofd": "application/ofd"})
JPEG = FileType("jpeg", "JPEG", {"jpg": "image/jpeg", "jpeg": "image/jpeg"})
PNG = FileType("png", "PNG", {"png": "image/png"})
OLE2 = FileType(
    "ole2",
    gettext_lazy("Word/Excel/WPS 97–2003 文档"),
    {
        "doc": "application/msword",
        "xls": "application/vnd.ms-excel",
        "wps": "application/vnd.ms-works",
        "et": "application/vnd.ms-excel",
    },
)
DOCX = FileType(
    "docx",
    "DOCX",
    {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "wps": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
)
XLSX = FileType(
    "xlsx",
    "XLSX",
    {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "et": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    },
)

ALLOWED_EXTENSIONS = sorted(
    {ext for kind in (PDF, OFD, JPEG, PNG, OLE2, DOCX, XLSX) for ext in kind.extensions}
)


class FileRefused(ValueError):
    """A file refused as a whole, with a Chinese message and a machine code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def allowed_types_text() -> str:
    return _("PDF、OFD、JPEG/PNG 图片、Word（doc/docx）、Excel（xls/xlsx）或 WPS（wps/et）文件")


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _zip_type(file: IO[bytes]) -> FileType | None:
    """OFD, DOCX or XLSX by the members of the archive; anything else (a plain zip) None."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def sniff(file: IO[bytes]) -> FileType | None:
    """The accepted type of ``file``'s content, or None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    found = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(OLE2_MAGIC):
        found = OLE2
    elif head.startswith(ZIP_MAGIC):
        found = _zip_type(file)
    file.seek(0)
    return found


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


def clean_name(name: str, *, max_length: int = 200) -> str:
    """A file's name as shown and offered on download: its last path part, without control
    characters or separators (no header can be injected with it), at most ``max_length``
    characters with its extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".") or "file"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) < 10:
            name = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            name = name[:max_length]
    return name


def content_disposition(name: str, *, inline: bool = False) -> str:
    """How every download names its file (RFC 6266): ``attachment``, or ``inline`` for what
    the browser opens, with an ASCII fallback and the exact name in RFC 5987 form
    (``filename*``), which browsers prefer. No character of the name can end the header or
    start another."""
    name = clean_name(name)
    fallback = (
        "".join(c if 32 <= ord(c) < 127 and c not in '"\\;%' else "_" for c in name).strip()
        or "file"
    )
    quoted = urllib.parse.quote(name, safe="")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quoted}"


def download_name(disposition: str) -> str | None:
    """The name a ``Content-Disposition`` header gives its file, as a browser saves it: the
    exact name (``filename*``, RFC 5987, decoded) before the fallback (RFC 6266, 4.3); None
    without a name. (The email package's parser lets whichever comes last win.)"""
    params = {}
    for part in disposition.split(";")[1:]:
        key, _equals, value = part.strip().partition("=")
        params[key.strip().lower()] = value.strip()
    if "filename*" in params:
        charset, _language, encoded = email.utils.decode_rfc2231(params["filename*"])
        return urllib.parse.unquote(encoded, encoding=charset or "utf-8", errors="replace")
    if "filename" in params:
        return params["filename"].strip('"')
    return None


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


@dataclass(frozen=True)
class Checked:
    """A file accepted: its type, and the content type it is served with."""

    file_type: FileType
    content_type: str
    name: str


def check_file(file: IO[bytes], name: str, size: int, *, max_bytes: int) -> Checked:
    """Accept ``file`` (named ``name``, ``size`` bytes) or raise ``FileRefused``."""
    name = clean_name(name)
    if size <= 0:
        raise FileRefused(_("文件是空的，请重新选择。"), "empty_file")
    if size > max_bytes:
        raise FileRefused(
            _("文件太大（%(size)s MB），附件不能超过 %(limit)s MB。")
            % {"size": megabytes(size), "limit": megabytes(max_bytes)},
            "file_too_large",
        )
    found = sniff(file)
    if found is None:
        raise FileRefused(
            _("不支持这种文件：“%(name)s”的内容不是%(allowed)s。文件没有保存。")
            % {"name": name, "allowed": allowed_types_text()},
            "file_type_not_allowed",
        )
    extension = extension_of(name)
    if extension not in found.extensions:
        raise FileRefused(
            _(
                "文件名与内容不符：“%(name)s”的内容是 %(type)s，扩展名应为 %(expected)s。"
                "请改正文件名后重新上传。文件没有保存。"
            )
            % {
                "name": name,
                "type": found.label,
                "expected": "、".join(f".{ext}" for ext in found.extensions),
            },
            "extension_mismatch",
        )
    return Checked(found, found.content_type_for(extension), name)
