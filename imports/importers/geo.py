"""Boundaries and deforestation screening results, each matched to its plot by plot code."""

import json

from django.utils.translation import gettext as _

from imports.importers.base import BaseImporter, assign
from imports.importers.common import fold
from imports.parsing import parse_choice, parse_date, text
from members.models import DERIVED_BOUNDARY_FIELDS, Plot, ScreeningResult
from members.overlaps import recompute_overlaps

# Whisp's EUDR_risk column, and Spanish words, to ScreeningResult.Result.
RESULT_WORDS = {
    "low": "no_loss",
    "bajo": "no_loss",
    "sin perdida": "no_loss",
    "high": "loss",
    "alto": "loss",
    "perdida": "loss",
    "more info needed": "inconclusive",
    "more_info_needed": "inconclusive",
    "moreinfoneeded": "inconclusive",
    "inconcluso": "inconclusive",
}


class PlotLookup:
    def plots_by_code(self):
        plots = {p.code: p for p in Plot.objects.all()}
        return plots, {fold(code): p for code, p in plots.items()}

    def find_plot(self, row, plots, folded):
        code = self.cell(row, "plot_code")
        if not code:
            return None
        plot = plots.get(code) or folded.get(fold(code))
        if plot is None:
            self.error(row, "plot_code", _("No plot has the code %(code)s.") % {"code": code})
        return plot


class BoundaryImporter(PlotLookup, BaseImporter):
    """A boundary per plot; the model's rules (members/geometry.py) check each one."""

    ROW_CONSTRAINTS = False  # a boundary change touches no constraint of Plot

    def run(self, rows):
        plots, folded = self.plots_by_code()
        changed, seen = [], {}
        for row in rows:
            plot = self.find_plot(row, plots, folded)
            geometry = self.geometry(row)
            if plot is None or row.failed or self.duplicate(row, "plot_code", seen, plot.code):
                continue
            if not assign(plot, {"boundary_geojson": geometry}):
                self.outcome(row, "unchanged", plot.code)
                continue
            if self.validate(row, plot, exclude=["member"]):
                plot.sync_boundary_fields()
                changed.append(plot)
            self.outcome(row, "update", plot.code)
        self.write(Plot, [], changed, ["boundary_geojson", *DERIVED_BOUNDARY_FIELDS])
        if changed and not self.report.errors and not self.report.dry_run:
            recompute_overlaps()

    def geometry(self, row):
        raw = row.cells.get("boundary")
        if isinstance(raw, str) and raw.strip():
            try:
                return json.loads(raw)
            except ValueError:
                self.error(row, "boundary", _("The boundary is not valid GeoJSON text."))
                return None
        if not text(raw):
            self.error(row, "boundary", _("This feature has no geometry."))
        return None


class ScreeningImporter(PlotLookup, BaseImporter):
    """Screening results, found by plot, date and source; a new result updates the old one."""

    FIELDS = ("result", "details")

    def run(self, rows):
        plots, folded = self.plots_by_code()
        existing = {(s.plot_id, s.screened_on, s.source): s for s in ScreeningResult.objects.all()}
        new, changed, seen = [], [], {}
        for row in rows:
            plot = self.find_plot(row, plots, folded)
            values = {
                "screened_on": self.cell(row, "screened_on", parse_date),
                "source": self.cell(row, "source"),
                "result": self.cell(
                    row, "result", parse_choice, ScreeningResult.Result.choices, RESULT_WORDS
                ),
                "details": self.cell(row, "details") if row.has("details") else "",
            }
            if plot is None or row.failed:
                continue
            key = (plot.pk, values["screened_on"], values["source"])
            if self.duplicate(row, "plot_code", seen, key):
                continue
            screening = existing.get(key)
            action = "create" if screening is None else "update"
            if screening is None:
                screening = ScreeningResult(plot=plot, recorded_by=self.user, **values)
            elif not assign(screening, {k: values[k] for k in self.FIELDS}):
                action = "unchanged"
            label = f"{plot.code} {values['screened_on']} {values['source']}"
            if action != "unchanged" and self.validate(row, screening, exclude=["plot"]):
                (new if action == "create" else changed).append(screening)
            self.outcome(row, action, label)
        self.write(ScreeningResult, new, changed, list(self.FIELDS))
