"""The dashboard's figures: where the programme stands, each with the report behind it.

Managers see every figure; staff see the field figures only. Figures are cached under the data
stamp (reports/cache.py), so a saved change shows on the next request.
"""

from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.template.loader import render_to_string

from credits.models import Retirement, Sale
from members.models import Member, Plot
from plantings.models import Planting, Programme
from reports import credit_reports, latest
from reports.cache import FIELD_TOPICS, REGISTRY_TOPICS, cached, one_stamp
from reports.field import hectares
from reports.filters import ReportFilter
from reports.tables import pct

CENT = Decimal("0.01")


def field_figures() -> dict:
    """Members, plots and hectares by land use, trees planted / alive against the target."""

    def compute():
        programme = Programme.current()
        by_status = Member.objects.count_by_status()
        land_uses = dict(Plot.LandUse.choices)
        by_land_use = [
            {
                "land_use": row["land_use"],
                "label": land_uses.get(row["land_use"], row["land_use"]),
                "plots": row["plots"],
                "area_ha": hectares(row["area_ha"]),
            }
            for row in Plot.objects.by_land_use()
        ]
        trees_planted = Planting.objects.total_trees()
        survival = latest.survival_totals(ReportFilter())
        return {
            "members_active": by_status.get(Member.Status.ACTIVE, 0),
            "members_total": sum(by_status.values()),
            "by_land_use": by_land_use,
            "plots": sum(r["plots"] for r in by_land_use),
            "area_ha": sum(r["area_ha"] for r in by_land_use),
            "trees_planted": trees_planted,
            "trees_target": programme.trees_target,
            "trees_target_year": programme.trees_target_year,
            "trees_target_pct": pct(trees_planted, programme.trees_target),
            "trees_alive": survival["alive"],
            "trees_counted_planted": survival["planted"],
            "survival_pct": pct(survival["alive"], survival["planted"]),
        }

    return cached("dashboard-field", "", compute, topics=FIELD_TOPICS)


def retired_split() -> dict:
    """Credits retired out of sales (part of the credits sold) and retired by the cooperative
    from the credits it still held (never sold), so the dashboard can say which is which."""
    return Retirement.objects.aggregate(
        from_sales=Coalesce(Sum("quantity", filter=Q(sale__isnull=False)), 0),
        from_stock=Coalesce(Sum("quantity", filter=Q(sale__isnull=True)), 0),
    )


def sales_by_year() -> list[dict]:
    """Per calendar year of sale: credits sold, revenue and the mean price per credit (one
    grouped query; prices in the project's currency, the only one a sale may use)."""
    rows = (
        Sale.objects.annotate(year=ExtractYear("sold_on"))
        .values("year")
        .annotate(sold=Sum("quantity"), revenue=Sum("revenue"))
        .order_by("year")
    )
    return [
        {
            "year": row["year"],
            "sold": row["sold"],
            "revenue": Decimal(row["revenue"]).quantize(CENT),
            "price": (Decimal(row["revenue"]) / row["sold"]).quantize(CENT),
        }
        for row in rows
    ]


def dashboard(*, full: bool) -> dict:
    """Everything the home page shows; `full` adds carbon, credits and money (managers).
    The page reads them as HTML cached by figures_html(). One read of the generations serves
    every figure."""
    with one_stamp():
        figures = {"field": field_figures()}
        if full:
            figures.update(credit_reports.dashboard_figures())
            figures["retired_split"] = cached(
                "retired-split", "", retired_split, topics=REGISTRY_TOPICS
            )
            figures["sales_by_year"] = cached(
                "sales-by-year", "", sales_by_year, topics=REGISTRY_TOPICS
            )
    return figures


def figures_html(*, full: bool) -> str:
    """The dashboard's figures as HTML, rendered once per data stamp, day and language.

    A warm dashboard then reads one string from the cache: no figures to unpickle (their labels
    are lazy translations, slow to rebuild) and no template to run for them."""

    def render():
        context = {**dashboard(full=full), "full": full}
        return render_to_string("reports/_dashboard_figures.html", context)

    with one_stamp():
        return cached("dashboard-html", "full" if full else "field", render)
