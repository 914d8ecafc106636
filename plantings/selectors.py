"""Reads for the staff pages: survival by species, visit timelines, survival over time.

Every function runs a fixed number of queries whatever the number of plots, plantings or visits
(aggregation in the database; Python only merges a handful of per-species or per-visit rows).
`plots` is a Plot queryset (a member's plots, or one plot), used as a subquery.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from plantings.models import MonitoringVisit, Planting, SurvivalCount


def survival_pct(alive: int | None, planted: int | None) -> Decimal | None:
    """Trees alive as a percentage of trees planted, one decimal; None when unknown."""
    if alive is None or not planted:
        return None
    return (Decimal(alive) * 100 / Decimal(planted)).quantize(Decimal("0.1"))


def latest_survival_by_species(plots) -> list[dict]:
    """Per species planted on `plots`: trees planted, and trees alive/dead at the latest visit of
    each plot that counted that species (summed over the plots). Three queries.

    Rows: species_id, local_name, scientific_name, planted, alive, dead, last_visit, survival_pct.
    """
    # The plots' ids first: given the plots as a subquery, PostgreSQL ran the latest-visit
    # subquery below for all 225,000 counts before narrowing them to the member's plots (1.3 s
    # for one member page at full scale; 2 ms with the ids).
    plots = list(plots.values_list("pk", flat=True))
    planted_rows = Planting.objects.filter(plot__in=plots).trees_by_species()
    latest_visit_on = (
        SurvivalCount.objects.filter(
            visit__plot_id=OuterRef("visit__plot_id"), species_id=OuterRef("species_id")
        )
        .order_by("-visit__visited_on")
        .values("visit__visited_on")[:1]
    )
    counted = (
        SurvivalCount.objects.filter(visit__plot__in=plots)
        .alias(latest_on=Subquery(latest_visit_on))
        .filter(visit__visited_on=F("latest_on"))
        .values("species_id")
        .annotate(
            alive=Sum("trees_alive"), dead=Sum("trees_dead"), last_visit=Max("visit__visited_on")
        )
        .order_by()
    )
    by_species = {row["species_id"]: row for row in counted}
    rows = []
    for row in planted_rows:
        seen = by_species.get(row["species_id"], {})
        rows.append(
            {
                "species_id": row["species_id"],
                "local_name": row["species__local_name"],
                "scientific_name": row["species__scientific_name"],
                "planted": row["trees"],
                "alive": seen.get("alive"),
                "dead": seen.get("dead"),
                "last_visit": seen.get("last_visit"),
                "survival_pct": survival_pct(seen.get("alive"), row["trees"]),
            }
        )
    return rows


def visits_with_totals(visits):
    """Visits annotated with trees alive/dead/replanted and the number of sample trees.

    Subqueries rather than joins, so the two child tables do not multiply each other's sums.
    """
    counts = SurvivalCount.objects.filter(visit_id=OuterRef("pk")).order_by().values("visit_id")

    def total(field):
        return Coalesce(
            Subquery(counts.annotate(t=Sum(field)).values("t")[:1], output_field=IntegerField()),
            0,
        )

    return visits.select_related("plot", "plot__member").annotate(
        trees_alive=total("trees_alive"),
        trees_dead=total("trees_dead"),
        trees_replanted=total("trees_replanted"),
        sample_trees=Coalesce(
            Subquery(
                MonitoringVisit.objects.filter(pk=OuterRef("pk"))
                .annotate(n=Count("measurements"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def survival_over_time(plot) -> list[dict]:
    """One row per visit of a plot: trees alive, trees planted by that date, survival %.

    Two queries: the plot's plantings (a few rows) and its visits with totals.
    """
    plantings = list(
        Planting.objects.filter(plot=plot)
        .order_by("planted_on")
        .values_list("planted_on", "trees_planted")
    )
    rows = []
    visits = visits_with_totals(MonitoringVisit.objects.filter(plot=plot)).order_by("visited_on")
    for visit in visits:
        planted = planted_by(plantings, visit.visited_on)
        rows.append(
            {
                "visit": visit,
                "planted": planted,
                "alive": visit.trees_alive,
                "survival_pct": survival_pct(visit.trees_alive, planted),
            }
        )
    return rows


def planted_by(plantings: list[tuple[datetime.date, int]], day: datetime.date) -> int:
    """Trees planted on or before `day`, from (planted_on, trees_planted) pairs."""
    return sum(n for planted_on, n in plantings if planted_on <= day)
