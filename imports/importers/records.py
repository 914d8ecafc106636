"""Importers of plots and plantings: how a row becomes a record, and its natural key.

Lookups (communities, members, plots, species, existing records) are loaded once per file, not
once per row. Foreign keys resolved from those lookups exist by construction, so they are left
out of `full_clean()`'s field checks (one query per row saved); every other rule of the model,
`clean()` included, runs for every row.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext as _

from imports.importers.base import BaseImporter, assign
from imports.importers.common import chunks, fold, species_lookup
from imports.parsing import (
    SPANISH_CHOICES,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    text,
)
from members.models import Member, Plot
from members.records import PLOT_DESCRIPTION_FIELDS
from plantings.models import Planting, Programme


class PlotImporter(BaseImporter):
    """Plots, found by plot code."""

    ROW_CONSTRAINTS = False  # area: MinValueValidator; latitude, longitude, altitude: clean()

    FIELDS = (
        "code",
        "member_id",
        *PLOT_DESCRIPTION_FIELDS,
    )

    def run(self, rows):
        members = {m.code: m for m in Member.objects.only("pk", "code")}
        members_by_folded = {fold(code): m for code, m in members.items()}
        plots = {p.code: p for p in Plot.objects.all()}
        new, changed, seen = [], [], {}
        for row in rows:
            code = self.cell(row, "code")
            member_code = self.cell(row, "member_code")
            member = members.get(member_code) or members_by_folded.get(fold(member_code))
            if member_code and member is None:
                self.error(
                    row,
                    "member_code",
                    _("No member has the code %(code)s.") % {"code": member_code},
                )
            values = {
                "code": code,
                "member_id": member.pk if member else None,
                "land_use": self.cell(
                    row, "land_use", parse_choice, Plot.LandUse.choices, SPANISH_CHOICES["land_use"]
                ),
                "area_ha": self.cell(row, "area_ha", parse_decimal),
            }
            for name, parser in (
                ("name", text),
                ("latitude", parse_decimal),
                ("longitude", parse_decimal),
                ("altitude_m", parse_int),
            ):
                if row.has(name):
                    values[name] = self.cell(row, name, parser)
            if row.failed:
                self.check_failed(row, Plot, values, exclude=["member"])
                continue
            if self.duplicate(row, "code", seen, code):
                continue
            plot = plots.get(code)
            action = "create" if plot is None else "update"
            if plot is None:
                plot = Plot(**values)
            elif not assign(plot, values):
                action = "unchanged"
            if action != "unchanged" and self.validate(row, plot, exclude=["member"]):
                (new if action == "create" else changed).append(plot)
            self.outcome(row, action, code)
        self.write(Plot, new, changed, list(self.FIELDS))


class PlantingImporter(BaseImporter):
    """Plantings, found by plot, species and date; the plot's capacity counts the whole file."""

    ROW_CONSTRAINTS = False  # its only constraint, trees_planted > 0, is a field validator too
    DETACHED = ("species_id", "planted_on", "trees_planted", "nursery_batch", "arrangement")
    FIELDS = (
        "plot_id",
        "species_id",
        "planted_on",
        "trees_planted",
        "nursery_batch",
        "arrangement",
    )

    def run(self, rows):
        self.date_verdicts = {}
        plots = {p.code: p for p in Plot.objects.select_related("member")}
        species = species_lookup()
        wanted = {text(r.cells.get("plot_code")) for r in rows}
        plot_ids = [plots[c].pk for c in wanted if c in plots]
        existing = defaultdict(list)
        for chunk in chunks(plot_ids):
            for planting in Planting.objects.filter(plot_id__in=chunk).order_by("pk"):
                existing[(planting.plot_id, planting.species_id, planting.planted_on)].append(
                    planting
                )
        new, changed, seen, in_file = [], [], {}, []
        for row in rows:
            plot = self.lookup(row, "plot_code", plots, _("No plot has the code %(value)s."))
            kind = self.species_of(row, species)
            values = {
                "plot_id": plot.pk if plot else None,
                "species_id": kind.pk if kind else None,
                "planted_on": self.cell(row, "planted_on", parse_date),
                "trees_planted": self.cell(row, "trees_planted", parse_int),
            }
            if row.has("nursery_batch"):
                values["nursery_batch"] = self.cell(row, "nursery_batch")
            if row.has("arrangement"):
                values["arrangement"] = (
                    self.cell(
                        row,
                        "arrangement",
                        parse_choice,
                        Planting.Arrangement.choices,
                        SPANISH_CHOICES["arrangement"],
                    )
                    or Planting.Arrangement.DISPERSED
                )
            key = (values["plot_id"], values["species_id"], values["planted_on"])
            if row.failed:
                self.check_failed(row, Planting, values, exclude=["plot", "species", "recorded_by"])
                continue
            if self.duplicate(row, "planted_on", seen, key):
                continue
            matches = existing.get(key)
            planting = matches.pop(0) if matches else None
            action = "create" if planting is None else "update"
            if planting is None:
                planting = Planting(recorded_by=self.user, **values)
            elif not assign(planting, values):
                action = "unchanged"
            planting.plot, planting.species = plot, kind  # cached: clean() reads plot.member
            valid = action == "unchanged" or self.validate(
                row, planting, exclude=["plot", "species", "recorded_by"]
            )
            if self.check_member(row, planting) and valid:
                in_file.append((row, planting))
                if action != "unchanged":
                    (new if action == "create" else changed).append(planting)
            self.outcome(row, action, f"{plot.code} {kind.local_name} {values['planted_on']}")
        self.check_plots(in_file)
        self.write(Planting, new, changed, list(self.FIELDS))

    def validate(self, row, instance, exclude=None) -> bool:
        """Field validators row by row; Planting.clean() once per planting date.

        The rules of clean() about the plot (member active, plot capacity) query the database
        for every row and cannot see the other rows of the file; check_member() and
        check_plots() apply them with the file in view. Without its plot, clean() only checks
        the date (not in the future, not before the programme), so its verdict is the same for
        every row of one date and is worked out once per date (one query each, not per row).
        """
        detached = Planting(**{f: getattr(instance, f) for f in self.DETACHED})
        errors = {}
        try:
            detached.clean_fields(exclude=["plot", "species", "recorded_by", *row.bad_fields])
        except ValidationError as exc:
            errors = exc.message_dict
        if detached.planted_on not in self.date_verdicts:
            try:
                Planting(planted_on=detached.planted_on).clean()
                self.date_verdicts[detached.planted_on] = {}
            except ValidationError as exc:
                self.date_verdicts[detached.planted_on] = exc.message_dict
        for field, messages in self.date_verdicts[detached.planted_on].items():
            errors.setdefault(field, []).extend(messages)
        if errors:
            self.model_errors(row, ValidationError(errors))
            return False
        return not row.failed

    def check_member(self, row, planting) -> bool:
        member = planting.plot.member
        if planting.pk is None and member.status != Member.Status.ACTIVE:
            self.error(
                row,
                "plot_code",
                _("%(member)s is not an active member: new plantings are refused.")
                % {"member": member.full_name},
            )
            return False
        return True

    def check_plots(self, in_file):
        """Planting.clean()'s capacity rule for the whole file: a plot's trees, saved ones plus
        the file's rows, stay within its area times the programme's maximum density."""
        programme = Programme.current()
        plot_ids = {planting.plot_id for _row, planting in in_file}
        saved = defaultdict(int)
        for chunk in chunks(plot_ids):
            totals = Planting.objects.filter(plot_id__in=chunk).values("plot_id")
            for item in totals.annotate(trees=Sum("trees_planted")):
                saved[item["plot_id"]] = item["trees"]
        matched = {p.pk for _row, p in in_file if p.pk}
        for chunk in chunks(matched):
            for item in Planting.objects.filter(pk__in=chunk).values("plot_id", "trees_planted"):
                saved[item["plot_id"]] -= item["trees_planted"]  # replaced by the file's value
        running = defaultdict(int)
        for row, planting in in_file:
            plot = planting.plot
            running[plot.pk] += planting.trees_planted
            capacity = int(plot.area_ha * programme.max_trees_per_ha)
            total = saved[plot.pk] + running[plot.pk]
            if total > capacity:
                self.error(
                    row,
                    "trees_planted",
                    _(
                        "Plot %(plot)s (%(area)s ha) holds at most %(capacity)s trees at "
                        "%(density)s trees/ha; with the rows above in this file it would hold "
                        "%(total)s."
                    )
                    % {
                        "plot": plot.code,
                        "area": plot.area_ha,
                        "capacity": capacity,
                        "density": programme.max_trees_per_ha,
                        "total": total,
                    },
                )
