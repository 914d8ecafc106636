"""The stored year ends (credits/year_ends.py) kept on write: a write that touches plots
recomputes, in its own transaction, those plots' rows of every stored year end it can have moved,
so carbon over time never computes a year again after a late planting or visit.

A year end's stock is plot-local but for the strata: a cohort without sample trees of its own is
valued with its stratum's (species × planting year), pooled from the own sample trees of every
cohort of that stratum, on any plot. So each stored verified year keeps every cohort's own sample
sums (YearEndSamples). A write compares the touched plots' fresh sums with the stored ones: equal
(a planting on a plot whose sample trees are tagged), only the touched plots are valued again;
else the strata that moved are pooled again, in planting order as credits/stock.py pools them,
and every plot holding a cohort of them without sample trees of its own is valued again too (one
with its own is worth the same whatever its stratum pools). The projected kind reads what was
planted only: the touched plots, nothing more.

Which years: those from the earliest date the batch wrote (core.changes.written_since); every
stored year for a write without one (a plot's new area). A stamp already stale is left to its
next reader; a change of everything (a species, the parameters, a bulk write of thousands of
rows) drops every stamp. Writers lock the stamps, in one order, before reading a stamp's key, so
a reader computing a year whole never interleaves with a writer's rows (credits/year_ends.py).
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from core import changes
from credits import summaries
from credits.cohorts import Cohort, Sums
from credits.models import CarbonProject, YearEndSamples, YearEndStamp
from credits.projection import projected_stock
from credits.stock import (
    Parameters,
    StockAt,
    _cohorts,
    _latest_counts,
    _latest_sample_sums,
    _own_samples,
    _plots,
    strata_of,
    value_cohorts,
)
from credits.summary_rows import in_strata
from credits.year_ends import (
    TOPICS,
    Kind,
    batch_planted,
    batch_undated,
    write_rows,
    write_samples,
)
from plantings.models import Planting


def connect() -> None:
    """Called from CreditsConfig.ready(), after today's projection (the stamps' lock order)."""
    changes.register_refresher(refresh_touched)


def refresh_touched(keys: dict[str, set]) -> None:
    if changes.ALL in keys:
        YearEndStamp.objects.update(generations="")
        return
    plots = summaries.touched_plots(keys)
    if not plots:
        return
    since, every_year, planted = changes.written_since(), batch_undated(), batch_planted()
    if not every_year and since.year >= timezone.localdate().year:
        return  # this year's visits and plantings: no stored year (they have ended) can move
    stamps = list(YearEndStamp.objects.select_for_update().order_by("pk"))
    if not stamps:
        return
    project = CarbonProject.current()
    generations = changes.generations()
    for stamp in stamps:
        day = datetime.date(stamp.year, 12, 31)
        if stamp.generations != changes.generations_key(TOPICS[stamp.kind], generations, as_of=day):
            continue  # already stale: its next reader computes it whole
        if not every_year and since > day:
            continue  # written after that day: the year cannot have moved
        if project is None:
            stamp.generations = ""
            stamp.save(update_fields=["generations", "computed_at"])
        elif stamp.kind == Kind.VERIFIED:
            refresh_verified(stamp.year, plots, project)
        elif planted:
            rows = projected_stock(on_date=day, project=project, plot_ids=plots)
            write_rows(stamp.year, Kind.PROJECTED, rows, plot_ids=plots)


def refresh_verified(year: int, plot_ids: set[int], project: CarbonProject) -> None:
    """The verified rows of 31 December `year` for these plots, and for the plots of any
    stratum whose pooled sample trees their writes moved (see module doc)."""
    day = datetime.date(year, 12, 31)
    params = Parameters.of(project)
    cohorts = _cohorts(day, plot_ids)
    own = _own_samples(cohorts, _latest_sample_sums(day, params, plot_ids))
    fresh = {c.planting_id: (c, own[c.planting_id]) for c in cohorts if c.planting_id in own}
    stored = YearEndSamples.objects.filter(year=year).filter(
        Q(plot_id__in=plot_ids) | Q(planting_id__in=[c.planting_id for c in cohorts])
    )
    before = {pid: (cohort, sums) for pid, cohort, sums in _samples_of(stored)}
    moved = set()
    for pid in before.keys() | fresh.keys():
        if _figures(before.get(pid)) != _figures(fresh.get(pid)):
            moved |= {item[0].stratum for item in (before.get(pid), fresh.get(pid)) if item}
    if moved:
        write_samples(year, list(fresh.values()), replacing=stored)
    revalue = set(plot_ids) | _plots_valued_by(year, day, moved)
    extra = revalue - set(plot_ids)
    if extra:  # untouched plots: their own sample trees are as stored
        cohorts = sorted(cohorts + _cohorts(day, extra), key=lambda c: c.planting_id)
        stored_extra = YearEndSamples.objects.filter(year=year, plot_id__in=extra)
        own |= {pid: sums for pid, _c, sums in _samples_of(stored_extra)}
    # Only a cohort without sample trees of its own is valued by its stratum.
    needed = {c.stratum for c in cohorts if c.planting_id not in own}
    strata = strata_of(_pooled(year, needed), params)
    plots = _plots(plot_ids=revalue)
    counts = _latest_counts(day, plot_ids=revalue)
    valued = value_cohorts(cohorts, counts, own, strata, plots, params, deduct=False)
    rows = StockAt(on_date=day, plots=plots, cohorts=valued, strata=strata).rows()
    write_rows(year, Kind.VERIFIED, rows, plot_ids=revalue)


def _figures(item: tuple[Cohort, Sums] | None):
    if item is None:
        return None
    cohort, sums = item
    return (cohort.plot_id, cohort.stratum, sums.n, sums.agb_kg, sums.agb_kg2)


def _samples_of(rows):
    """(planting id, Cohort, Sums) of stored YearEndSamples rows, in planting order (the
    Cohort carries what the pooling reads: plot, species and planting year)."""
    for pid, plot, species, year, n, agb, agb2 in rows.order_by("planting_id").values_list(
        "planting_id",
        "plot_id",
        "species_id",
        "planted_year",
        "sample_n",
        "sample_agb_kg",
        "sample_agb_kg2",
    ):
        yield pid, Cohort(pid, plot, species, datetime.date(year, 1, 1), 0), Sums(n, agb, agb2)


def _pooled(year: int, strata: set[tuple[int, int]]) -> dict[tuple[int, int], Sums]:
    """The own sample trees of these strata's cohorts, pooled in planting order (as
    credits/stock.py's _strata sums them: the same floats, to the last bit)."""
    pooled: dict[tuple[int, int], Sums] = {}
    if not strata:
        return pooled
    rows = YearEndSamples.objects.filter(year=year).filter(in_strata(strata))
    for _pid, cohort, sums in _samples_of(rows):
        pooled.setdefault(cohort.stratum, Sums()).add(sums)
    return pooled


def _plots_valued_by(year: int, day: datetime.date, strata: set[tuple[int, int]]) -> set[int]:
    """The plots holding a cohort, planted by `day`, of one of these strata and valued by it:
    without sample trees of its own at that year end (a cohort with some is worth the same
    whatever its stratum pools; the stored year end has no sampling-error deduction)."""
    if not strata:
        return set()
    measured = YearEndSamples.objects.filter(year=year).values("planting_id")
    plantings = Planting.objects.filter(
        in_strata(strata, year_field="planted_on__year"), planted_on__lte=day
    ).exclude(pk__in=measured)
    return set(plantings.values_list("plot_id", flat=True).distinct())
