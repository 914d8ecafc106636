"""Carbon stock of every plot and species at a date, projected (ex-ante) or verified (ex-post).

A handful of queries whatever the size of the data. The database picks the latest survival count
and the latest measuring visit per plot and species (a window ranking by date) and sums the
sample trees' stock with the allometric formula as an expression, so Python sees one row per plot
and species, not every count and sample tree. The query count is pinned in
tests/credits/test_stock.py at two data sizes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Case, Count, F, FloatField, Sum, Value, When, Window
from django.db.models.functions import Cast, DenseRank, Power, RowNumber

from credits import carbon
from credits.models import CarbonProject
from members.models import Plot
from plantings.models import Planting, Species, SurvivalCount, TreeMeasurement

Kind = Literal["verified", "projected"]
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class StockRow:
    """Stock of one species on one plot at a date."""

    plot_id: int
    member_id: int
    community_id: int
    species_id: int
    land_use: str
    trees_alive: int
    co2e_t: Decimal


@dataclass(frozen=True)
class Parameters:
    """The project parameters the formula needs, as floats (read once per computation)."""

    equation: str
    root_shoot_ratio: float
    carbon_fraction: float
    small_tree_co2e_t: float
    min_dbh_cm: float

    @classmethod
    def of(cls, project: CarbonProject) -> "Parameters":
        return cls(
            equation=project.equation,
            root_shoot_ratio=float(project.root_shoot_ratio),
            carbon_fraction=float(project.carbon_fraction),
            small_tree_co2e_t=float(project.small_tree_co2e_t),
            min_dbh_cm=float(project.min_measured_dbh_cm),
        )


def _plots(member=None) -> dict[int, tuple[int, int, str]]:
    """Member, community and land use per plot (the member's community only, if given)."""
    plots = Plot.objects.all()
    if member is not None:
        plots = plots.filter(member__community_id=member.community_id)
    return {
        plot_id: (member_id, community_id, land_use)
        for plot_id, member_id, community_id, land_use in plots.values_list(
            "id", "member_id", "member__community_id", "land_use"
        )
    }


def _species() -> dict[int, Species]:
    return {species.pk: species for species in Species.objects.all()}


def _row(plots, plot_id, species_id, trees_alive, co2e_t) -> StockRow:
    member_id, community_id, land_use = plots[plot_id]
    return StockRow(
        plot_id=plot_id,
        member_id=member_id,
        community_id=community_id,
        species_id=species_id,
        land_use=land_use,
        trees_alive=trees_alive,
        co2e_t=carbon.to_tonnes(co2e_t),
    )


def projected_stock(
    *, on_date: datetime.date, project: CarbonProject, member=None
) -> list[StockRow]:
    """Ex-ante: trees planted × expected survival × projected stock of one tree at its age."""
    params = Parameters.of(project)
    species = _species()
    plots = _plots(member)
    plantings = Planting.objects.filter(planted_on__lte=on_date)
    if member is not None:
        plantings = plantings.filter(plot__member=member)
    plantings = (
        plantings.values_list("plot_id", "species_id", "planted_on")
        .annotate(trees=Sum("trees_planted"))
        .order_by()
    )
    alive: dict[tuple[int, int], float] = defaultdict(float)
    stock: dict[tuple[int, int], float] = defaultdict(float)
    for plot_id, species_id, planted_on, trees in plantings:
        sp = species[species_id]
        surviving = trees * float(sp.expected_survival)
        per_tree = carbon.projected_tree_co2e_float(
            age_years=(on_date - planted_on).days / DAYS_PER_YEAR,
            dbh_max_cm=sp.growth_dbh_max_cm,
            height_max_m=sp.growth_height_max_m,
            rate_per_year=sp.growth_rate_per_year,
            wood_density_g_cm3=sp.wood_density_g_cm3,
            root_shoot_ratio=params.root_shoot_ratio,
            carbon_fraction=params.carbon_fraction,
            equation=params.equation,
            small_tree_co2e_t=params.small_tree_co2e_t,
            min_dbh_cm=params.min_dbh_cm,
        )
        alive[(plot_id, species_id)] += surviving
        stock[(plot_id, species_id)] += surviving * per_tree
    return [
        _row(plots, plot_id, species_id, round(alive[plot_id, species_id]), value)
        for (plot_id, species_id), value in sorted(stock.items())
    ]


def _latest_counts(on_date: datetime.date, member=None) -> dict[tuple[int, int], int]:
    """Trees alive per (plot, species) at the latest visit on or before the date that counted it.

    The database ranks each plot and species' counts by visit date (then visit id, for two
    visits on one day) and returns the first: one row per plot and species, not every count.
    """
    counts = SurvivalCount.objects.filter(visit__visited_on__lte=on_date)
    if member is not None:
        counts = counts.filter(visit__plot__member=member)
    latest = (
        counts.annotate(rank=_latest_first(plot="visit__plot_id", visit="visit_id"))
        .filter(rank=1)
        .values_list("visit__plot_id", "species_id", "trees_alive")
    )
    return {(plot_id, species_id): alive for plot_id, species_id, alive in latest}


def _latest_first(*, plot: str, visit: str, function=RowNumber) -> Window:
    """1 for the latest visit of each plot and species (by date, then visit id), 2, 3... after."""
    return Window(
        function(),
        partition_by=[F(plot), F("species_id")],
        order_by=[F("visit__visited_on").desc(), F(visit).desc()],
    )


def measured_tree_co2e_expression(params: Parameters):
    """carbon.measured_tree_co2e_float as a database expression over TreeMeasurement rows.

    The same formula (the functions of credits/carbon.py, tested against hand-worked values),
    in floats, so the database sums sample trees instead of Python converting every row.
    """
    dbh = Cast("dbh_cm", FloatField())
    product = (
        Cast("species__wood_density_g_cm3", FloatField())
        * dbh
        * dbh
        * Cast("height_m", FloatField())
    )
    if params.equation == "chave2014":
        agb_kg = Value(0.0673) * Power(product, Value(0.976))
    elif params.equation == "chave2005_moist":
        agb_kg = Value(0.0509) * product
    else:
        raise ValueError(f"Unknown biomass equation {params.equation!r}.")
    per_kg_agb = (1 + params.root_shoot_ratio) * params.carbon_fraction * carbon.CO2_PER_C / 1000
    return Case(
        When(dbh_cm__lt=params.min_dbh_cm, then=Value(params.small_tree_co2e_t)),
        default=agb_kg * Value(per_kg_agb),
        output_field=FloatField(),
    )


def _latest_samples(
    on_date: datetime.date, params: Parameters, member=None
) -> dict[tuple[int, int], tuple[float, int]]:
    """(tCO2e summed, number) of the sample trees per (plot, species) measured at the latest
    measuring visit on or before the date: ranked and summed in the database."""
    rows = TreeMeasurement.objects.filter(visit__visited_on__lte=on_date)
    if member is not None:  # the member's community: its samples stand in for unmeasured plots
        rows = rows.filter(visit__plot__member__community_id=member.community_id)
    # Every tree of the latest measuring visit of its plot and species ranks 1 (DENSE_RANK).
    ranked = rows.annotate(
        rank=_latest_first(plot="visit__plot_id", visit="visit_id", function=DenseRank)
    ).filter(rank=1)
    latest = (
        TreeMeasurement.objects.filter(pk__in=ranked.values("pk"))
        .values("visit__plot_id", "species_id")
        .annotate(co2e_t=Sum(measured_tree_co2e_expression(params)), trees=Count("id"))
        .order_by()
        .values_list("visit__plot_id", "species_id", "co2e_t", "trees")
    )
    return {(plot_id, species_id): (co2e_t, n) for plot_id, species_id, co2e_t, n in latest}


def verified_stock(
    *, on_date: datetime.date, project: CarbonProject, member=None
) -> list[StockRow]:
    """Ex-post: latest surviving count × mean stock of the species' sample trees on the plot.

    Where the plot has no measured sample of the species, the mean of that species' latest samples
    in the plot's community stands in; failing that, the small-tree default (trees counted but too
    small to measure). With `member`, only that member's plots (and their community's samples).
    """
    params = Parameters.of(project)
    plots = _plots(member)
    counts = _latest_counts(on_date, member)
    samples = _latest_samples(on_date, params, member)

    plot_mean: dict[tuple[int, int], float] = {}
    community_sum: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for (plot_id, species_id), (total, n) in samples.items():
        plot_mean[(plot_id, species_id)] = total / n
        bucket = community_sum[(plots[plot_id][1], species_id)]
        bucket[0] += total
        bucket[1] += n

    rows = []
    for (plot_id, species_id), alive in sorted(counts.items()):
        mean = plot_mean.get((plot_id, species_id))
        if mean is None:
            total, n = community_sum.get((plots[plot_id][1], species_id), (0.0, 0))
            mean = total / n if n else params.small_tree_co2e_t
        rows.append(_row(plots, plot_id, species_id, alive, alive * mean))
    return rows


def stock_by_member(rows: list[StockRow]) -> dict[int, tuple[int, Decimal]]:
    """Trees alive and tCO2e per member, summed from plot-species rows."""
    totals: dict[int, list] = defaultdict(lambda: [0, Decimal("0")])
    for row in rows:
        totals[row.member_id][0] += row.trees_alive
        totals[row.member_id][1] += row.co2e_t
    return {member_id: (trees, co2e) for member_id, (trees, co2e) in totals.items()}
