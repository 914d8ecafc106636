"""The stock at 31 December of past years, stored (credits.YearEndStock): the points of the
carbon-over-time report.

A past year's stock reads only rows dated up to its last day. The writes keep the stored years
true themselves (credits/year_end_writes.py): a planting entered late, a late visit, a corrected
count or a plot's new area recomputes, in the writer's transaction, the rows of the plots it
touched (and of the plots whose stratum it moved), for the stored years it can have changed. What
no write can follow plot by plot moves the key a year is kept with (YearEndStamp): the carbon
parameters, a species, a write of unknown date ("since-all", core/changes.py), a rebuild of the
summaries. The next reader then computes that year whole, from the raw rows by credits/stock.py.
A deploy or a cache loss finds the years in the database, not to be computed again.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import changes
from credits.models import CarbonProject, YearEndSamples, YearEndStamp, YearEndStock
from credits.models.summaries import GRAMS_PER_TONNE
from credits.projection import projected_stock
from credits.stock import Readings, stock_at
from credits.summary_rows import tonnes
from members.models import Plot
from plantings.models import Planting

Kind = YearEndStock.Kind
# Carbon over time draws at most this many past year ends (and its last day): each is a full
# computation when not stored, so the cost does not grow with the years of the project.
MAX_DRAWN_YEARS = 5
# Stale rows beyond this many are deleted with the whole year (an IN list of ids stays short).
MAX_LISTED_ROWS = 500

# A plot's write moves "plots" as well as "members" (an edit of a member's name or phone does
# not): the writes kept by plot (credits/year_end_writes.py) tell a plot's new area by it.
PLOTS = "plots"
# What moves a stored year's key: the parameters, and "since-all" (a write of unknown date,
# always part of a dated key). The field data is kept by plot on write.
TOPICS = {Kind.VERIFIED: ("parameters",), Kind.PROJECTED: ("parameters",)}


def connect() -> None:
    """Move the "plots" generation on every write of a plot, bulk writes included."""
    signals = {"save": post_save, "delete": post_delete, "bulk": changes.rows_changed}
    for name, signal in signals.items():
        signal.connect(_plot_written, sender=Plot, dispatch_uid=f"year-ends-plot-{name}")


def _plot_written(sender, **kwargs) -> None:
    changes.touch(PLOTS)


def batch_undated() -> bool:
    """For a refresher: whether its batch wrote a plot (whose area counts on every day) or a row
    of unknown date, so that no day is out of its reach."""
    since = changes.written_since()
    return not isinstance(since, datetime.date) or PLOTS in changes.batch_topics()


def batch_planted() -> bool:
    """For a refresher: whether its batch can have moved a projection, which reads what was
    planted and the plots (not the visits, which touch their plots too)."""
    return batch_undated() or changes.written_since("plantings") is not None


def is_stored(day: datetime.date) -> bool:
    """Whether the stock on `day` is kept here: a 31 December of a year already over."""
    return (day.month, day.day) == (12, 31) and day < timezone.localdate()


def year_end_stock(
    year: int, kind: str, *, readings: Callable[[], Readings] | None = None
) -> QuerySet[YearEndStock]:
    """The stock rows (one per plot and species) at 31 December of `year`, a past year, as of
    every write made so far: stored ones, or computed and stored first.

    `readings` gives that day's field readings (credits.stock.Readings) when the verified stock
    must be computed: the reports keep them cached by the visits, so a late planting, which
    moves the year but not its readings, costs the valuation only (reports/credit_reports.py)."""
    day = datetime.date(year, 12, 31)
    if not is_stored(day):
        raise ValueError(f"{day} has not ended yet: its stock is not stored.")
    kind = Kind(kind)
    key = changes.generations_key(TOPICS[kind], as_of=day)
    if not YearEndStamp.objects.filter(year=year, kind=kind, generations=key).exists():
        _store(day, kind, key, readings if kind == Kind.VERIFIED else None)
    return YearEndStock.objects.filter(year=year, kind=kind)


def drawn_years(first_year: int, end_year: int) -> list[int]:
    """The past year ends a chart from `first_year` to `end_year` draws: each year before
    `end_year`, or MAX_DRAWN_YEARS of them evenly spaced, the first and the last included."""
    years = list(range(first_year, end_year))
    if len(years) <= MAX_DRAWN_YEARS:
        return years
    last = len(years) - 1
    return [years[round(i * last / (MAX_DRAWN_YEARS - 1))] for i in range(MAX_DRAWN_YEARS)]


def store_drawn_years() -> list[int]:
    """Store, if not stored as of every write so far, the year ends that carbon over time draws
    by default (from the first planting to today): after a load or a rebuild the first reader
    finds them, rather than waiting for them (five years and two kinds: seconds at full scale)."""
    first = Planting.objects.order_by("planted_on").values_list("planted_on", flat=True).first()
    if first is None:
        return []
    years = drawn_years(first.year, timezone.localdate().year)
    for year in years:
        for kind in Kind:
            year_end_stock(year, kind)
    return years


def total_co2e_t(rows: QuerySet[YearEndStock]) -> Decimal:
    """The tCO2e of year-end rows (narrowed by a report filter), summed exactly in grams."""
    return tonnes(rows.aggregate(g=Sum("co2e_g"))["g"] or 0)


@transaction.atomic
def _store(
    day: datetime.date, kind: str, key: str, readings: Callable[[], Readings] | None
) -> None:
    # The stamp row is made if missing, then locked: two workers asking at once compute the
    # year once. (The same queries whether it was there or not.)
    YearEndStamp.objects.bulk_create(
        [YearEndStamp(year=day.year, kind=kind)], ignore_conflicts=True
    )
    stamp = YearEndStamp.objects.select_for_update().get(year=day.year, kind=kind)
    if stamp.generations == key:  # another worker stored it while this one waited
        return
    project = CarbonProject.current()
    samples = []
    if project is None:
        rows = []
    elif kind == Kind.VERIFIED:
        at = stock_at(on_date=day, project=project, readings=readings() if readings else None)
        rows, samples = at.rows(), list(at.samples.values())
    else:
        rows = projected_stock(on_date=day, project=project)
    write_rows(day.year, kind, rows)
    if kind == Kind.VERIFIED:
        write_samples(day.year, samples, replacing=YearEndSamples.objects.filter(year=day.year))
    stamp.generations = key
    stamp.save(update_fields=["generations", "computed_at"])


def write_samples(year: int, items, *, replacing: QuerySet[YearEndSamples]) -> None:
    """Replace the `replacing` rows with these cohorts' own sample sums ((Cohort, Sums) pairs)."""
    replacing.delete()
    YearEndSamples.objects.bulk_create(
        [
            YearEndSamples(
                year=year,
                planting_id=cohort.planting_id,
                plot_id=cohort.plot_id,
                species_id=cohort.species_id,
                planted_year=cohort.age_class,
                sample_n=sums.n,
                sample_agb_kg=sums.agb_kg,
                sample_agb_kg2=sums.agb_kg2,
            )
            for cohort, sums in items
        ],
        batch_size=2000,
    )


def write_rows(year: int, kind: str, rows, *, plot_ids: set[int] | None = None) -> None:
    """Replace the year's rows (of these plots only, if given) with `rows`, writing only those
    that differ: a late planting changes a row or two of 7,400, and rewriting them all cost more
    than valuing them."""
    figures = {
        (row.plot_id, row.species_id): (row.trees_alive, round(row.co2e_t * GRAMS_PER_TONNE))
        for row in rows
    }
    year_rows = YearEndStock.objects.filter(year=year, kind=kind)
    if plot_ids is not None:
        year_rows = year_rows.filter(plot_id__in=plot_ids)
    stored = {
        (plot_id, species_id): (pk, (trees_alive, co2e_g))
        for pk, plot_id, species_id, trees_alive, co2e_g in year_rows.values_list(
            "pk", "plot_id", "species_id", "trees_alive", "co2e_g"
        )
    }
    stale = [pk for key, (pk, old) in stored.items() if figures.get(key) != old]
    new = [key for key, value in figures.items() if key not in stored or stored[key][1] != value]
    if len(stale) > MAX_LISTED_ROWS:  # new parameters, a rebuild: every row, in one DELETE
        year_rows.delete()
        new = list(figures)
    elif stale:
        year_rows.filter(pk__in=stale).delete()
    YearEndStock.objects.bulk_create(
        [
            YearEndStock(
                plot_id=plot_id,
                species_id=species_id,
                year=year,
                kind=kind,
                trees_alive=figures[plot_id, species_id][0],
                co2e_g=figures[plot_id, species_id][1],
            )
            for plot_id, species_id in new
        ]
    )  # one INSERT on PostgreSQL, whatever the number of plots (SQLite splits it by its limits)
