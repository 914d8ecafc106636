from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlantingsConfig(AppConfig):
    name = "plantings"
    verbose_name = _("plantings")

    def ready(self):
        from core import changes
        from plantings.field_lock import FieldDataLock, LateDataEntry
        from plantings.models import MonitoringVisit, SurvivalCount, TreeMeasurement

        # Every save, delete and bulk write of this app's data moves a generation
        # (core/changes.py): "plantings" for what was planted (and the species), "visits" for
        # what was counted and measured. A visit leaves the plantings report and the projected
        # stock cached; both move the survival and verified stock figures.
        models = [m for m in self.get_models() if not m.__name__.startswith("Historical")]
        visits = (MonitoringVisit, SurvivalCount, TreeMeasurement, FieldDataLock, LateDataEntry)
        changes.track_models(models, topic="plantings", overrides=dict.fromkeys(visits, "visits"))
