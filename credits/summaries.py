"""Keeping the summaries (credits/models/summaries.py) true on every write.

A write touches keys (core/changes.py): plots, visits, plantings, members, or everything. At the
end of its batch, still inside its transaction, `refresh()` recomputes what those keys decide:
1. the touched plots' counts, cohorts and own sample trees, with the functions the stock itself
   uses (credits/stock.py), filtered to those plots;
2. the strata (species × planting year), pooled from every cohort's own sample trees: the
   touched plots' new sums and the others' stored ones, in planting order;
3. the stock of every cohort of the touched plots and of every plot holding a cohort of a stratum
   whose figures moved (a stratum-valued cohort elsewhere is worth what its stratum is);
4. the summaries of the members of those plots.
`rebuild()` is step 1 to 4 for every plot; a test proves both give the same rows after random
histories. A change of the carbon parameters (the project's equation, ratio...) or of a
species' wood density revalues everything.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from core import changes
from credits import carbon
from credits.cohorts import Cohort, Sums
from credits.models import CarbonProject
from credits.models.summaries import (
    CohortSummary,
    MemberSummary,
    PlotSpeciesSummary,
    PlotYearSummary,
    StratumSummary,
)
from credits.stock import (
    Parameters,
    _cohorts,
    _latest_counts,
    _latest_sample_sums,
    _own_samples,
    _plots,
    strata_of,
    value_cohorts,
)
from members.models import Member, Plot
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount, TreeMeasurement

ZERO = Decimal("0")


def grams(co2e_t: float) -> int:
    """A float sum of tonnes as whole grams: exactly carbon.to_tonnes(co2e_t) × 10⁶."""
    return int(carbon.to_tonnes(co2e_t).scaleb(6))


def tonnes(co2e_g: int) -> Decimal:
    return Decimal(co2e_g).scaleb(-6).quantize(carbon.TONNES)


# --- what a write touches -------------------------------------------------------------------

# model -> (key name, attribute holding it)
KEYS = {
    Planting: ("plot", "plot_id"),
    MonitoringVisit: ("plot", "plot_id"),
    SurvivalCount: ("visit", "visit_id"),
    TreeMeasurement: ("visit", "visit_id"),
    Plot: ("plot", "pk"),
    Member: ("member", "pk"),
}
# For bulk writes: the plot of each row, read in the database.
PLOT_PATH = {
    Planting: "plot_id",
    MonitoringVisit: "plot_id",
    SurvivalCount: "visit__plot_id",
    TreeMeasurement: "visit__plot_id",
    Plot: "pk",
}
# What a row can move away from (an edit that moves a planting to another plot touches both).
MOVABLE = {Planting: "plot_id", MonitoringVisit: "plot_id", SurvivalCount: "visit_id"}
MOVABLE |= {TreeMeasurement: "visit_id", Plot: "member_id"}


def _written(sender, instance, **kwargs):
    name, attribute = KEYS[sender]
    changes.touch(**{name: getattr(instance, attribute)})
    if sender is Plot:
        changes.touch(member=instance.member_id)


def _moving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    attribute = MOVABLE[sender]
    old = sender._base_manager.filter(pk=instance.pk).values_list(attribute, flat=True).first()
    if old is not None and old != getattr(instance, attribute):
        name = "member" if sender is Plot else KEYS[sender][0]
        changes.touch(later=True, **{name: old})


def _revalue_all(sender, **kwargs):
    changes.touch(all=changes.ALL)


def _bulk_written(sender, pks, **kwargs):
    if sender in (Species, CarbonProject) or len(pks) > changes.BULK_LIMIT:
        changes.touch(all=changes.ALL)
    elif sender is Member:
        changes.touch(member=pks)
    elif sender in PLOT_PATH:
        rows = sender._base_manager.filter(pk__in=pks)
        changes.touch(plot=set(rows.values_list(PLOT_PATH[sender], flat=True)))
        if sender is Plot:
            changes.touch(member=set(rows.values_list("member_id", flat=True)))


def connect() -> None:
    """Called from CreditsConfig.ready()."""
    for model in KEYS:
        uid = f"summaries-{model._meta.label}"
        post_save.connect(_written, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_written, sender=model, dispatch_uid=uid + "-delete")
        if model in MOVABLE:
            pre_save.connect(_moving, sender=model, dispatch_uid=uid + "-move")
    for model in (Species, CarbonProject):
        post_save.connect(_revalue_all, sender=model, dispatch_uid=f"summaries-{model}-all")
    changes.rows_changed.connect(_bulk_written, dispatch_uid="summaries-bulk")
    changes.register_refresher(refresh_touched)


def refresh_touched(keys: dict[str, set]) -> None:
    if changes.ALL in keys:
        rebuild()
        return
    plots = set(keys.get("plot", ()))
    if keys.get("visit"):
        visits = MonitoringVisit.objects.filter(pk__in=keys["visit"])
        plots |= set(visits.values_list("plot_id", flat=True))
    if keys.get("planting"):
        plantings = Planting.objects.filter(pk__in=keys["planting"])
        plots |= set(plantings.values_list("plot_id", flat=True))
    refresh(plot_ids=plots, member_ids=set(keys.get("member", ())))


# --- recomputing ----------------------------------------------------------------------------


def missing() -> bool:
    """Plantings without their summaries: a database migrated to them, or restored from a dump
    that wrote rows without the app."""
    return (
        Planting.objects.exists()
        and not CohortSummary.objects.exists()
        or Member.objects.exists()
        and not MemberSummary.objects.exists()
    )


def rebuild() -> None:
    """Every summary row again from the raw rows."""
    refresh(plot_ids=None)


def refresh(*, plot_ids: set[int] | None, member_ids: set[int] = frozenset()) -> None:
    """Bring the summaries of these plots (None: all) and members up to date (see module doc)."""
    project = CarbonProject.objects.order_by("pk").first()
    if plot_ids is not None and not plot_ids and not member_ids:
        return
    if project is None:  # nothing to value with; made again when a project is saved
        return
    if plot_ids is not None and not plot_ids:
        _write_members(set(member_ids))
        return
    params = Parameters.of(project)
    today = timezone.localdate()
    everything = plot_ids is None
    fresh = _level_one(today, params, plot_ids)
    if everything:
        pooled = _pool(fresh.samples)
        revalue = set(fresh.plots)
        _write_strata(pooled, everything=True)
    else:
        # Only the strata of the touched plots' cohorts (before and after) can move: read the
        # cohorts of those strata as stored, not every cohort.
        affected = {cohort.stratum for cohort in fresh.cohorts} | set(
            CohortSummary.objects.filter(plot_id__in=plot_ids).values_list(
                "species_id", "planted_year"
            )
        )
        stored = _stored_cohorts(strata=affected)
        others = [item for item in stored if item[0].plot_id not in plot_ids]
        before = strata_of(_pool(stored), params)
        new_pools = _pool(others + fresh.samples)
        after = strata_of(new_pools, params)
        moved = {key for key in affected if before.get(key) != after.get(key)}
        revalue = set(fresh.plots)
        revalue |= {cohort.plot_id for cohort, _sums in others if cohort.stratum in moved}
        _write_strata(new_pools, affected=affected)
        pooled = _stored_pools()
    strata = strata_of(pooled, params)
    extra = revalue - set(fresh.plots)
    level_one = fresh.merged(_stored_level_one(extra)) if extra else fresh
    _write(level_one, strata, params, revalue_plots=revalue, everything=everything)
    if everything:
        _write_members(None)
    else:
        plots_members = Plot.objects.filter(pk__in=revalue).values_list("member_id", flat=True)
        _write_members(set(member_ids) | set(plots_members))


def _stored_pools() -> dict:
    return {
        (species, year): Sums(n, agb, agb2)
        for species, year, n, agb, agb2 in StratumSummary.objects.values_list(
            "species_id", "planted_year", "sample_n", "sample_agb_kg", "sample_agb_kg2"
        )
    }


def _write_strata(pooled: dict, *, everything=False, affected=()) -> None:
    """Pooled own sample sums per stratum, as stored for the next refresh."""
    if everything:
        StratumSummary.objects.all().delete()
    elif affected:
        query = Q()
        for species_id, year in affected:
            query |= Q(species_id=species_id, planted_year=year)
        StratumSummary.objects.filter(query).delete()
    StratumSummary.objects.bulk_create(
        [
            StratumSummary(
                species_id=species_id,
                planted_year=year,
                sample_n=sums.n,
                sample_agb_kg=sums.agb_kg,
                sample_agb_kg2=sums.agb_kg2,
            )
            for (species_id, year), sums in sorted(pooled.items())
            if everything or (species_id, year) in affected
        ],
        batch_size=2000,
    )


def _pool(items) -> dict:
    """Own sample sums pooled per stratum, in planting order (float sums in one order)."""
    pooled: dict = defaultdict(Sums)
    for cohort, sums in sorted(items, key=lambda item: item[0].planting_id):
        if sums is not None:
            pooled[cohort.stratum].add(sums)
    return pooled


class LevelOne:
    """The plot-local inputs of the stock: cohorts, counts, own sample trees, survival."""

    def __init__(self, plots, cohorts, counts, own, survival, planted, years=None, fresh=None):
        self.plots = plots  # plot id -> (member, community, land use, area)
        self.cohorts = cohorts  # [Cohort] in planting order
        self.counts = counts  # (plot, species) -> (alive, counted on)
        self.own = own  # planting id -> Sums
        self.survival = survival  # (plot, species) -> (alive, planted, visited on)
        self.planted = planted  # (plot, species) -> trees planted
        self.years = years  # [(plot, species, year, alive, planted)] or None: as stored
        self.fresh_plots = set(plots) if fresh is None else fresh  # read from the raw rows

    @property
    def samples(self):
        return [(c, self.own.get(c.planting_id)) for c in self.cohorts]

    def merged(self, other: LevelOne) -> LevelOne:
        return LevelOne(
            self.plots | other.plots,
            sorted(self.cohorts + other.cohorts, key=lambda c: c.planting_id),
            self.counts | other.counts,
            self.own | other.own,
            self.survival | other.survival,
            self.planted | other.planted,
            self.years,
            fresh=set(self.plots),
        )


def _level_one(today, params, plot_ids) -> LevelOne:
    cohorts = _cohorts(today, plot_ids)
    own = _own_samples(cohorts, _latest_sample_sums(today, params, plot_ids))
    counts = SurvivalCount.objects.all()
    plantings = Planting.objects.all()
    if plot_ids is not None:
        counts = counts.filter(visit__plot_id__in=plot_ids)
        plantings = plantings.filter(plot_id__in=plot_ids)
    survival = {
        (plot, species): (alive, planted, day)
        for plot, species, alive, planted, day in counts.at_latest_visit()
        .with_planted()
        .values_list("visit__plot_id", "species_id", "trees_alive", "planted", "visit__visited_on")
    }
    planted = dict(
        ((plot, species), trees)
        for plot, species, trees in plantings.order_by()
        .values_list("plot_id", "species_id")
        .annotate(trees=Sum("trees_planted"))
    )
    years = [
        (plot, species, year, alive or 0, planted or 0)
        for plot, species, year, alive, planted in counts.at_last_visit_of_year()
        .with_planted()
        .order_by()
        .values_list("visit__plot_id", "species_id", "year", "trees_alive", "planted")
    ]
    counted = _latest_counts(today, plot_ids=plot_ids)
    return LevelOne(_plots(plot_ids=plot_ids), cohorts, counted, own, survival, planted, years)


def _stored_cohorts(only_plots=None, strata=None) -> list[tuple[Cohort, Sums | None]]:
    rows = CohortSummary.objects.all()
    if only_plots is not None:
        rows = rows.filter(plot_id__in=only_plots)
    if strata is not None:
        if not strata:
            return []
        query = Q()
        for species_id, year in strata:
            query |= Q(species_id=species_id, planted_year=year)
        rows = rows.filter(query)
    return [
        (Cohort(pk, plot, species, planted_on, trees), Sums(n, agb, agb2) if n else None)
        for pk, plot, species, planted_on, trees, n, agb, agb2 in rows.order_by(
            "planting_id"
        ).values_list(
            "planting_id",
            "plot_id",
            "species_id",
            "planted_on",
            "trees_planted",
            "sample_n",
            "sample_agb_kg",
            "sample_agb_kg2",
        )
    ]


def _stored_level_one(plot_ids: set[int]) -> LevelOne:
    stored = _stored_cohorts(only_plots=plot_ids)
    counts, survival, planted = {}, {}, {}
    for row in PlotSpeciesSummary.objects.filter(plot_id__in=plot_ids).values(
        "plot_id",
        "species_id",
        "trees_planted",
        "counted_alive",
        "counted_on",
        "latest_alive",
        "latest_planted",
        "latest_visit_on",
    ):
        key = (row["plot_id"], row["species_id"])
        planted[key] = row["trees_planted"]
        if row["counted_on"] is not None:
            counts[key] = (row["counted_alive"], row["counted_on"])
        if row["latest_visit_on"] is not None:
            survival[key] = (row["latest_alive"], row["latest_planted"], row["latest_visit_on"])
    return LevelOne(
        _plots(plot_ids=plot_ids),
        [cohort for cohort, _sums in stored],
        counts,
        {cohort.planting_id: sums for cohort, sums in stored if sums is not None},
        survival,
        planted,
    )


def _write(level: LevelOne, strata, params, *, revalue_plots, everything) -> None:
    valued = value_cohorts(
        level.cohorts, level.counts, level.own, strata, level.plots, params, deduct=False
    )
    by_planting = {row.cohort.planting_id: row for row in valued}
    cohort_rows = []
    stock = defaultdict(lambda: [0, 0.0, 0, 0.0])  # alive, co2e, unmeasured trees, unmeasured co2e
    for cohort in level.cohorts:
        row = by_planting.get(cohort.planting_id)
        sums = level.own.get(cohort.planting_id) or Sums()
        summary = CohortSummary(
            planting_id=cohort.planting_id,
            plot_id=cohort.plot_id,
            species_id=cohort.species_id,
            planted_on=cohort.planted_on,
            planted_year=cohort.planted_on.year,
            trees_planted=cohort.trees_planted,
            sample_n=sums.n,
            sample_agb_kg=sums.agb_kg,
            sample_agb_kg2=sums.agb_kg2,
        )
        if row is not None:
            share = strata[cohort.stratum]["deduction_share"] if cohort.stratum in strata else 0.0
            summary.valued_by = row.valued_by
            summary.trees_alive = row.trees_alive
            summary.agb_t = row.agb_t
            summary.co2e_t = row.co2e_t
            summary.deduction_co2e_t = row.co2e_t * share if row.valued_by != "unmeasured" else 0.0
            summary.unmeasured_co2e_t = row.unmeasured_co2e_t
        cohort_rows.append(summary)
    # Plot × species stock as credits/stock.py's StockAt.rows() sums it: the estimate itself.
    for summary in cohort_rows:
        if summary.valued_by:
            bucket = stock[(summary.plot_id, summary.species_id)]
            bucket[0] += summary.trees_alive
            bucket[1] += summary.co2e_t
            bucket[2] += summary.trees_alive if summary.valued_by == "unmeasured" else 0
            bucket[3] += summary.unmeasured_co2e_t
    keys = set(level.planted) | set(level.counts) | set(level.survival)
    species_rows = []
    for key in sorted(keys):
        counted = level.counts.get(key)
        latest = level.survival.get(key)
        alive, co2e, unmeasured, unmeasured_co2e = stock.get(key, (0, 0.0, 0, 0.0))
        species_rows.append(
            PlotSpeciesSummary(
                plot_id=key[0],
                species_id=key[1],
                trees_planted=level.planted.get(key, 0),
                counted_alive=counted[0] if counted else None,
                counted_on=counted[1] if counted else None,
                latest_alive=latest[0] if latest else None,
                latest_planted=latest[1] if latest else None,
                latest_visit_on=latest[2] if latest else None,
                verified=key in stock,
                trees_alive=alive,
                co2e_g=grams(co2e),
                unmeasured_trees=unmeasured,
                unmeasured_co2e_g=grams(unmeasured_co2e),
            )
        )
    if everything:
        CohortSummary.objects.all().delete()
        PlotSpeciesSummary.objects.all().delete()
    else:
        plantings = [row.planting_id for row in cohort_rows]
        CohortSummary.objects.filter(
            Q(plot_id__in=revalue_plots) | Q(planting_id__in=plantings)
        ).delete()
        PlotSpeciesSummary.objects.filter(plot_id__in=revalue_plots).delete()
    _write_years(level, everything=everything)
    CohortSummary.objects.bulk_create(cohort_rows, batch_size=2000)
    PlotSpeciesSummary.objects.bulk_create(species_rows, batch_size=2000)


def _write_years(level: LevelOne, *, everything: bool) -> None:
    """The fresh plots' survival by year (plots revalued for a stratum keep theirs)."""
    if level.years is None:
        return
    if everything:
        PlotYearSummary.objects.all().delete()
    else:
        PlotYearSummary.objects.filter(plot_id__in=level.fresh_plots).delete()
    PlotYearSummary.objects.bulk_create(
        [
            PlotYearSummary(plot_id=p, species_id=s, year=y, alive=alive, planted=planted)
            for p, s, y, alive, planted in sorted(level.years)
        ],
        batch_size=2000,
    )


def _write_members(member_ids: set[int] | None) -> None:
    members = (
        Member.objects.all() if member_ids is None else Member.objects.filter(pk__in=member_ids)
    )
    ids = list(members.values_list("pk", flat=True))
    plots = {
        row["member_id"]: row
        for row in Plot.objects.filter(member_id__in=ids)
        .order_by()
        .values("member_id")
        .annotate(n=Count("id"), area=Sum("area_ha"))
    }
    species = {
        row["plot__member_id"]: row
        for row in PlotSpeciesSummary.objects.filter(plot__member_id__in=ids)
        .order_by()
        .values("plot__member_id")
        .annotate(
            planted=Sum("trees_planted"),
            latest_alive=Sum("latest_alive"),
            latest_planted=Sum("latest_planted"),
            last_visit=Max("latest_visit_on"),
            alive=Sum("trees_alive", filter=Q(verified=True)),
            co2e=Sum("co2e_g", filter=Q(verified=True)),
        )
    }
    rows = []
    for member_id in ids:
        p, s = plots.get(member_id, {}), species.get(member_id, {})
        rows.append(
            MemberSummary(
                member_id=member_id,
                plots=p.get("n", 0),
                area_ha=Decimal(p.get("area") or 0).quantize(Decimal("0.01")),
                trees_planted=s.get("planted") or 0,
                latest_alive=s.get("latest_alive"),
                latest_planted=s.get("latest_planted"),
                last_visit_on=s.get("last_visit"),
                trees_alive=s.get("alive") or 0,
                co2e_g=s.get("co2e") or 0,
            )
        )
    if member_ids is None:
        MemberSummary.objects.all().delete()
    else:
        MemberSummary.objects.filter(member_id__in=ids).delete()
    MemberSummary.objects.bulk_create(rows, batch_size=2000)
