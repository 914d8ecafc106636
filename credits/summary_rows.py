"""Summary rows read and written (credits/summaries.py decides which): the plot-local inputs of
the stock read from the raw rows (`_level_one`) or as stored, the pooled strata, and the rows
written for the plots refreshed, in planting order so a refresh equals a rebuild."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from credits import carbon
from credits.cohorts import Cohort, Sums
from credits.models.summaries import (
    CohortSummary,
    MemberSummary,
    PlotSpeciesSummary,
    PlotYearSummary,
    StratumSummary,
)
from credits.stock import (
    _cohorts,
    _latest_counts,
    _latest_sample_sums,
    _own_samples,
    _plots,
    value_cohorts,
)
from members.models import Member, Plot
from plantings.models import Planting, SurvivalCount


def grams(co2e_t: float) -> int:
    """A float sum of tonnes as whole grams: exactly carbon.to_tonnes(co2e_t) × 10⁶."""
    return int(carbon.to_tonnes(co2e_t).scaleb(6))


def tonnes(co2e_g: int) -> Decimal:
    return Decimal(co2e_g).scaleb(-6).quantize(carbon.TONNES)


def _stored_pools() -> dict:
    return {
        (species, year): Sums(n, agb, agb2)
        for species, year, n, agb, agb2 in StratumSummary.objects.values_list(
            "species_id", "planted_year", "sample_n", "sample_agb_kg", "sample_agb_kg2"
        )
    }


def in_strata(strata, *, year_field: str = "planted_year") -> Q:
    """Rows of these strata ((species id, planting year) pairs); `year_field` names the year
    ("planted_on__year" for plantings themselves)."""
    query = Q()
    for species_id, year in strata:
        query |= Q(species_id=species_id, **{year_field: year})
    return query


def _write_strata(pooled: dict, *, everything=False, affected=()) -> None:
    """Pooled own sample sums per stratum, as stored for the next refresh."""
    if everything:
        StratumSummary.objects.all().delete()
    elif affected:
        StratumSummary.objects.filter(in_strata(affected)).delete()
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
        for plot, species, year, alive, planted in counts.at_last_visit_of_year(plot_ids)
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
        rows = rows.filter(in_strata(strata))
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
        summary = dict(
            COHORT_DEFAULTS,
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
            summary.update(
                valued_by=row.valued_by,
                trees_alive=row.trees_alive,
                agb_t=row.agb_t,
                co2e_t=row.co2e_t,
                unmeasured_co2e_t=row.unmeasured_co2e_t,
            )
        cohort_rows.append(summary)
    # Plot × species stock as credits/stock.py's StockAt.rows() sums it: the estimate itself.
    for summary in cohort_rows:
        if summary["valued_by"]:
            bucket = stock[(summary["plot_id"], summary["species_id"])]
            bucket[0] += summary["trees_alive"]
            bucket[1] += summary["co2e_t"]
            bucket[2] += summary["trees_alive"] if summary["valued_by"] == "unmeasured" else 0
            bucket[3] += summary["unmeasured_co2e_t"]
    keys = set(level.planted) | set(level.counts) | set(level.survival)
    species_rows = []
    for key in sorted(keys):
        counted = level.counts.get(key)
        latest = level.survival.get(key)
        alive, co2e, unmeasured, unmeasured_co2e = stock.get(key, (0, 0.0, 0, 0.0))
        species_rows.append(
            dict(
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
    _write_years(level, everything=everything)
    if everything:
        CohortSummary.objects.all().delete()
        PlotSpeciesSummary.objects.all().delete()
        CohortSummary.objects.bulk_create(
            [CohortSummary(**row) for row in cohort_rows], batch_size=2000
        )
        PlotSpeciesSummary.objects.bulk_create(
            [PlotSpeciesSummary(**row) for row in species_rows], batch_size=2000
        )
        return
    plantings = [row["planting_id"] for row in cohort_rows]
    _replace_changed(
        CohortSummary.objects.filter(Q(plot_id__in=revalue_plots) | Q(planting_id__in=plantings)),
        cohort_rows,
        key=("planting_id",),
    )
    _replace_changed(
        PlotSpeciesSummary.objects.filter(plot_id__in=revalue_plots),
        species_rows,
        key=("plot_id", "species_id"),
    )


COHORT_DEFAULTS = {
    field.attname: field.get_default()
    for field in CohortSummary._meta.concrete_fields
    if field.has_default() or field.blank
}


def _replace_changed(stored, rows: list[dict], *, key: tuple[str, ...]) -> None:
    """Make the summary rows of `stored` (a queryset) equal `rows` (field values), writing only
    the rows that differ: revaluing a stratum moves a few cohorts of each plot it touches, and
    rewriting all their rows was most of a saved visit's time (bench/README.md, session 7)."""
    model = stored.model
    names = [f.attname for f in model._meta.concrete_fields if not f.auto_created]
    pk = model._meta.pk.attname
    current = {}
    for values in stored.values_list(pk, *names):
        record = dict(zip(names, values[1:], strict=True))
        current[tuple(record[k] for k in key)] = (values[0], record)
    changed, keep = [], set()
    for row in rows:
        found = current.get(tuple(row[k] for k in key))
        if found is not None and found[1] == {name: row.get(name) for name in names}:
            keep.add(found[0])
        else:
            changed.append(row)
    stale = [pk_value for pk_value, _record in current.values() if pk_value not in keep]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    model.objects.bulk_create([model(**row) for row in changed], batch_size=2000)


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
            dict(
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
        MemberSummary.objects.bulk_create([MemberSummary(**row) for row in rows], batch_size=2000)
    else:
        _replace_changed(MemberSummary.objects.filter(member_id__in=ids), rows, key=("member_id",))
