"""An export of the monitoring field form (imports/xlsform.py), whatever tool made it.

KoboToolbox (imports/kobo.py) and ODK Central (imports/odk_central.py) both export one table of
submissions and one table per repeat group: here, the sample trees of the `trees` repeat. Column
names follow the form's structure: group paths joined with `/` (Kobo) or `-` (Central), so a
column is recognised by its last path segment (`visit/plot`, `visit-plot` -> `plot`) and a
species count by its name (`sp<pk>_alive`...). Exports must use the choices' values ("XML
values"), not their labels.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from imports.readers import DataFileError, Table

SPECIES_FIELD = re.compile(r"^sp(\d+)_(alive|dead|replanted|loss_cause)$")
INSTANCE_ID_COLUMNS = ("meta/instanceid", "instanceid", "key", "_uuid")
# TreeMeasurement.latitude / longitude keep 6 decimals (about 0.1 m, finer than a phone's GPS).
COORDINATE_PLACES = Decimal("0.000001")


@dataclass
class FieldExport:
    """The submissions, their sample trees, and which submission each tree belongs to."""

    submissions: Table
    trees: Table | None = None
    tree_parents: list[int | None] = field(default_factory=list)  # index into submissions.rows
    submissions_name: str = ""  # sheet or file name, to name columns in error messages
    trees_name: str = ""


def column_path(header) -> tuple[str, ...]:
    """'visit/plot', 'visit-plot' and 'visit.plot' -> ('visit', 'plot')."""
    return tuple(part for part in re.split(r"[/.\-]", str(header or "").strip().lower()) if part)


def last_segment(header) -> str:
    path = column_path(header)
    return path[-1] if path else ""


def instance_id(value) -> str:
    value = str(value or "").strip()
    if value and not value.startswith("uuid:") and re.fullmatch(r"[0-9a-fA-F-]{32,36}", value):
        value = f"uuid:{value}"  # Kobo's `_uuid` is meta/instanceID without its prefix
    return value


def instance_id_position(headers: list[str]) -> int | None:
    """The column holding the submission's instance ID: meta/instanceID, then KEY, then _uuid."""
    found = {}
    for position, header in enumerate(headers):
        joined = "/".join(column_path(header))
        if joined.endswith("instanceid"):
            joined = "meta/instanceid"
        if joined in INSTANCE_ID_COLUMNS:
            found.setdefault(joined, position)
    return next((found[c] for c in INSTANCE_ID_COLUMNS if c in found), None)


def require_columns(table: Table, names: tuple[str, ...], what: str) -> dict[str, int]:
    """Position of each wanted field (by last path segment); a clear error when one is missing."""
    positions = {}
    for position, header in enumerate(table.headers):
        positions.setdefault(last_segment(header), position)
    missing = [name for name in names if name not in positions]
    if missing:
        raise DataFileError(
            _(
                "This is not an export of the Acopagro monitoring form: %(what)s has no column "
                "%(columns)s. Export the submissions with XML values and headers."
            )
            % {"what": what, "columns": ", ".join(missing)}
        )
    return positions


def cell(values: list, position: int | None):
    if position is None or position >= len(values):
        return None
    return values[position]


def coordinate(value) -> Decimal | None:
    """A latitude or longitude from the phone, at the precision the database keeps."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)


def parse_geopoint(value) -> tuple[Decimal, Decimal] | None:
    """ODK's geopoint "lat lon [alt [accuracy]]" -> (latitude, longitude); None when blank."""
    text = str(value or "").strip()
    if not text:
        return None
    parts = text.split()
    if len(parts) < 2:
        raise ValueError(text)
    return coordinate(parts[0]), coordinate(parts[1])


def geoshape_to_geojson(value) -> dict | None:
    """ODK's geoshape "lat lon alt acc;lat lon alt acc;..." -> a GeoJSON Polygon.

    GeoJSON lists longitude first; the ring is closed (ODK Collect closes it already, a typed
    value may not). Raises ValueError with a message for the user when it is not a polygon.
    """
    text = str(value or "").strip()
    if not text:
        return None
    ring = []
    for point in filter(None, (p.strip() for p in text.split(";"))):
        parts = point.split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise ValueError(
                _("“%(point)s” is not a point “latitude longitude altitude accuracy”.")
                % {"point": point}
            ) from None
        ring.append([lon, lat])
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    if len({tuple(p) for p in ring}) < 3:
        raise ValueError(_("A boundary needs at least three distinct corners."))
    return {"type": "Polygon", "coordinates": [ring]}


MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # XLSX and CSV compress well, but not 200 times: beyond that, a zip bomb


def open_archive(content: bytes):
    """A zip file (XLSX workbook or ODK Central export), refused before it is inflated if its
    members would unpack to more than MAX_UNZIPPED_BYTES."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataFileError(
            _("This file is not a readable zip or XLSX file (%(error)s).") % {"error": exc}
        ) from exc
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNZIPPED_BYTES or unpacked > MAX_RATIO * max(len(content), 1):
        raise DataFileError(
            _("The archive would unpack to %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(unpacked / 1e6), "limit": MAX_UNZIPPED_BYTES // (1024 * 1024)}
        )
    return archive
