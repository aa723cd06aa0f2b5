from .calendar import CalendarDay
from .units import Unit, UnitKind
from .users import Role, User
from .workflow import Action, Status, WorkflowQuerySet, WorkflowRecord

__all__ = [
    "Action",
    "CalendarDay",
    "Role",
    "Status",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowQuerySet",
    "WorkflowRecord",
]
