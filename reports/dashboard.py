"""The dashboard's figures: where the programme stands, each with the report behind it.

Managers see every figure; staff see the field figures only. Figures are cached under the data
stamp (reports/cache.py), so a saved change shows on the next request.
"""

from django.template.loader import render_to_string

from members.models import Member, Plot
from plantings.models import Planting, Programme, SurvivalCount
from reports import credit_reports
from reports.cache import cached, data_stamp
from reports.field import hectares
from reports.tables import pct


def field_figures(stamp: str | None = None) -> dict:
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
        survival = SurvivalCount.objects.all().at_latest_visit().survival_totals()
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

    return cached("dashboard-field", "", compute, stamp=stamp)


def dashboard(*, full: bool, stamp: str | None = None) -> dict:
    """Everything the home page shows; `full` adds carbon, credits and money (managers).
    The page reads them as HTML cached by figures_html()."""
    stamp = stamp or data_stamp()
    figures = {"field": field_figures(stamp)}
    if full:
        figures.update(credit_reports.dashboard_figures(stamp))
    return figures


def figures_html(*, full: bool) -> str:
    """The dashboard's figures as HTML, rendered once per data stamp, day and language.

    A warm dashboard then reads one string from the cache: no figures to unpickle (their labels
    are lazy translations, slow to rebuild) and no template to run for them."""
    stamp = data_stamp()

    def render():
        context = {**dashboard(full=full, stamp=stamp), "full": full}
        return render_to_string("reports/_dashboard_figures.html", context)

    return cached("dashboard-html", "full" if full else "field", render, stamp=stamp)
