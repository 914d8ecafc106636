"""Stock figures the reports share, cached: every plot and species' stock on a day, a past day's
field readings, and one filtered figure a day (the points of carbon over time, the dashboard's
projected total). A stock computation reads every count and sample tree, so its rows are cached
under the data stamp and shared by the dashboard and the carbon pages.
"""

import datetime
from dataclasses import MISSING, fields
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from credits import selectors, year_ends
from credits.models import CarbonProject, PlotSpeciesSummary
from credits.stock import StockRow
from reports.cache import CARBON_TOPICS, PROJECTED_TOPICS, READINGS_TOPICS, cached
from reports.filters import ReportFilter
from reports.tables import tonnes

# One plot and species' stock as cached: the fields of credits.stock.StockRow without a default
# (those the reports group and sum), as a named tuple, which pickles small and fast.
StockTotal = NamedTuple(
    "StockTotal", [(f.name, f.type) for f in fields(StockRow) if f.default is MISSING]
)


def stock_totals(on_date: datetime.date, kind: str) -> list[StockTotal]:
    """The stock rows of every plot and species on `on_date`, cached under the data stamp."""

    # A past day's stock reads only rows dated up to it: this year's visits leave it cached.
    # Today's verified stock reads the summaries, which hold every row.
    past = on_date < timezone.localdate()

    def compute():
        project = CarbonProject.current()
        if project is None:
            return []
        readings = field_readings(on_date, project) if past and kind == "verified" else None
        return [
            StockTotal._make(getattr(r, name) for name in StockTotal._fields)
            for r in selectors.stock_rows(
                on_date=on_date, kind=kind, project=project, readings=readings
            )
        ]

    return cached(
        f"stock-{kind}",
        on_date.isoformat(),
        compute,
        topics=PROJECTED_TOPICS if kind == "projected" else CARBON_TOPICS,
        translated=False,
        as_of=on_date if past else None,
    )


def field_readings(on_date: datetime.date, project: CarbonProject):
    """A past day's field readings (credits.selectors.field_readings), cached by what they read:
    a planting (a late one too) leaves them cached, so the stock of its year costs 0.6 s, not
    1.7 s, at full scale. The members topic is kept for a plot's deletion."""
    return cached(
        "field-readings",
        on_date.isoformat(),
        lambda: selectors.field_readings(on_date, project),
        topics=READINGS_TOPICS,
        translated=False,
        as_of=on_date,
    )


def stock_point(f: ReportFilter, on_date: datetime.date, kind: str) -> Decimal:
    """The filtered plots' tCO2e on a day, verified or projected, cached as one figure.

    After a save, the report's past points are read back as these figures, not as the thousands
    of stock rows they are summed from (unpickling eleven lists of them cost 0.6 s). Today's
    figures are summed in the database, from the summaries and the stored projection."""
    today = on_date == timezone.localdate()
    if today and CarbonProject.current() is not None:
        if kind == "verified":
            return tonnes(selectors.current_stock_total(f.summaries(PlotSpeciesSummary.objects)))
        return tonnes(selectors.projected_today_total(f.summaries))

    def compute():
        if year_ends.is_stored(on_date):
            project = CarbonProject.current()
            rows = year_ends.year_end_stock(
                on_date.year, kind, readings=lambda: field_readings(on_date, project)
            )
            return tonnes(year_ends.total_co2e_t(f.summaries(rows)))
        return tonnes(sum(r.co2e_t for r in f.stock(stock_totals(on_date, kind))))

    place = f"{f.community_id or ''}|{f.species_id or ''}|{f.land_use or ''}"
    return cached(
        f"stock-point-{kind}",
        f"{on_date.isoformat()}|{place}",
        compute,
        topics=PROJECTED_TOPICS if kind == "projected" else CARBON_TOPICS,
        translated=False,
        as_of=on_date if on_date < timezone.localdate() else None,
    )
