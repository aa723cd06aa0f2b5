from .calendar import CalendarDay
from .documents import Document, DocumentChange, DocumentChangeKind, DocumentKind, DocumentStatus
from .licences import IntegratedItem, IntegratedItemKind, LicenceReformBatch
from .units import Unit, UnitKind
from .users import Role, User
from .workflow import Action, Status, WorkflowQuerySet, WorkflowRecord

__all__ = [
    "Action",
    "CalendarDay",
    "DocumentChangeKind",
    "Document",
    "DocumentChange",
    "DocumentKind",
    "DocumentStatus",
    "IntegratedItem",
    "IntegratedItemKind",
    "LicenceReformBatch",
    "Role",
    "Status",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowQuerySet",
    "WorkflowRecord",
]
