from .calendar import CalendarDay
from .enforcement import BodyKind, Conflict, EnforcementBody, EnforcementField, Officer
from .inspections import (
    CheckPoint,
    DrawnInspector,
    DrawnTarget,
    InspectionDraw,
    InspectionItem,
    InspectionKind,
    InspectionTarget,
    ItemTally,
    ResultKind,
)
from .units import Unit, UnitKind
from .users import Role, User
from .workflow import Action, Status, WorkflowQuerySet, WorkflowRecord

__all__ = [
    "Action",
    "BodyKind",
    "CalendarDay",
    "CheckPoint",
    "Conflict",
    "DrawnInspector",
    "DrawnTarget",
    "EnforcementBody",
    "EnforcementField",
    "InspectionDraw",
    "InspectionItem",
    "InspectionKind",
    "InspectionTarget",
    "ItemTally",
    "Officer",
    "ResultKind",
    "Role",
    "Status",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowQuerySet",
    "WorkflowRecord",
]
