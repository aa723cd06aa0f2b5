"""The report as an official Word document (GB/T 9704-2012), via ``docx_writer``."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from . import docx_writer
from .services import ReportDocument


def to_docx(document: ReportDocument) -> bytes:
    paragraphs = []
    for paragraph in document.paragraphs:
        runs = []
        if paragraph.run_in:
            runs.append(docx_writer.Run("".join(s.text for s in paragraph.run_in), kind="heading2"))
        runs.extend(docx_writer.Run(segment.text) for segment in paragraph.segments)
        paragraphs.append(docx_writer.Paragraph(runs=runs, kind=paragraph.kind))
    published = document.published
    issuer = document.unit.name if document.unit is not None else _("咸安区人民政府")
    buffer = io.BytesIO()
    docx_writer.write_docx(
        docx_writer.Document(
            title=document.title,
            paragraphs=paragraphs,
            issuer=issuer,
            date=timezone.localtime(published.published_at).date() if published else None,
        ),
        buffer,
    )
    return buffer.getvalue()
