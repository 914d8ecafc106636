"""The admin's Import/Export buttons run the import pipeline (imports.services).

The domain apps' admins use django-import-export's mixin but cannot import this app (it sits above
them), so the resources are attached here, after every admin module has been registered.
"""

from django.contrib import admin

from imports.resources.members import MemberResource, PlotResource
from imports.resources.plantings import (
    PlantingResource,
    SurvivalCountResource,
    TreeMeasurementResource,
)
from members.models import Member, Plot
from plantings.models import Planting, SurvivalCount, TreeMeasurement

RESOURCES = {
    Member: [MemberResource],
    Plot: [PlotResource],
    Planting: [PlantingResource],
    SurvivalCount: [SurvivalCountResource],
    TreeMeasurement: [TreeMeasurementResource],
}

for model, resource_classes in RESOURCES.items():
    admin.site.get_model_admin(model).resource_classes = resource_classes
