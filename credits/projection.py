"""Ex-ante (projected) stock of every plot and species at a date, from the growth curves."""

import datetime
from collections import defaultdict

from django.db.models import Sum

from credits import carbon
from credits.models import CarbonProject
from credits.stock import Parameters, StockRow, _plots, _row
from plantings.models import Planting, Species

DAYS_PER_YEAR = 365.25


def _species() -> dict[int, Species]:
    return {species.pk: species for species in Species.objects.all()}


def projected_stock(
    *, on_date: datetime.date, project: CarbonProject, member=None, plot_ids=None
) -> list[StockRow]:
    """Ex-ante: trees planted × expected survival × projected stock of one tree at its age.
    With `member` or `plot_ids`, only those plots: a plot's rows depend on its plantings only."""
    params = Parameters.of(project)
    species = _species()
    plots = _plots(member, plot_ids)
    plantings = Planting.objects.filter(planted_on__lte=on_date)
    if member is not None:
        plantings = plantings.filter(plot__member=member)
    if plot_ids is not None:
        plantings = plantings.filter(plot_id__in=plot_ids)
    # In one order: a plot's float sums are then the same whichever plots are computed with it.
    plantings = (
        plantings.values_list("plot_id", "species_id", "planted_on")
        .annotate(trees=Sum("trees_planted"))
        .order_by("plot_id", "species_id", "planted_on")
    )
    alive: dict[tuple[int, int], float] = defaultdict(float)
    stock: dict[tuple[int, int], float] = defaultdict(float)
    formula = params.tree_formula()
    # One tree's stock depends on its species and planting day only: at full scale 8,800 cohorts
    # share 4,800 of them, and the growth curves were half of this function's time.
    per_tree_of: dict[tuple[int, datetime.date], float] = {}
    for plot_id, species_id, planted_on, trees in plantings:
        sp = species[species_id]
        surviving = trees * float(sp.expected_survival)
        per_tree = per_tree_of.get((species_id, planted_on))
        if per_tree is None:
            per_tree = per_tree_of[species_id, planted_on] = carbon.projected_tree_co2e_float(
                age_years=(on_date - planted_on).days / DAYS_PER_YEAR,
                dbh_max_cm=sp.growth_dbh_max_cm,
                height_max_m=sp.growth_height_max_m,
                rate_per_year=sp.growth_rate_per_year,
                wood_density_g_cm3=sp.wood_density_g_cm3,
                **formula,
            )
        alive[(plot_id, species_id)] += surviving
        stock[(plot_id, species_id)] += surviving * per_tree
    return [
        _row(plots, plot_id, species_id, round(alive[plot_id, species_id]), value)
        for (plot_id, species_id), value in sorted(stock.items())
    ]
