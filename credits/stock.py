"""Carbon stock of every plot and species at a date, projected (ex-ante) or verified (ex-post).

Verified stock is computed per cohort (a planting, credits/cohorts.py) in a handful of queries
whatever the size of the data: the database picks the latest survival count per plot and species
and the latest measured sample trees per plot, species and planting (a window ranking by date),
and sums their above-ground biomass with the allometric formula as an expression, so Python sees
one row per cohort, not every count and sample tree. Per plot, the root-to-shoot ratio follows
from AGB per hectare (IPCC 2006 vol. 4 table 4.4); per stratum (species × planting year) the
sampling error of the mean may cost a deduction (credits/uncertainty.py). The query count is
pinned in tests/credits/test_stock.py at two data sizes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from credits import carbon
from credits.cohorts import Cohort, Sums, attribute_survivors, by_plot_species, owner_of_samples
from credits.models import CarbonProject
from credits.stock_queries import (  # noqa: F401  (re-exported: tests and the summaries use them)
    COLLAR_HEIGHT_M,
    _latest_counts,
    _latest_sample_sums,
    measured_tree_agb_expression,
    measured_tree_co2e_expression,
)
from credits.uncertainty import SampleStats, deduction_share
from members.models import Plot
from plantings.models import Planting

Kind = Literal["verified", "projected"]
# IPCC 2006 GL vol. 4 table 4.4, tropical moist deciduous forest: R by above-ground biomass.
AGB_THRESHOLD_T_HA = 125.0
R_BELOW, R_ABOVE = 0.20, 0.24


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
    unmeasured_trees: int = 0
    unmeasured_co2e_t: Decimal = Decimal("0")
    deduction_co2e_t: Decimal = Decimal("0")


@dataclass(frozen=True)
class Parameters:
    """The project parameters the formula needs, as floats (read once per computation)."""

    equation: str
    root_shoot_ratio: float
    carbon_fraction: float
    small_tree_co2e_t: float
    min_dbh_cm: float
    ratio_by_plot: bool = True
    small_trees_count_zero: bool = True
    unmeasured_tree_co2e_t: float = 0.0
    uncertainty_deduction: bool = True
    max_sampling_error: float = 0.10

    @classmethod
    def of(cls, project: CarbonProject) -> "Parameters":
        return cls(
            equation=project.equation,
            root_shoot_ratio=float(project.root_shoot_ratio),
            carbon_fraction=float(project.carbon_fraction),
            small_tree_co2e_t=float(project.small_tree_co2e_t),
            min_dbh_cm=float(project.min_measured_dbh_cm),
            ratio_by_plot=project.root_shoot_rule == CarbonProject.RootShootRule.IPCC_TABLE,
            small_trees_count_zero=project.small_trees_count_zero,
            unmeasured_tree_co2e_t=float(project.unmeasured_tree_co2e_t),
            uncertainty_deduction=project.uncertainty_deduction,
            max_sampling_error=float(project.max_sampling_error),
        )

    def ratio(self, agb_t_per_ha: float) -> float:
        """Root-to-shoot ratio of a plot: by its AGB per hectare, or the fixed setting."""
        if not self.ratio_by_plot:
            return self.root_shoot_ratio
        return R_ABOVE if agb_t_per_ha > AGB_THRESHOLD_T_HA else R_BELOW

    def co2e_per_agb_kg(self, ratio: float) -> float:
        """tCO2e per kg of above-ground biomass: (1 + R) × CF × 44/12 / 1000."""
        return (1 + ratio) * self.carbon_fraction * carbon.CO2_PER_C / 1000

    def tree_formula(self) -> dict:
        """The project's arguments of carbon.measured_tree_co2e_float (all but the tree's size
        and wood density); a tree under the smallest DBH counts 0 when the project says so."""
        return {
            "root_shoot_ratio": self.root_shoot_ratio,
            "carbon_fraction": self.carbon_fraction,
            "equation": self.equation,
            "small_tree_co2e_t": 0.0 if self.small_trees_count_zero else self.small_tree_co2e_t,
            "min_dbh_cm": self.min_dbh_cm,
        }

    @property
    def small_tree_agb_kg(self) -> float:
        """What a tree under the smallest DBH (or measured at the collar) counts, in kg AGB: 0,
        or the small-tree default stock expressed as AGB at the lower ratio."""
        if self.small_trees_count_zero:
            return 0.0
        return self.small_tree_co2e_t / self.co2e_per_agb_kg(self.ratio(0.0))


def _plots(member=None, plot_ids=None) -> dict[int, tuple[int, int, str, float]]:
    """Member, community, land use and area per plot (the member's plots only, if given)."""
    plots = Plot.objects.all()
    if member is not None:
        plots = plots.filter(member=member)
    if plot_ids is not None:
        plots = plots.filter(pk__in=plot_ids)
    return {
        plot_id: (member_id, community_id, land_use, float(area_ha))
        for plot_id, member_id, community_id, land_use, area_ha in plots.values_list(
            "id", "member_id", "member__community_id", "land_use", "area_ha"
        )
    }


def _row(plots, plot_id, species_id, trees_alive, co2e_t, **extra) -> StockRow:
    member_id, community_id, land_use, _area = plots[plot_id]
    return StockRow(
        plot_id=plot_id,
        member_id=member_id,
        community_id=community_id,
        species_id=species_id,
        land_use=land_use,
        trees_alive=trees_alive,
        co2e_t=carbon.to_tonnes(co2e_t),
        **extra,
    )


def _cohorts(on_date: datetime.date, plot_ids=None) -> list[Cohort]:
    """Plantings up to the date, in planting order (id): every float sum over cohorts then runs
    in one order, so a summary refreshed for a few plots equals one rebuilt for all."""
    plantings = Planting.objects.filter(planted_on__lte=on_date)
    if plot_ids is not None:
        plantings = plantings.filter(plot_id__in=plot_ids)
    return [
        Cohort(*row)
        for row in plantings.order_by("id").values_list(
            "id", "plot_id", "species_id", "planted_on", "trees_planted"
        )
    ]


def _own_samples(cohorts: list[Cohort], samples) -> dict[int, Sums]:
    """Sample sums per planting: tagged trees first, then untagged trees of a lone cohort."""
    groups = by_plot_species(cohorts)
    own: dict[int, Sums] = {}
    for plot_id, species_id, planting_id, day, sums in sorted(
        samples, key=lambda row: row[2] is None
    ):
        owner = owner_of_samples(groups.get((plot_id, species_id), []), planting_id, day)
        if owner is not None and (planting_id is not None or owner not in own):
            own[owner] = sums
    return own


@dataclass(frozen=True)
class CohortRow:
    """Stock of one cohort at a date; co2e_t is net of the sampling-error deduction."""

    cohort: Cohort
    trees_alive: int
    valued_by: str  # "own", "stratum" or "unmeasured"
    agb_t: float
    co2e_t: float
    deduction_co2e_t: float
    unmeasured_co2e_t: float


@dataclass
class StockAt:
    """Verified stock at a date: per cohort, and the strata's sampling statistics."""

    on_date: datetime.date
    plots: dict
    cohorts: list[CohortRow]
    strata: dict[tuple[int, int], dict]
    # Each cohort's own sample trees, for the cohorts that have some (planting id -> (cohort,
    # Sums)), in planting order: what the strata pooled (credits/year_end_writes.py keeps them).
    samples: dict[int, tuple[Cohort, Sums]] = field(default_factory=dict)

    def rows(self) -> list[StockRow]:
        """One row per plot and species, summed over its cohorts."""
        sums: dict[tuple[int, int], list] = defaultdict(lambda: [0, 0.0, 0, 0.0, 0.0])
        for row in self.cohorts:
            bucket = sums[(row.cohort.plot_id, row.cohort.species_id)]
            bucket[0] += row.trees_alive
            bucket[1] += row.co2e_t
            bucket[2] += row.trees_alive if row.valued_by == "unmeasured" else 0
            bucket[3] += row.unmeasured_co2e_t
            bucket[4] += row.deduction_co2e_t
        return [
            _row(
                self.plots,
                plot_id,
                species_id,
                alive,
                co2e,
                unmeasured_trees=unmeasured,
                unmeasured_co2e_t=carbon.to_tonnes(unmeasured_co2e),
                deduction_co2e_t=carbon.to_tonnes(deduction),
            )
            for (plot_id, species_id), (
                alive,
                co2e,
                unmeasured,
                unmeasured_co2e,
                deduction,
            ) in sorted(sums.items())
        ]


def _strata(cohorts, own: dict[int, Sums], params: Parameters) -> dict[tuple[int, int], dict]:
    """Pooled sample sums, mean AGB, 90 % half-width, sampling error and deduction per stratum
    (cohorts in planting order)."""
    pooled: dict[tuple[int, int], Sums] = defaultdict(Sums)
    for cohort in cohorts:
        if cohort.planting_id in own:
            pooled[cohort.stratum].add(own[cohort.planting_id])
    return strata_of(pooled, params)


def strata_of(pooled: dict[tuple[int, int], Sums], params: Parameters) -> dict:
    strata = {}
    for key, sums in pooled.items():
        stats = SampleStats.of(sums.n, sums.agb_kg, sums.agb_kg2)
        error = stats.sampling_error
        strata[key] = {
            "species_id": key[0],
            "age_class": key[1],
            "sums": sums,
            "sample_trees": stats.n,
            "mean_agb_kg": stats.mean,
            "half_width_agb_kg": stats.half_width,
            "sampling_error": error,
            "deduction_share": deduction_share(
                error, max_error=params.max_sampling_error, enabled=params.uncertainty_deduction
            ),
        }
    return strata


@dataclass(frozen=True)
class Readings:
    """What the field sheets say on a day: the latest survival count per plot and species, and
    the sums of the latest sample trees per plot, species and planting. Most of a stock
    computation's time, and they read visits, counts and sample trees only, never plantings:
    the reports keep them cached by those topics (reports/credit_reports.py)."""

    counts: dict
    samples: list


def readings_at(on_date: datetime.date, project: CarbonProject) -> Readings:
    params = Parameters.of(project)
    return Readings(_latest_counts(on_date), _latest_sample_sums(on_date, params))


def stock_at(
    *,
    on_date: datetime.date,
    project: CarbonProject,
    member=None,
    deduct: bool = False,
    readings: Readings | None = None,
) -> StockAt:
    """Verified stock per cohort at a date (the member's plots only, if given).

    With `deduct`, each stratum's stock is reduced by its sampling-error deduction, as the
    ledger of a monitoring period does; reports show the estimate itself. `readings` (of the
    whole cooperative on that day, from readings_at) saves reading the field data again.
    """
    params = Parameters.of(project)
    plots = _plots(member)
    if readings is None:
        counts = _latest_counts(on_date, member)
        samples = _latest_sample_sums(on_date, params)
    else:
        counts, samples = readings.counts, readings.samples
    cohorts = _cohorts(on_date)
    own = _own_samples(cohorts, samples)
    strata = _strata(cohorts, own, params)
    rows = value_cohorts(cohorts, counts, own, strata, plots, params, deduct=deduct)
    samples = {c.planting_id: (c, own[c.planting_id]) for c in cohorts if c.planting_id in own}
    return StockAt(on_date=on_date, plots=plots, cohorts=rows, strata=strata, samples=samples)


def value_cohorts(cohorts, counts, own, strata, plots, params: Parameters, *, deduct: bool):
    """The stock of each cohort (in planting order) on the plots given: survivors of the latest
    count attributed youngest first, valued by own or stratum sample trees; cohorts of a plot and
    species never counted hold no verified stock and get no row."""
    valued = []  # (cohort, alive, valued_by, mean AGB kg per tree)
    for (plot_id, species_id), group in by_plot_species(cohorts).items():
        if plot_id not in plots or (plot_id, species_id) not in counts:
            continue  # verified stock needs a count
        counted, counted_on = counts.get((plot_id, species_id), (0, None))
        # A cohort planted after the latest count is not counted yet: it holds nothing verified.
        alive = dict.fromkeys((c.planting_id for c in group), 0)
        if counted_on is not None:
            alive |= attribute_survivors([c for c in group if c.planted_on <= counted_on], counted)
        for cohort in group:
            if cohort.planting_id in own:
                valued.append((cohort, alive[cohort.planting_id], "own", own[cohort.planting_id]))
            elif cohort.stratum in strata:
                valued.append(
                    (cohort, alive[cohort.planting_id], "stratum", strata[cohort.stratum]["sums"])
                )
            else:
                valued.append((cohort, alive[cohort.planting_id], "unmeasured", None))
    agb_per_plot: dict[int, float] = defaultdict(float)
    for cohort, alive, _how, sums in valued:
        if sums is not None:
            agb_per_plot[cohort.plot_id] += alive * sums.mean_agb_kg / 1000
    rows = []
    for cohort, alive, how, sums in valued:
        if sums is None:
            rows.append(
                CohortRow(cohort, alive, how, 0.0, 0.0, 0.0, alive * params.unmeasured_tree_co2e_t)
            )
            continue
        agb_t = alive * sums.mean_agb_kg / 1000
        area_ha = plots[cohort.plot_id][3]
        ratio = params.ratio(agb_per_plot[cohort.plot_id] / area_ha if area_ha else 0.0)
        gross = agb_t * 1000 * params.co2e_per_agb_kg(ratio)
        share = strata[cohort.stratum]["deduction_share"] if cohort.stratum in strata else 0.0
        deduction = gross * share if deduct else 0.0
        rows.append(CohortRow(cohort, alive, how, agb_t, gross - deduction, deduction, 0.0))
    return rows


def verified_stock(
    *, on_date: datetime.date, project: CarbonProject, member=None, readings=None
) -> list[StockRow]:
    """Ex-post: survivors of the latest count, attributed to cohorts, each valued with its own
    sample trees or its stratum's (credits/cohorts.py); unmeasured cohorts carry no issuable
    stock. With `member`, only that member's plots."""
    return stock_at(on_date=on_date, project=project, member=member, readings=readings).rows()


def stock_by_member(rows: list[StockRow]) -> dict[int, tuple[int, Decimal]]:
    """Trees alive and tCO2e per member, summed from plot-species rows."""
    totals: dict[int, list] = defaultdict(lambda: [0, Decimal("0")])
    for row in rows:
        totals[row.member_id][0] += row.trees_alive
        totals[row.member_id][1] += row.co2e_t
    return {member_id: (trees, co2e) for member_id, (trees, co2e) in totals.items()}
