"""Revisions: every editable record counts its saves, so that a save based on what someone
read before another change is refused instead of silently overwriting it (a lost update).

Saving an existing row is a compare-and-set: ``UPDATE … SET …, revision = n + 1 WHERE id = …
AND revision = n``, where n is the revision the saving copy was read at, or the one a form
or an API client says its change was based on. When another save came first the UPDATE
matches no row, and ``EditConflict`` says who changed which fields since, read from the
record's history. Workflow transitions save through the same path, so an edit based on the
record as it was before an approval is refused rather than writing the old status back.

The checks that can explain themselves before saving (a form, an API request) lock the row
with ``lock`` and compare with ``check_revision``; the compare-and-set is what still holds
when something saves without having checked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from registers.core.constraints import RefusalsOnFields


class EditConflict(ValidationError):
    """A save refused because the record changed since the revision it was based on."""

    def __init__(self, message: str, *, current: int | None) -> None:
        super().__init__(message, code="edit_conflict")
        #: The revision the record has now (None once it has been deleted).
        self.current = current


class RevisionedModel(RefusalsOnFields, models.Model):
    """Abstract base of every record people edit: it carries its ``revision`` and keeps its
    history (``history``, one row per save: who changed what, which an ``EditConflict``
    reads). A model of its own declares no other ``HistoricalRecords``."""

    #: A register's own fields, declared once, in the order of its form. The upload
    #: template's columns (between the unit and the status), the API's fields (after the
    #: workflow's) and the export's columns (``registers.core.api.exports.exported_fields``)
    #: are read from here; labels are the fields' verbose names. ``OwnFields()`` reads them
    #: from the model's own field declarations (``registers.core.fields``).
    register_fields: tuple[str, ...] = ()
    #: Fields of ``register_fields`` an export (a summary table) leaves out: long texts and
    #: details read on the record itself.
    export_omits: tuple[str, ...] = ()
    #: Fields only the office fills: read-only to others in the API, and columns a liaison's
    #: upload must leave empty.
    office_only_fields: tuple[str, ...] = ()

    revision = models.PositiveIntegerField(
        gettext_lazy("修订号"),
        default=1,
        editable=False,
        help_text=gettext_lazy("每保存一次加一；修改时据此发现他人在此期间的修改。"),
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # Django's one UPDATE of an existing row, made a compare-and-set on the revision.
        expected = self.revision
        field = self._meta.get_field("revision")
        values = [value for value in values if value[0] is not field]
        values.append((field, None, expected + 1))
        if base_qs.filter(pk=pk_val, revision=expected)._update(values) > 0:
            self.revision = expected + 1
            return True
        if base_qs.filter(pk=pk_val).exists():
            raise conflict(type(self), pk_val, expected)
        return False  # the row is gone: Django inserts it again, as it always has


def is_revisioned(model) -> bool:
    return issubclass(model, RevisionedModel)


def edit_fields(record: models.Model) -> list[str]:
    """The fields an edit writes: what forms edit and the time of the change. Not the
    workflow's own (``WORKFLOW_FIELDS``), which only a transition writes, so an edit never
    puts back a status it read earlier; nor the fields a service keeps (non-editable, such
    as a power-list item's closing date)."""
    workflow = set(getattr(record, "WORKFLOW_FIELDS", ()))
    return [
        field.name
        for field in record._meta.concrete_fields
        if not field.primary_key
        and (getattr(field, "auto_now", False) or (field.editable and field.name not in workflow))
    ]


def lock(record: models.Model) -> models.Model:
    """The row of ``record`` as committed now, locked until the transaction ends (so a
    transition or another edit of it waits). Outside a transaction it is only read."""
    rows = type(record)._default_manager.filter(pk=record.pk)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    return rows.get()


def check_revision(record: models.Model, based_on: int | None) -> None:
    """Refuse (``EditConflict``) a change based on revision ``based_on`` when ``record``
    (just read or locked) has moved on since; ``based_on`` None means the client said
    nothing, and the change applies to the record as it is now."""
    if based_on is not None and based_on != record.revision:
        raise conflict(type(record), record.pk, based_on)


def _shown_fields(model) -> list[models.Field]:
    """The fields a person recognises in a conflict message: what forms edit, and the
    review status (a transition is a change too)."""
    workflow = set(getattr(model, "WORKFLOW_FIELDS", ())) - {"status"}
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.editable and field.name not in workflow
    ]


def _person(row) -> str:
    user = getattr(row, "history_user", None)
    return str(user) if user is not None else _("系统")


def conflict(model, pk, based_on: int) -> EditConflict:
    """The refusal of a change based on revision ``based_on`` of record ``pk``: who changed
    it since, when, and which fields, from its history."""
    current = model._default_manager.filter(pk=pk).values_list("revision", flat=True).first()
    if current is None:
        return EditConflict(_("该记录已被他人删除，您的修改未保存。"), current=None)
    newer, base = [], None
    history = getattr(model, "history", None)
    if history is not None:
        rows = history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")
        newer = list(rows.filter(revision__gt=based_on).order_by("history_date", "history_id"))
        base = rows.filter(revision__lte=based_on).order_by("-history_date", "-history_id").first()
    if not newer:
        return EditConflict(
            _("该记录已被他人修改，您的修改未保存；请核对后重新提交。"), current=current
        )
    latest = newer[-1]
    values = {
        "when": timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M:%S"),
        "who": "、".join(dict.fromkeys(_person(row) for row in newer)),
    }
    if base is None:  # no record of what the change was based on: say who and when
        message = _("该记录已于 %(when)s 被 %(who)s 修改，您的修改未保存；请核对后重新提交。")
        return EditConflict(message % values, current=current)
    changed = [
        str(field.verbose_name)
        for field in _shown_fields(model)
        if getattr(base, field.attname) != getattr(latest, field.attname)
    ]
    if not changed:
        message = _(
            "该记录已于 %(when)s 被 %(who)s 保存（字段未变或只改了明细），您的修改未保存；"
            "请核对后重新提交。"
        )
    else:
        message = _(
            "该记录已于 %(when)s 被 %(who)s 修改（字段：%(fields)s），您的修改未保存；"
            "请核对后重新提交。"
        )
        values["fields"] = "、".join(changed)
    return EditConflict(message % values, current=current)
