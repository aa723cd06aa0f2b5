# The platform's concrete model belongs to this app: importing it here registers it.
from registers.core.models import CalendarDay, Correction

from .documents import Document, DocumentChange, DocumentChangeKind, DocumentKind, DocumentStatus
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
from .licences import IntegratedItem, IntegratedItemKind, LicenceReformBatch
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
from .users import User

__all__ = [
    "AdjustmentKind",
    "AdjustmentReason",
    "BodyKind",
    "CalendarDay",
    "Correction",
    "CheckPoint",
    "Conflict",
    "Document",
    "DocumentChange",
    "DocumentChangeKind",
    "DocumentKind",
    "DocumentStatus",
    "DrawnInspector",
    "DrawnTarget",
    "EnforcementBody",
    "EnforcementField",
    "InspectionDraw",
    "InspectionItem",
    "InspectionKind",
    "InspectionTarget",
    "IntegratedItem",
    "IntegratedItemKind",
    "ItemTally",
    "LicenceReformBatch",
    "ListKind",
    "ListLevel",
    "NegativeMeasure",
    "Officer",
    "PowerAdjustment",
    "PowerCategory",
    "PowerItem",
    "ResponsibilityItem",
    "ResponsibilityStage",
    "ResultKind",
    "TownshipDuty",
    "Unit",
    "UnitKind",
    "User",
]
