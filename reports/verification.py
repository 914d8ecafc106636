"""Verification package of a closed monitoring period, for the verifier (VVB).

An XLSX workbook holds every input and output of the period's figures: the period and the
ledger before it, the parameters frozen at closing (wood densities included), the plots, the
cohorts (plantings), the survival counts and the sample trees the stock was computed from (the
latest of each plot and species, and of each plot, species and planting, at the end date, and at
the start date for a first period), the strata with their sampling error, the member results and
the issuance with its serials. `tests/reports/test_verification.py` recomputes the frozen figures
from the workbook alone. The plots go with it as GeoJSON.

Rows recorded later as late data (after the period was closed) are left out: the package shows
the data as the closing saw it.
"""

import io
import re
from decimal import Decimal

from django.db.models import F, Q, Window
from django.db.models.functions import DenseRank, RowNumber
from openpyxl import Workbook

from credits.periods import Ledger
from members.models import Plot
from plantings.models import Planting, Species, SurvivalCount, TreeMeasurement
from reports.exports import safe_cell

SHEETS = (
    "period",
    "parameters",
    "species",
    "plots",
    "cohorts",
    "counts",
    "sample_trees",
    "strata",
    "members",
    "issuance",
)


def _as_seen_at_closing(rows, period, visit="visit__"):
    """Rows the closing saw: none entered later as late data."""
    late = Q(**{f"{visit}late_entry__recorded_at__gt": period.closed_at})
    return rows.exclude(late)


def _latest(rows, partition, function):
    ranked = rows.annotate(
        rank=Window(
            function(),
            partition_by=[F(name) for name in partition],
            order_by=[F("visit__visited_on").desc(), F("visit_id").desc()],
        )
    ).filter(rank=1)
    return rows.model.objects.filter(pk__in=ranked.values("pk"))


def _dates(period, previous) -> list[tuple[str, object]]:
    dates = [("end", period.end_date)]
    if previous is None:
        dates.insert(0, ("start", period.start_date))
    return dates


def package_rows(period) -> dict[str, list[list]]:
    """Every sheet of the package as rows, the first one a header."""
    previous = period.previous()
    ledger = Ledger.before(period)
    sheets: dict[str, list[list]] = {name: [] for name in SHEETS}
    sheets["period"] = [
        ["key", "value"],
        ["vintage", period.vintage],
        ["start_date", period.start_date.isoformat()],
        ["end_date", period.end_date.isoformat()],
        ["baseline_co2e_t", str(period.baseline_co2e_t)],
        ["leakage_co2e_t", str(period.leakage_co2e_t)],
        ["chained", "yes" if previous is not None else "no"],
        ["previous_stock_end_co2e_t", str(previous.stock_end_co2e_t) if previous else ""],
        ["ledger_gross_before_co2e_t", str(ledger.gross_co2e_t)],
        ["ledger_net_before_co2e_t", str(ledger.net_co2e_t)],
        ["ledger_tradable_issued_before", ledger.tradable_issued],
        ["ledger_buffer_issued_before", ledger.buffer_issued],
        ["ledger_buffer_cancelled_before", ledger.buffer_cancelled],
    ]
    parameters = dict(period.parameters)
    densities = parameters.pop("wood_density_g_cm3", {})
    sheets["parameters"] = [["key", "value"]] + [[k, str(v)] for k, v in parameters.items()]
    sheets["species"] = [["species_id", "local_name", "scientific_name", "wood_density_g_cm3"]] + [
        [pk, local, scientific, densities.get(str(pk), "")]
        for pk, local, scientific in Species.objects.order_by("pk").values_list(
            "pk", "local_name", "scientific_name"
        )
    ]
    sheets["plots"] = [["plot_id", "code", "member_id", "area_ha"]] + [
        [pk, code, member_id, str(area)]
        for pk, code, member_id, area in Plot.objects.order_by("pk").values_list(
            "pk", "code", "member_id", "area_ha"
        )
    ]
    plantings = _as_seen_at_closing(
        Planting.objects.filter(planted_on__lte=period.end_date), period, visit=""
    )
    sheets["cohorts"] = [["planting_id", "plot_id", "species_id", "planted_on", "trees_planted"]]
    sheets["cohorts"] += [
        [pk, plot_id, species_id, day.isoformat(), trees]
        for pk, plot_id, species_id, day, trees in plantings.order_by("pk").values_list(
            "pk", "plot_id", "species_id", "planted_on", "trees_planted"
        )
    ]
    sheets["counts"] = [["at", "plot_id", "species_id", "visited_on", "trees_alive"]]
    sheets["sample_trees"] = [
        ["at", "plot_id", "species_id", "planting_id", "visited_on", "dbh_cm", "height_m"]
    ]
    for label, day in _dates(period, previous):
        counts = _as_seen_at_closing(
            SurvivalCount.objects.filter(visit__visited_on__lte=day), period
        )
        latest = _latest(counts, ["visit__plot_id", "species_id"], RowNumber)
        sheets["counts"] += [
            [label, plot_id, species_id, visited_on.isoformat(), alive]
            for plot_id, species_id, visited_on, alive in latest.order_by(
                "visit__plot_id", "species_id"
            ).values_list("visit__plot_id", "species_id", "visit__visited_on", "trees_alive")
        ]
        trees = _as_seen_at_closing(
            TreeMeasurement.objects.filter(visit__visited_on__lte=day), period
        )
        latest = _latest(trees, ["visit__plot_id", "species_id", "planting_id"], DenseRank)
        sheets["sample_trees"] += [
            [label, plot_id, species_id, planting_id or "", visited_on.isoformat(), str(d), str(h)]
            for plot_id, species_id, planting_id, visited_on, d, h in latest.order_by(
                "visit__plot_id", "species_id", "pk"
            ).values_list(
                "visit__plot_id",
                "species_id",
                "planting_id",
                "visit__visited_on",
                "dbh_cm",
                "height_m",
            )
        ]
    keys = [
        "species_id",
        "age_class",
        "sample_trees",
        "trees_alive",
        "mean_agb_kg",
        "half_width_agb_kg",
        "sampling_error",
        "deduction_share",
        "co2e_t",
        "deduction_co2e_t",
    ]
    sheets["strata"] = [keys] + [
        ["" if row.get(key) is None else row.get(key) for key in keys] for row in period.strata
    ]
    member_fields = [
        "member_id",
        "stock_start_co2e_t",
        "stock_end_co2e_t",
        "deduction_co2e_t",
        "net_co2e_t",
        "credits_attributed",
    ]
    sheets["members"] = [member_fields] + [
        [row[0]] + [str(value) for value in row[1:]]
        for row in period.member_results.order_by("member_id").values_list(*member_fields)
    ]
    sheets["issuance"] = [["key", "value"]] + [
        [name, str(getattr(period, name))]
        for name in (
            "stock_start_co2e_t",
            "stock_end_co2e_t",
            "gross_removals_co2e_t",
            "net_removals_co2e_t",
            "cumulative_net_co2e_t",
            "issuable_credits",
            "buffer_credits",
            "reversal_co2e_t",
            "reversal_cancelled_credits",
            "uncovered_loss_co2e_t",
            "uncertainty_deduction_co2e_t",
            "unmeasured_co2e_t",
        )
    ]
    sheets["issuance"] += [
        ["serial" if not b.is_buffer else "buffer serial", b.serial]
        for b in period.blocks.order_by("serial_start")
    ]
    return sheets


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value):
    """Decimal text as a number cell; other text neutralised against formulas (exports.py)."""
    if isinstance(value, str) and NUMBER.match(value):
        return Decimal(value)
    return safe_cell(value)


def workbook_bytes(period) -> bytes:
    """The package as an XLSX file: numbers as numbers, text never read as a formula."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in package_rows(period).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plots_geojson(period) -> dict:
    """The plots of the period's members as a GeoJSON FeatureCollection (polygon or point)."""
    members = period.member_results.values("member_id")
    features = []
    for plot in Plot.objects.filter(member_id__in=members).order_by("pk").map_points():
        geometry = plot["boundary_geojson"]
        if not geometry and plot["latitude"] is not None:
            geometry = {
                "type": "Point",
                "coordinates": [float(plot["longitude"]), float(plot["latitude"])],
            }
        features.append(
            {
                "type": "Feature",
                "geometry": geometry or None,
                "properties": {
                    "plot_id": plot["id"],
                    "code": plot["code"],
                    "member_code": plot["member__code"],
                    "land_use": plot["land_use"],
                    "area_ha": str(plot["area_ha"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
