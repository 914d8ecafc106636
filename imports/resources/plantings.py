"""Import-export resources of plantings and monitoring rows, for the Django admin."""

from import_export import fields

from imports.columns import column_names
from imports.columns.field_data import MEASUREMENT_COLUMNS, PLANTING_COLUMNS, VISIT_COLUMNS
from imports.resources.base import ServiceResource
from plantings.models import Planting, SurvivalCount, TreeMeasurement


class PlantingResource(ServiceResource):
    kind = "plantings"
    plot_code = fields.Field(attribute="plot__code", column_name="plot_code")
    species = fields.Field(attribute="species__scientific_name", column_name="species")

    class Meta:
        model = Planting
        fields = column_names(PLANTING_COLUMNS)
        export_order = fields
        import_id_fields = ()


class VisitRowResource(ServiceResource):
    plot_code = fields.Field(attribute="visit__plot__code", column_name="plot_code")
    visited_on = fields.Field(attribute="visit__visited_on", column_name="visited_on")
    technician = fields.Field(attribute="visit__technician", column_name="technician")
    species = fields.Field(attribute="species__scientific_name", column_name="species")


class SurvivalCountResource(VisitRowResource):
    kind = "visits"
    notes = fields.Field(attribute="visit__notes", column_name="notes")
    external_id = fields.Field(attribute="visit__external_id", column_name="external_id")

    class Meta:
        model = SurvivalCount
        fields = column_names(VISIT_COLUMNS)
        export_order = fields
        import_id_fields = ()


class TreeMeasurementResource(VisitRowResource):
    kind = "measurements"

    class Meta:
        model = TreeMeasurement
        fields = column_names(MEASUREMENT_COLUMNS, leave_out=("external_id",))
        export_order = fields
        import_id_fields = ()
