"""Import an export of the monitoring field form whole: counts, sample trees and plot boundaries.

One upload, whatever made it: a KoboToolbox XLSX export (submissions + `trees` sheet), an ODK
Central export zip (submissions CSV + trees CSV), or a plain CSV of the submissions. Each
submission becomes one visit, identified by its instance ID (MonitoringVisit.external_id, unique),
with one survival count per species counted and its sample trees; a walked boundary is stored on
the plot (Plot.full_clean(), history kept). All of it is written in one transaction, or nothing:
importing the same export again changes nothing.

`import_submissions()` takes the uploaded bytes and returns the ImportReport, like
`import_table()`, so the staff page, `manage.py import_data kobo` and a background job can run it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from imports.fieldform import (
    SPECIES_FIELD,
    FieldExport,
    cell,
    column_path,
    geoshape_to_geojson,
    instance_id,
    instance_id_position,
    last_segment,
    open_archive,
    parse_geopoint,
    require_columns,
)
from imports.importers.base import SAMPLE_ROWS, ImportReport, RowError
from imports.importers.common import chunks
from imports.kobo import KOBO_KIND, read_kobo
from imports.odk_central import is_central_zip, read_central
from imports.parsing import CellError, parse_date
from imports.readers import DataFileError, Table
from imports.services import import_table
from imports.xlsform import BOUNDARY_FIELD
from members.models import Plot
from members.services import set_plot_boundary
from plantings.models import Species

VISIT_FIELDS = ("plot_code", "visited_on", "technician", "notes", "external_id")
TREE_VISIT_FIELDS = ("plot_code", "visited_on", "technician", "external_id")
COUNT_FIELDS = ("species", "trees_alive", "trees_dead", "trees_replanted", "loss_cause")
COUNT_SOURCES = {"alive": "trees_alive", "dead": "trees_dead", "replanted": "trees_replanted"}
TREE_FIELDS = ("species", "dbh_cm", "height_m", "tree_tag", "latitude", "longitude")


@dataclass
class LabelledTable(Table):
    """A table whose rows each say which column of the export every value came from."""

    row_headers: list[dict] = field(default_factory=list)


def read_export(content: bytes) -> FieldExport:
    if content[:4] == b"PK\x03\x04":
        with open_archive(content) as archive:
            names = archive.namelist()
        if "xl/workbook.xml" not in names and is_central_zip(names):
            return read_central(content)
    return read_kobo(content)  # a Kobo XLSX, or a CSV of submissions from any tool


def import_submissions(*, content: bytes, user=None, dry_run: bool) -> ImportReport:
    """Validate a field-form export; write it in one transaction unless dry_run or a row is bad."""
    export = read_export(content)
    converted = Converter(export)
    visits = converted.visits()
    tree_rows = len(export.trees.rows) if export.trees else 0
    report = ImportReport(
        kind=KOBO_KIND, total_rows=len(export.submissions.rows) + tree_rows, dry_run=dry_run
    )
    report.errors += converted.errors
    with transaction.atomic():
        merge(report, import_table(kind="visits", table=visits, user=user))
        failed = {e.row for e in report.errors}
        trees, tree_errors = converted.trees(skip_rows=failed)
        report.errors += tree_errors
        if trees.rows:
            merge(report, import_table(kind="measurements", table=trees, user=user))
        save_boundaries(converted.boundaries, report, user, skip_rows=failed)
        report.written = not (report.errors or dry_run)
        if not report.written:
            transaction.set_rollback(True)
    unique = {(e.row, e.column, e.message): e for e in report.errors}
    report.errors = sorted(unique.values(), key=lambda e: (e.row, e.column))
    return report


def merge(report: ImportReport, part: ImportReport) -> None:
    report.created += part.created
    report.updated += part.updated
    report.unchanged += part.unchanged
    report.errors += part.errors
    report.sample += part.sample[: SAMPLE_ROWS - len(report.sample)]


class Converter:
    """The export's submissions as rows of the `visits` kind, its trees as `measurements`."""

    def __init__(self, export: FieldExport):
        self.export = export
        self.errors: list[RowError] = []
        self.boundaries: list[dict] = []
        names = Species.objects.values_list("pk", "scientific_name")
        self.species = {f"sp{pk}": name for pk, name in names}
        main = export.submissions
        self.fields = require_columns(
            main, ("plot", "visited_on", "technician"), _("the sheet of submissions")
        )
        self.id_at = instance_id_position(main.headers)
        if self.id_at is None:
            raise DataFileError(_("The export has no meta/instanceID (or KEY, _uuid) column."))
        self.counts: dict[str, dict[str, int]] = {}  # sp<pk> -> {alive: position...}
        for position, header in enumerate(main.headers):
            match = SPECIES_FIELD.match(last_segment(header))
            if match:
                self.counts.setdefault(f"sp{match.group(1)}", {})[match.group(2)] = position
        self.parents = []  # per submission: its visit's values and headers, for its trees

    def main_header(self, position) -> str:
        return self.export.submissions.headers[position]

    def visits(self) -> LabelledTable:
        main, fields = self.export.submissions, self.fields
        rows, numbers, headers = [], [], []
        for offset, values in enumerate(main.rows):
            number = main.first_row_number + offset
            visit = {
                "plot_code": cell(values, fields["plot"]),
                "visited_on": cell(values, fields["visited_on"]),
                "technician": cell(values, fields["technician"]),
                "notes": cell(values, fields.get("notes")),
                "external_id": instance_id(cell(values, self.id_at)),
            }
            visit_headers = {
                "plot_code": self.main_header(fields["plot"]),
                "visited_on": self.main_header(fields["visited_on"]),
                "technician": self.main_header(fields["technician"]),
                "external_id": self.main_header(self.id_at),
            }
            if "notes" in fields:
                visit_headers["notes"] = self.main_header(fields["notes"])
            self.parents.append((number, visit, visit_headers))
            self.read_boundary(number, values, visit)
            counted = False
            for group, positions in self.counts.items():
                alive = cell(values, positions.get("alive"))
                if alive in (None, ""):
                    continue  # species not on this plot (its group was not relevant)
                counted = True
                cause = cell(values, positions.get("loss_cause"))
                count = {
                    "species": self.species.get(group, group),
                    "trees_alive": alive,
                    "trees_dead": cell(values, positions.get("dead")),
                    "trees_replanted": cell(values, positions.get("replanted")),
                    "loss_cause": "" if cause == "none" else cause,
                }
                count_headers = {
                    COUNT_SOURCES.get(name, name): self.main_header(position)
                    for name, position in positions.items()
                }
                count_headers["species"] = count_headers["trees_alive"]
                rows.append([*(visit[f] for f in VISIT_FIELDS), *(count[f] for f in COUNT_FIELDS)])
                headers.append({**visit_headers, **count_headers})
                numbers.append(number)
            if not counted:
                rows.append([*(visit[f] for f in VISIT_FIELDS), "", "", "", "", ""])
                headers.append(visit_headers)
                numbers.append(number)
        return LabelledTable(
            [*VISIT_FIELDS, *COUNT_FIELDS], rows, row_numbers=numbers, row_headers=headers
        )

    def read_boundary(self, number, values, visit) -> None:
        position = self.fields.get(BOUNDARY_FIELD)
        raw = cell(values, position)
        if raw in (None, ""):
            return
        header = self.main_header(position)
        try:
            geometry = geoshape_to_geojson(raw)
        except ValueError as exc:
            self.errors.append(RowError(number, header, str(exc)))
            return
        self.boundaries.append({"row": number, "column": header, "geometry": geometry, **visit})

    def trees(self, skip_rows=frozenset()) -> tuple[LabelledTable, list[RowError]]:
        """The sample trees, each with its submission's visit (trees of a failed one are left
        out), and the errors found reading them."""
        trees, name = self.export.trees, self.export.trees_name
        headers_out = [*TREE_VISIT_FIELDS, *TREE_FIELDS]
        errors = []
        if trees is None or not self.parents:
            return LabelledTable(headers_out, []), errors
        positions = {}
        for position, header in enumerate(trees.headers):
            path = column_path(header)
            key = path[-1] if path else ""
            if len(path) >= 2 and path[-2] == "location" and key in ("latitude", "longitude"):
                key = f"location_{key}"  # ODK Central splits a geopoint in four columns
            positions.setdefault(key, position)
        label = {k: f"{name}: {trees.headers[p]}" for k, p in positions.items()}
        rows, numbers, row_headers = [], [], []
        for offset, values in enumerate(trees.rows):
            number = trees.first_row_number + offset
            parents = self.export.tree_parents
            parent = parents[offset] if offset < len(parents) else None
            if parent is None:
                message = _("This tree belongs to no submission of the export.")
                errors.append(RowError(number, name, message))
                continue
            parent_row, visit, visit_headers = self.parents[parent]
            if parent_row in skip_rows:
                continue
            try:
                latitude, longitude = self.position(values, positions)
            except ValueError:
                message = _("This is not a GPS position “latitude longitude altitude accuracy”.")
                column = label.get("location") or label.get("location_latitude", name)
                errors.append(RowError(number, column, message))
                continue
            species = cell(values, positions.get("species"))
            tree = {
                "species": self.species.get(str(species or "").strip(), species),
                "dbh_cm": cell(values, positions.get("dbh_cm")),
                "height_m": cell(values, positions.get("height_m")),
                "tree_tag": cell(values, positions.get("tree_tag")),
                "latitude": latitude,
                "longitude": longitude,
            }
            tree_headers = {
                k: label[k] for k in ("species", "dbh_cm", "height_m", "tree_tag") if k in label
            }
            geo = label.get("location") or label.get("location_latitude", "")
            tree_headers.update(latitude=geo, longitude=label.get("location_longitude", geo))
            rows.append([*(visit[f] for f in TREE_VISIT_FIELDS), *(tree[f] for f in TREE_FIELDS)])
            row_headers.append({**visit_headers, **tree_headers})
            numbers.append(number)
        table = LabelledTable(headers_out, rows, row_numbers=numbers, row_headers=row_headers)
        return table, errors

    @staticmethod
    def position(values, positions) -> tuple:
        """A tree's (latitude, longitude): one geopoint column (Kobo) or split ones (Central)."""
        if "location" in positions:
            return parse_geopoint(cell(values, positions["location"])) or (None, None)
        latitude = cell(values, positions.get("location_latitude"))
        longitude = cell(values, positions.get("location_longitude"))
        if latitude in (None, "") and longitude in (None, ""):
            return None, None
        return parse_geopoint(f"{latitude} {longitude}")


def save_boundaries(boundaries: list[dict], report: ImportReport, user, skip_rows=()) -> None:
    """The plot's boundary from its latest visit in the export, checked by Plot.full_clean()
    and saved with its history row."""
    latest = {}
    for boundary in boundaries:
        if boundary["row"] in skip_rows:
            continue
        try:
            day = parse_date(boundary["visited_on"])
        except CellError:
            continue  # reported by the visit's own row
        if day is None:
            continue
        code = str(boundary["plot_code"] or "").strip()
        if code not in latest or day >= latest[code][0]:
            latest[code] = (day, boundary)
    plots = {}
    for chunk in chunks(latest):
        plots.update((p.code, p) for p in Plot.objects.filter(code__in=chunk))
    for code, (_day, boundary) in latest.items():
        plot = plots.get(code)
        if plot is None:
            continue  # the unknown plot is reported by the visit's row
        if plot.boundary_geojson == boundary["geometry"]:
            report.unchanged += 1
            continue
        try:  # the plot's rules (members/geometry.py), its history and its overlaps
            set_plot_boundary(plot=plot, geometry=boundary["geometry"], user=user)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    report.add_error(RowError(boundary["row"], boundary["column"], message))
            continue
        report.updated += 1
        if len(report.sample) < SAMPLE_ROWS:
            record = _("Boundary of plot %(plot)s") % {"plot": code}
            report.sample.append({"row": boundary["row"], "action": "update", "record": record})
