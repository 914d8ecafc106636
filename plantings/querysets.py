"""Named reads of plantings and monitoring data for pages and reports.

Aggregation happens in the database, so a page's query count does not grow with the data.
"""

from django.db import models
from django.db.models import Sum


class PlantingQuerySet(models.QuerySet):
    def total_trees(self) -> int:
        return self.aggregate(total=Sum("trees_planted"))["total"] or 0

    def trees_by_species(self):
        """Trees planted per species, one row per species, largest first."""
        return (
            self.values("species_id", "species__local_name", "species__scientific_name")
            .annotate(trees=Sum("trees_planted"))
            .order_by("-trees")
        )
