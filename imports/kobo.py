"""Read the CSV export of the monitoring field form (imports/xlsform.py) as visit rows.

KoboToolbox names columns `group/field` (or `group.field`) and adds `_uuid` and
`meta/instanceID`; ODK Central names them `group-field` and adds `meta-instanceID` and `KEY`.
Each submission becomes one row per species counted, carrying the submission's instance ID to
MonitoringVisit.external_id, so importing the same export again never duplicates a visit.
Exports must use the choices' values ("XML values"), not their labels.
"""

import re

from django.utils.translation import gettext as _

from imports.readers import DataFileError, Table, read_table
from plantings.models import Species

KOBO_KIND = "kobo"
VISIT_HEADERS = [
    "plot_code",
    "visited_on",
    "technician",
    "notes",
    "external_id",
    "species",
    "trees_alive",
    "trees_dead",
    "trees_replanted",
    "loss_cause",
]
INSTANCE_ID_COLUMNS = ("meta/instanceid", "instanceid", "key", "_uuid")
SPECIES_GROUP = re.compile(r"^sp(\d+)$")


def column_path(header: str) -> tuple[str, ...]:
    """'visit/plot', 'visit-plot' and 'visit.plot' -> ('visit', 'plot')."""
    return tuple(part for part in re.split(r"[/.\-]", header.strip().lower()) if part)


def instance_id(value) -> str:
    value = str(value or "").strip()
    if value and not value.startswith("uuid:") and re.fullmatch(r"[0-9a-fA-F-]{32,36}", value):
        value = f"uuid:{value}"  # Kobo's `_uuid` is meta/instanceID without its prefix
    return value


def read_submissions(content: bytes) -> Table:
    """Turn a Kobo / ODK Central CSV (or XLSX) export into a table of the `visits` kind."""
    source = read_table(content)
    fields: dict[str, int] = {}  # last path segment -> position (plot, visited_on...)
    counts: dict[tuple[int, str], int] = {}  # (species pk, field) -> position
    id_columns: dict[str, int] = {}
    for position, header in enumerate(source.headers):
        path = column_path(header)
        if not path:
            continue
        joined = "/".join(path)
        if joined in INSTANCE_ID_COLUMNS or path[-1] == "instanceid":
            id_columns.setdefault(
                joined if joined in INSTANCE_ID_COLUMNS else "meta/instanceid", position
            )
            continue
        match = SPECIES_GROUP.match(path[-2]) if len(path) >= 2 else None
        if match:
            counts[(int(match.group(1)), path[-1])] = position
        else:
            fields.setdefault(path[-1], position)
    missing = [name for name in ("plot", "visited_on", "technician") if name not in fields]
    if missing or not id_columns:
        raise DataFileError(
            _(
                "This is not an export of the Acopagro monitoring form: missing %(columns)s. "
                "Export the submissions as CSV with XML values and headers."
            )
            % {"columns": ", ".join(missing or ["meta/instanceID"])}
        )
    id_position = next(id_columns[c] for c in INSTANCE_ID_COLUMNS if c in id_columns)
    names = dict(Species.objects.values_list("pk", "scientific_name"))
    species_ids = sorted({pk for pk, _field in counts})
    rows, numbers = [], []
    for offset, values in enumerate(source.rows):

        def cell(position, values=values):
            return values[position] if position is not None and position < len(values) else None

        submission = [
            cell(fields["plot"]),
            cell(fields["visited_on"]),
            cell(fields["technician"]),
            cell(fields.get("notes")),
            instance_id(cell(id_position)),
        ]
        counted = False
        for pk in species_ids:
            alive = cell(counts.get((pk, "alive")))
            if alive in (None, ""):
                continue  # species not on this plot (the group was not relevant)
            counted = True
            cause = cell(counts.get((pk, "loss_cause")))
            rows.append(
                [
                    *submission,
                    names.get(pk, f"sp{pk}"),
                    alive,
                    cell(counts.get((pk, "dead"))),
                    cell(counts.get((pk, "replanted"))),
                    "" if cause == "none" else cause,
                ]
            )
            numbers.append(source.first_row_number + offset)
        if not counted:
            rows.append([*submission, "", "", "", "", ""])
            numbers.append(source.first_row_number + offset)
    return Table(VISIT_HEADERS, rows, row_numbers=numbers, encoding=source.encoding)
