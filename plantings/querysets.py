"""Named reads of plantings and monitoring data for pages and reports.

Aggregation happens in the database, so a page's query count does not grow with the data.
"""

from django.apps import apps
from django.db.models import Count, F, IntegerField, Max, OuterRef, Subquery, Sum, Window
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from core.changes import TrackedQuerySet


class PlantingQuerySet(TrackedQuerySet):
    def total_trees(self) -> int:
        return self.aggregate(total=Sum("trees_planted"))["total"] or 0

    def trees_by_species(self):
        """Trees planted per species, one row per species, largest first."""
        return (
            self.values("species_id", "species__local_name", "species__scientific_name")
            .annotate(trees=Sum("trees_planted"))
            .order_by("-trees")
        )

    def trees_by_year(self):
        """Trees planted and plantings per calendar year, oldest first."""
        return (
            self.order_by()
            .annotate(year=ExtractYear("planted_on"))
            .values("year")
            .annotate(trees=Sum("trees_planted"), plantings=Count("id"))
            .order_by("year")
        )

    def trees_by_community(self):
        """Trees planted per community of the plot's member, largest first."""
        return (
            self.order_by()
            .values("plot__member__community_id", "plot__member__community__name")
            .annotate(trees=Sum("trees_planted"))
            .order_by("-trees", "plot__member__community__name")
        )


class SurvivalCountQuerySet(TrackedQuerySet):
    """Survival counts seen the way reports need them: at the latest visit, against trees planted
    (SurvivalCount.objects)."""

    def _visits(self):
        return apps.get_model("plantings", "MonitoringVisit").objects.order_by()

    def at_latest_visit(self, on_date=None):
        """Counts from each plot's latest visit on or before `on_date` (the last known state)."""
        visits = self._visits().filter(plot_id=OuterRef("visit__plot_id"))
        if on_date is not None:
            visits = visits.filter(visited_on__lte=on_date)
        latest = visits.order_by("-visited_on").values("visited_on")[:1]
        return self.filter(visit__visited_on=Subquery(latest))

    def at_last_visit_of_year(self, plot_ids=None):
        """Counts from each plot's last visit of every calendar year, annotated with `year`;
        pass `plot_ids` when the counts are narrowed to some plots."""
        # One window pass ranks every plot's visits within each year (a plot has one visit a
        # day); a correlated subquery per visit cost three times as much at full scale. The
        # window is partitioned by plot, so it may rank only the plots asked for: PostgreSQL
        # does not push the outer plot filter into it, and ranking all 70,000 visits for the
        # one plot a saved visit refreshes took 100 of the save's 200 ms at full scale.
        visits = self._visits()
        if plot_ids is not None:
            visits = visits.filter(plot_id__in=plot_ids)
        last_of_year = (
            visits.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("plot_id"), ExtractYear("visited_on")],
                    order_by=[F("visited_on").desc()],
                )
            )
            .filter(rank=1)
            .values("pk")
        )
        return self.annotate(year=ExtractYear("visit__visited_on")).filter(
            visit_id__in=last_of_year
        )

    def with_planted(self):
        """Annotate `planted`: trees of the count's species planted on its plot by the visit."""
        return self.annotate(planted=self._planted())

    def _planted(self):
        plantings = apps.get_model("plantings", "Planting").objects.order_by()
        planted = (
            plantings.filter(
                plot_id=OuterRef("visit__plot_id"),
                species_id=OuterRef("species_id"),
                planted_on__lte=OuterRef("visit__visited_on"),
            )
            .values("plot_id")
            .annotate(total=Sum("trees_planted"))
            .values("total")
        )
        return Coalesce(Subquery(planted, output_field=IntegerField()), 0)

    def survival_totals(self) -> dict:
        """{"alive": trees alive, "planted": trees planted they are measured against}."""
        # Sum the subquery itself: aggregate() over a subquery annotation loses it (Django 5.2).
        totals = self.aggregate(alive=Sum("trees_alive"), planted=Sum(self._planted()))
        return {"alive": totals["alive"] or 0, "planted": totals["planted"] or 0}

    def survival_by(self, *fields):
        """Trees alive and planted grouped by `fields` (e.g. "species_id", "year"), one query."""
        return (
            self.with_planted()
            .values(*fields)
            .annotate(
                alive=Sum("trees_alive"),
                planted=Sum("planted"),
                last_visit=Max("visit__visited_on"),
            )
            .order_by(*fields)
        )
