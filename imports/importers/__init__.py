"""One importer per kind of spreadsheet: how a row becomes a record, and its natural key."""

from imports.importers.geo import BoundaryImporter, ScreeningImporter
from imports.importers.members import MemberImporter
from imports.importers.records import PlantingImporter, PlotImporter
from imports.importers.visits import MeasurementImporter, SurvivalImporter

IMPORTERS = {
    "members": MemberImporter,
    "plots": PlotImporter,
    "plantings": PlantingImporter,
    "visits": SurvivalImporter,
    "measurements": MeasurementImporter,
    "boundaries": BoundaryImporter,
    "screenings": ScreeningImporter,
}
