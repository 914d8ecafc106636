"""Import-export resources of plantings and monitoring rows, for the Django admin."""

from import_export import fields

from imports.resources.base import ServiceResource
from plantings.models import Planting, SurvivalCount, TreeMeasurement


class PlantingResource(ServiceResource):
    kind = "plantings"
    plot_code = fields.Field(attribute="plot__code", column_name="plot_code")
    species = fields.Field(attribute="species__scientific_name", column_name="species")

    class Meta:
        model = Planting
        fields = (
            "plot_code",
            "species",
            "planted_on",
            "trees_planted",
            "nursery_batch",
            "arrangement",
        )
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
        fields = (
            "plot_code",
            "visited_on",
            "technician",
            "species",
            "trees_alive",
            "trees_dead",
            "trees_replanted",
            "loss_cause",
            "notes",
            "external_id",
        )
        export_order = fields
        import_id_fields = ()


class TreeMeasurementResource(VisitRowResource):
    kind = "measurements"

    class Meta:
        model = TreeMeasurement
        fields = (
            "plot_code",
            "visited_on",
            "technician",
            "species",
            "dbh_cm",
            "height_m",
            "tree_tag",
            "latitude",
            "longitude",
        )
        export_order = fields
        import_id_fields = ()
