"""Survival at each plot's latest visit, the way every field report reads it.

Today's figures come from the summaries kept on write (credits/models/summaries.py): one grouped
query over a few thousand rows. A report asked "as of" an earlier date ranks the raw counts
(plantings/querysets.py), which gives the same rows for today (tests/reports/test_latest.py).
Fields are named from the summary (`plot__member__code`, `species__local_name`). Survival over
the years reads the plots' last visit of each year the same way.
"""

from django.db.models import Max, Sum

from credits.models import PlotSpeciesSummary, PlotYearSummary
from plantings.models import SurvivalCount
from reports.filters import ReportFilter

FIGURES = ("alive", "planted", "last_visit")


def _raw_path(field: str) -> str:
    return f"visit__{field}" if field.startswith("plot") else field


def survival_by(f: ReportFilter, *fields: str) -> list[dict]:
    """Trees alive and planted at the latest visits, and the latest visit's date, by `fields`."""
    if f.reads_today():
        rows = (
            f.summaries(PlotSpeciesSummary.objects.filter(latest_alive__isnull=False))
            .values(*fields)
            .annotate(
                alive=Sum("latest_alive"),
                planted=Sum("latest_planted"),
                last_visit=Max("latest_visit_on"),
            )
            .order_by(*fields)
        )
        return list(rows)
    raw_fields = [_raw_path(field) for field in fields]
    counts = f.survival(SurvivalCount.objects.all(), dates=False).at_latest_visit(on_date=f.date_to)
    return [
        {field: row[raw] for field, raw in zip(fields, raw_fields, strict=True)}
        | {name: row[name] for name in FIGURES}
        for row in counts.survival_by(*raw_fields)
    ]


def survival_by_year(
    f: ReportFilter, *fields: str, years: tuple[int, int] | None = None
) -> list[dict]:
    """Trees alive and planted at each plot's last visit of every year, by `fields` ("year",
    "species__local_name"...): from the summaries unless the visit dates are filtered.
    `years` (first, last) keeps those years only."""
    if f.date_from is None and f.reads_today():
        summaries = f.summaries(PlotYearSummary.objects.all())
        if years is not None:
            summaries = summaries.filter(year__range=years)
        rows = (
            summaries.values(*fields)
            .annotate(alive=Sum("alive"), planted=Sum("planted"))
            .order_by(*fields)
        )
        return list(rows)
    counts = f.survival(SurvivalCount.objects.all()).at_last_visit_of_year()
    wanted = (*fields, "alive", "planted")
    rows = [{name: row[name] for name in wanted} for row in counts.survival_by(*fields)]
    if years is not None:
        rows = [row for row in rows if years[0] <= row["year"] <= years[1]]
    return rows


def survival_totals(f: ReportFilter) -> dict:
    """{"alive": ..., "planted": ...} at the latest visits of the filtered plots."""
    if not f.reads_today():
        counts = f.survival(SurvivalCount.objects.all(), dates=False)
        return counts.at_latest_visit(on_date=f.date_to).survival_totals()
    totals = f.summaries(PlotSpeciesSummary.objects.all()).aggregate(
        alive=Sum("latest_alive"), planted=Sum("latest_planted")
    )
    return {"alive": totals["alive"] or 0, "planted": totals["planted"] or 0}
