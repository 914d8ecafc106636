"""Carbon stock of every plot and species at a date, projected (ex-ante) or verified (ex-post).

A handful of queries whatever the size of the data: the rows are fetched with plain SELECTs (the
latest survival count and the latest measuring visit per plot and species are picked in Python
while streaming the rows in date order), then the formula runs per plot and species. The query
count is pinned in tests/credits/test_stock.py at two data sizes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import FloatField, Sum
from django.db.models.functions import Cast

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
    """Trees alive per (plot, species) at the latest visit on or before the date that counted it."""
    counts = SurvivalCount.objects.filter(visit__visited_on__lte=on_date)
    if member is not None:
        counts = counts.filter(visit__plot__member=member)
    counts = counts.order_by("visit__visited_on").values_list(
        "visit__plot_id", "species_id", "trees_alive"
    )
    # Rows arrive in date order, so the last one written per key is the latest.
    return {(plot_id, species_id): alive for plot_id, species_id, alive in counts.iterator(5000)}


def _latest_samples(on_date: datetime.date, member=None) -> dict[tuple[int, int], list[tuple]]:
    """Sample trees (DBH, height) per (plot, species) measured at the latest measuring visit."""
    rows = TreeMeasurement.objects.filter(visit__visited_on__lte=on_date)
    if member is not None:  # the member's community: its samples stand in for unmeasured plots
        rows = rows.filter(visit__plot__member__community_id=member.community_id)
    # Floats and the visit id rather than Decimals and dates: ~200,000 rows convert much faster.
    rows = rows.order_by("visit__visited_on", "visit_id").values_list(
        "visit__plot_id",
        "species_id",
        "visit_id",
        Cast("dbh_cm", FloatField()),
        Cast("height_m", FloatField()),
    )
    latest: dict[tuple[int, int], tuple[int, list]] = {}
    for plot_id, species_id, visit_id, dbh_cm, height_m in rows.iterator(5000):
        key = (plot_id, species_id)
        current = latest.get(key)
        # Rows arrive in date order: another visit of the same plot is a later one.
        if current is None or current[0] != visit_id:
            current = latest[key] = (visit_id, [])
        current[1].append((dbh_cm, height_m))
    return {key: trees for key, (_day, trees) in latest.items()}


def verified_stock(
    *, on_date: datetime.date, project: CarbonProject, member=None
) -> list[StockRow]:
    """Ex-post: latest surviving count × mean stock of the species' sample trees on the plot.

    Where the plot has no measured sample of the species, the mean of that species' latest samples
    in the plot's community stands in; failing that, the small-tree default (trees counted but too
    small to measure). With `member`, only that member's plots (and their community's samples).
    """
    params = Parameters.of(project)
    species = _species()
    plots = _plots(member)
    counts = _latest_counts(on_date, member)
    samples = _latest_samples(on_date, member)

    plot_mean: dict[tuple[int, int], float] = {}
    community_sum: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    for (plot_id, species_id), trees in samples.items():
        rho = species[species_id].wood_density_g_cm3
        total = sum(
            carbon.measured_tree_co2e_float(
                dbh_cm=dbh_cm,
                height_m=height_m,
                wood_density_g_cm3=rho,
                root_shoot_ratio=params.root_shoot_ratio,
                carbon_fraction=params.carbon_fraction,
                equation=params.equation,
                small_tree_co2e_t=params.small_tree_co2e_t,
                min_dbh_cm=params.min_dbh_cm,
            )
            for dbh_cm, height_m in trees
        )
        plot_mean[(plot_id, species_id)] = total / len(trees)
        bucket = community_sum[(plots[plot_id][1], species_id)]
        bucket[0] += total
        bucket[1] += len(trees)

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
