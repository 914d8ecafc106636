"""Tree species, the reforestation programme, plantings and field monitoring."""

from plantings.field_lock import FieldDataLock, LateDataEntry
from plantings.models_planting import (
    DBH_CM_MAX,
    DEFAULT_PROGRAMME,
    HEIGHT_M_MAX,
    Planting,
    Programme,
    Species,
)
from plantings.models_visits import (
    MonitoringVisit,
    SurvivalCount,
    TreeMeasurement,
    check_visit_open,
    trees_planted_before,
    trees_replanted_before,
)

__all__ = [
    "DBH_CM_MAX",
    "DEFAULT_PROGRAMME",
    "HEIGHT_M_MAX",
    "FieldDataLock",
    "LateDataEntry",
    "MonitoringVisit",
    "Planting",
    "Programme",
    "Species",
    "SurvivalCount",
    "TreeMeasurement",
    "check_visit_open",
    "trees_planted_before",
    "trees_replanted_before",
]
