"""One importer per kind of spreadsheet: how a row becomes a record, and its natural key."""

from acopagro.dataio.importers.records import MemberImporter, PlantingImporter, PlotImporter
from acopagro.dataio.importers.visits import MeasurementImporter, SurvivalImporter

IMPORTERS = {
    "members": MemberImporter,
    "plots": PlotImporter,
    "plantings": PlantingImporter,
    "visits": SurvivalImporter,
    "measurements": MeasurementImporter,
}
