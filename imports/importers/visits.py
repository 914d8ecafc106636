"""Importers of monitoring visits: survival counts and sample-tree measurements.

Each row names its visit by plot and date (plus, from field forms, the submission's instance ID).
Visits are written first so that the counts can be checked against the trees planted by the
visit date (SurvivalCount.clean()); on any error the whole transaction is rolled back.
"""

from collections import defaultdict

from django.utils.translation import gettext as _

from imports.importers.base import BaseImporter, Row, assign
from imports.importers.common import chunks, species_lookup
from imports.parsing import (
    SPANISH_CHOICES,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    text,
)
from members.models import Plot
from plantings.models import MonitoringVisit, SurvivalCount, TreeMeasurement

VISIT_FIELDS = ["plot_id", "visited_on", "technician", "notes", "external_id"]


class VisitImporter(BaseImporter):
    """Find or create the visit of every row; the rows of one visit must agree on it."""

    def visits_of(self, rows: list[Row]) -> dict[int, MonitoringVisit]:
        plots = {p.code: p for p in Plot.objects.all()}
        groups = {}  # (plot_id, date) -> (first row, values)
        row_keys = {}
        for row in rows:
            code = self.cell(row, "plot_code")
            plot = plots.get(code) if code else None
            if code and plot is None:
                self.error(row, "plot_code", _("No plot has the code %(value)s.") % {"value": code})
            values = {
                "plot_id": plot.pk if plot else None,
                "visited_on": self.cell(row, "visited_on", parse_date),
                "technician": self.cell(row, "technician"),
            }
            if row.has("notes"):
                values["notes"] = self.cell(row, "notes")
            external_id = self.cell(row, "external_id") if row.has("external_id") else ""
            if external_id:
                values["external_id"] = external_id
            if row.failed:
                continue
            key = (plot.pk, values["visited_on"])
            row_keys[row.number] = key
            if key not in groups:
                groups[key] = (row, values, plot)
                continue
            first_row, first_values, _plot = groups[key]
            for name, value in values.items():
                if first_values.get(name, value) != value:
                    self.error(
                        row,
                        name,
                        _(
                            "Row %(row)s gives this visit “%(other)s” here: the rows of one visit "
                            "must agree."
                        )
                        % {"row": first_row.number, "other": first_values[name]},
                    )
        visits = self.save_visits(groups)
        return {n: visits[key] for n, key in row_keys.items() if key in visits}

    def save_visits(self, groups) -> dict:
        plot_ids = {plot_id for plot_id, _date in groups}
        by_key, by_external = {}, {}
        for chunk in chunks(plot_ids):
            for visit in MonitoringVisit.objects.filter(plot_id__in=chunk):
                by_key[(visit.plot_id, visit.visited_on)] = visit
        external_ids = [v["external_id"] for _r, v, _p in groups.values() if "external_id" in v]
        for chunk in chunks(external_ids):
            for visit in MonitoringVisit.objects.filter(external_id__in=chunk):
                by_external[visit.external_id] = visit
        self.visit_actions = {}
        new, changed, found = [], [], {}
        for key, (row, values, plot) in groups.items():
            visit = by_external.get(values.get("external_id")) or by_key.get(key)
            other = by_key.get(key)
            if visit and other and visit.pk != other.pk:
                self.error(
                    row,
                    "visited_on",
                    _("Plot %(plot)s already has another visit on this date.")
                    % {"plot": plot.code},
                )
                continue
            if (
                visit
                and visit.external_id
                and values.get("external_id", visit.external_id) != (visit.external_id)
            ):
                self.error(
                    row,
                    "external_id",
                    _(
                        "Plot %(plot)s already has a visit on this "
                        "date from another field-form submission."
                    )
                    % {"plot": plot.code},
                )
                continue
            action = "create" if visit is None else "update"
            if visit is None:
                visit = MonitoringVisit(recorded_by=self.user, **values)
            elif not assign(visit, values):
                action = "unchanged"
            visit.plot = plot
            if action != "unchanged":
                if not self.validate(row, visit, exclude=["plot", "recorded_by"]):
                    continue
                (new if action == "create" else changed).append(visit)
            self.visit_actions[key] = action
            found[key] = visit
        self.write(MonitoringVisit, new, changed, VISIT_FIELDS)
        return found

    def row_outcome(self, row, visit, action, label):
        key = (visit.plot_id, visit.visited_on)
        if action == "unchanged" and self.visit_actions.get(key) != "unchanged":
            action = "update"
        self.outcome(row, action, f"{visit.plot.code} {visit.visited_on} {label}")


class SurvivalImporter(VisitImporter):
    """Survival counts, one row per visit and species."""

    FIELDS = [
        "visit_id",
        "species_id",
        "trees_alive",
        "trees_dead",
        "trees_replanted",
        "loss_cause",
    ]

    def run(self, rows):
        visits = self.visits_of(rows)
        species = species_lookup()
        existing = {}
        for chunk in chunks({v.pk for v in visits.values()}):
            for count in SurvivalCount.objects.filter(visit_id__in=chunk):
                existing[(count.visit_id, count.species_id)] = count
        new, changed, seen = [], [], {}
        for row in rows:
            kind = self.species_of(row, species)
            values = {"species_id": kind.pk if kind else None}
            values["trees_alive"] = self.cell(row, "trees_alive", parse_int)
            for optional in ("trees_dead", "trees_replanted"):
                if row.has(optional):
                    values[optional] = self.cell(row, optional, parse_int) or 0
            if row.has("loss_cause"):
                values["loss_cause"] = self.cell(
                    row,
                    "loss_cause",
                    parse_choice,
                    SurvivalCount.LossCause.choices,
                    SPANISH_CHOICES["loss_cause"],
                )
            visit = visits.get(row.number)
            if row.failed or visit is None:
                continue
            if self.duplicate(row, "species", seen, (visit.pk, kind.pk)):
                continue
            count = existing.get((visit.pk, kind.pk))
            action = "create" if count is None else "update"
            if count is None:
                count = SurvivalCount(visit=visit, **values)
            elif not assign(count, values):
                action = "unchanged"
            count.visit = visit
            if action != "unchanged" and self.validate(row, count, exclude=["visit", "species"]):
                (new if action == "create" else changed).append(count)
            self.row_outcome(row, visit, action, kind.local_name)
        self.write(SurvivalCount, new, changed, self.FIELDS)


class MeasurementImporter(VisitImporter):
    """Sample trees. A tagged tree is found by its tag; untagged ones by identical values."""

    FIELDS = ["visit_id", "species_id", "dbh_cm", "height_m", "tree_tag", "latitude", "longitude"]

    def run(self, rows):
        visits = self.visits_of(rows)
        species = species_lookup()
        existing = defaultdict(list)
        for chunk in chunks({v.pk for v in visits.values()}):
            for tree in TreeMeasurement.objects.filter(visit_id__in=chunk).order_by("pk"):
                existing[self.key(tree)].append(tree)
        new, changed, seen = [], [], {}
        for row in rows:
            kind = self.species_of(row, species)
            values = {
                "species_id": kind.pk if kind else None,
                "dbh_cm": self.cell(row, "dbh_cm", parse_decimal),
                "height_m": self.cell(row, "height_m", parse_decimal),
            }
            for optional, parser in (
                ("tree_tag", text),
                ("latitude", parse_decimal),
                ("longitude", parse_decimal),
            ):
                if row.has(optional):
                    values[optional] = self.cell(row, optional, parser)
            visit = visits.get(row.number)
            if row.failed or visit is None:
                continue
            tree = TreeMeasurement(visit=visit, **values)
            key = self.key(tree)
            if values.get("tree_tag") and self.duplicate(row, "tree_tag", seen, key):
                continue
            matches = existing.get(key)
            found = matches.pop(0) if matches else None
            action = "create"
            if found is not None:
                tree, action = found, ("update" if assign(found, values) else "unchanged")
            tree.visit = visit
            if action != "unchanged" and self.validate(row, tree, exclude=["visit", "species"]):
                (new if action == "create" else changed).append(tree)
            self.row_outcome(row, visit, action, f"{kind.local_name} {values['dbh_cm']} cm")
        self.write(TreeMeasurement, new, changed, self.FIELDS)

    @staticmethod
    def key(tree):
        if tree.tree_tag:
            return (tree.visit_id, tree.tree_tag)
        return (tree.visit_id, tree.species_id, tree.dbh_cm, tree.height_m)
