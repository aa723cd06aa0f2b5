"""Evidence files on records: attach, replace, delete, serve — whoever asks (admin, pages, API).

Each write locks the record's row first, so it waits for a transition of the same record and
is checked on the record as committed: a file is added, replaced or deleted only while the
record may change (``permissions.can_change``), as its fields are. A file is checked by its
content (``registers.core.files``) before anything is stored; a refused file leaves nothing
behind. Nothing is overwritten: a replacement is a new row and closes the old one, whose
file stays; a deletion closes the row.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from registers.core import permissions, revisions
from registers.core.files import (
    FileRefused,
    allowed_types_text,
    check_file,
    content_disposition,
    megabytes,
)
from registers.core.models import Attachment
from registers.core.services import require_change_permission

CHUNK = 1024 * 1024


def max_bytes() -> int:
    """The largest file accepted (``LAWGOV["ATTACHMENT_MAX_BYTES"]``)."""
    return settings.LAWGOV["ATTACHMENT_MAX_BYTES"]


def _refused(error: FileRefused) -> ValidationError:
    return ValidationError({"file": ValidationError(error.message, code=error.code)})


def check_upload(upload) -> None:
    """Refuse an uploaded file that is not an accepted type or is too large (a
    ``ValidationError`` with the checker's message and code), for a form's field."""
    try:
        check_file(upload, upload.name or "", upload.size or 0, max_bytes=max_bytes())
    except FileRefused as error:
        raise ValidationError(error.message, code=error.code) from None


def help_text() -> str:
    return _("可上传%(allowed)s，不超过 %(limit)s MB；按文件内容检查类型。") % {
        "allowed": allowed_types_text(),
        "limit": megabytes(max_bytes()),
    }


def _digest(upload) -> str:
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _lock_record(record, user):
    """The record's row, locked, and checked: ``user`` may change it now."""
    locked = revisions.lock(record)
    require_change_permission(user, locked)
    return locked


def _reason(text: str, by) -> dict:
    return {"_history_user": by, "_change_reason": text}


def _save(attachment: Attachment, *, by, reason: str) -> None:
    for name, value in _reason(reason, by).items():
        setattr(attachment, name, value)
    attachment.save()


@transaction.atomic
def attach(record, upload, *, kind: str, note: str = "", by, replaces=None) -> Attachment:
    """Store ``upload`` as a new file of ``record``; with ``replaces``, as its new version."""
    try:
        checked = check_file(upload, upload.name or "", upload.size or 0, max_bytes=max_bytes())
    except FileRefused as error:
        raise _refused(error) from None
    record = _lock_record(record, by)
    if replaces is not None:
        replaces = Attachment.objects.select_for_update().get(pk=replaces.pk)
        if not replaces.is_current or replaces.record != record:
            raise ValidationError(
                _("这份附件已被替换或删除，请刷新页面后重试。"), code="attachment_not_current"
            )
    attachment = Attachment(
        record=record,
        kind=kind,
        note=note,
        original_name=checked.name,
        size=upload.size,
        mime_type=checked.content_type,
        sha256=_digest(upload),
        uploaded_by=by,
        uploaded_at=timezone.now(),
        replaces=replaces,
    )
    attachment.full_clean(exclude=["file", "content_type", "object_id", "replaces"])
    attachment.file.save(checked.name, upload, save=False)
    try:
        if replaces is not None:
            replaces.removed_at = attachment.uploaded_at
            replaces.removed_by = by
            _save(replaces, by=by, reason=_("替换"))
        _save(attachment, by=by, reason=_("替换") if replaces is not None else _("上传"))
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def update_details(attachment: Attachment, *, kind: str, note: str, by) -> Attachment:
    """Change what a file is said to be (its kind, its note); the file stays."""
    _lock_record(attachment.record, by)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if not attachment.is_current:
        raise ValidationError(
            _("这份附件已被替换或删除，请刷新页面后重试。"), code="attachment_not_current"
        )
    attachment.kind, attachment.note = kind, note
    attachment.full_clean(exclude=["file", "content_type", "object_id", "replaces"])
    _save(attachment, by=by, reason=_("修改说明"))
    return attachment


@transaction.atomic
def remove(attachment: Attachment, *, by) -> Attachment:
    """Delete a file from its record: the row is closed and kept, with its file."""
    _lock_record(attachment.record, by)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if not attachment.is_current:
        raise ValidationError(
            _("这份附件已被替换或删除，请刷新页面后重试。"), code="attachment_not_current"
        )
    attachment.removed_at = timezone.now()
    attachment.removed_by = by
    _save(attachment, by=by, reason=_("删除"))
    return attachment


def versions(attachment: Attachment) -> list[Attachment]:
    """The versions of a file, newest first: itself and those it replaced."""
    chain = [attachment]
    while chain[-1].replaces_id is not None:
        chain.append(chain[-1].replaces)
    return chain


def current_of(record, user):
    """The files ``record`` carries now, as ``user`` may see them."""
    queryset = Attachment.objects.of_record(record).current().select_related("uploaded_by")
    return permissions.scope_queryset(queryset, user)


def current_by_record(records) -> dict[tuple[int, int], list[Attachment]]:
    """The current files of many records (of any kinds) in one query, by (content type id,
    record id). The records are those a page already read through the scoping rule."""
    condition = Q(pk__in=[])
    by_model: dict[type, list[int]] = {}
    for record in records:
        by_model.setdefault(type(record), []).append(record.pk)
    for model, pks in by_model.items():
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
    found: dict[tuple[int, int], list[Attachment]] = {}
    if not by_model:
        return found
    for row in Attachment.objects.current().filter(condition):
        found.setdefault((row.content_type_id, row.object_id), []).append(row)
    return found


def current_of_kind(model, kind: str):
    """The current files of ``kind`` on records of ``model``, newest first (a replaced
    version is no longer current); filter on ``object_id`` for one record's."""
    return (
        Attachment.objects.current()
        .filter(content_type=ContentType.objects.get_for_model(model), kind=kind)
        .order_by("-uploaded_at", "-pk")
    )


def get_for_user(user, pk, *, record=None) -> Attachment:
    """An attachment ``user`` may see (of ``record`` when given), or ``DoesNotExist``."""
    queryset = Attachment.objects.select_related("uploaded_by")
    if record is not None:
        queryset = queryset.of_record(record)
    attachment = permissions.scope_queryset(queryset, user).get(pk=pk)
    if not permissions.can_view(user, attachment):
        raise Attachment.DoesNotExist
    return attachment


# --- Serving a file ------------------------------------------------------------------------


def file_response(attachment: Attachment) -> FileResponse:
    """The file as a download: never shown inline, never sniffed as something else."""
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- What changed since a review -----------------------------------------------------------


@dataclass(frozen=True)
class FileChange:
    what: str
    name: str
    kind: str
    when: datetime
    who: str


def changes_since(record, moment: datetime) -> list[FileChange]:
    """Files added, replaced and deleted on ``record`` after ``moment``, oldest first."""
    rows = (
        Attachment.objects.of_record(record)
        .filter(uploaded_at__gt=moment)
        .select_related("uploaded_by", "replaces")
    )
    changes = [
        FileChange(
            _("替换") if row.replaces_id else _("新增"),
            row.original_name
            if not row.replaces_id
            else f"{row.replaces.original_name} → {row.original_name}",
            row.get_kind_display(),
            row.uploaded_at,
            str(row.uploaded_by or ""),
        )
        for row in rows
    ]
    removed = (
        Attachment.objects.of_record(record)
        .filter(removed_at__gt=moment, replaced_by__isnull=True)
        .select_related("removed_by")
    )
    changes += [
        FileChange(
            _("删除"),
            row.original_name,
            row.get_kind_display(),
            row.removed_at,
            str(row.removed_by or ""),
        )
        for row in removed
    ]
    return sorted(changes, key=lambda change: change.when)
