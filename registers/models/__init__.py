from .calendar import CalendarDay
from .power import (
    AdjustmentKind,
    AdjustmentReason,
    ListKind,
    ListLevel,
    NegativeMeasure,
    PowerAdjustment,
    PowerCategory,
    PowerItem,
    ResponsibilityItem,
    ResponsibilityStage,
    TownshipDuty,
)
from .units import Unit, UnitKind
from .users import Role, User
from .workflow import Action, Status, WorkflowQuerySet, WorkflowRecord

__all__ = [
    "Action",
    "AdjustmentKind",
    "AdjustmentReason",
    "CalendarDay",
    "ListKind",
    "ListLevel",
    "NegativeMeasure",
    "PowerAdjustment",
    "PowerCategory",
    "PowerItem",
    "ResponsibilityItem",
    "ResponsibilityStage",
    "Role",
    "Status",
    "TownshipDuty",
    "Unit",
    "UnitKind",
    "User",
    "WorkflowQuerySet",
    "WorkflowRecord",
]
