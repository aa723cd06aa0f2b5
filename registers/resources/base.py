"""The base resources of both apps' registers: the platform's, with the readable keys by
which a file names this project's records (a unit by its name, a document by its number)."""

from __future__ import annotations

from collections.abc import Callable

from registers.core.exchange import columns
from registers.core.models import WorkflowRecord
from registers.docnumbers import normalise_document_number

# Readable keys for foreign keys, by target model label: (field, normaliser).
FOREIGN_KEY_NAMES: dict[str, tuple[str, Callable[[str], str] | None]] = {
    "registers.unit": ("name", None),
    "registers.document": ("number", normalise_document_number),
    "registers.enforcementbody": ("name", None),
    "registers.inspectionitem": ("code", None),
    "registers.licencereformbatch": ("name", None),
    "registers.user": ("username", None),
    "reviews.decisioncatalogue": ("title", None),
    "reviews.evaluationround": ("name", None),
}


class ScopedResource(columns.ScopedResource):
    reference_keys = FOREIGN_KEY_NAMES


class WorkflowResource(columns.WorkflowResource):
    reference_keys = FOREIGN_KEY_NAMES


def register_meta(model) -> type:
    """The ``Meta`` of a register's resource: its ``model`` and its columns in the order of
    the form: the unit (where a record belongs to one), the model's ``register_fields``, and
    the review status of a workflow record. A resource with other columns writes its own."""
    fields = list(model.register_fields)
    if columns.has_unit(model):
        fields.insert(0, "unit")
    if issubclass(model, WorkflowRecord):
        fields.append("status")
    return type("Meta", (ScopedResource.Meta,), {"model": model, "fields": fields})
