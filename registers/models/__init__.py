from .calendar import CalendarDay
from .documents import ChangeKind, Document, DocumentChange, DocumentKind, DocumentStatus
from .licences import IntegratedItem, ItemKind, LicenceReformBatch
from .units import Unit, UnitKind
from .users import Role, User
from .workflow import Action, Status, WorkflowQuerySet, WorkflowRecord

__all__ = [
    "Action",
    "CalendarDay",
    "ChangeKind",
    "Document",
    "DocumentChange",
    "DocumentKind",
    "DocumentStatus",
    "IntegratedItem",
    "ItemKind",
    "LicenceReformBatch",
    "Role",
    "Status",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowQuerySet",
    "WorkflowRecord",
]
