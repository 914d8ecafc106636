"""Read plot boundaries from a GeoJSON or KML file into the table the import service takes.

One row per feature (GeoJSON Feature, KML Placemark): the plot code, found in the feature's
properties (GeoJSON) or its ExtendedData / name (KML), and the geometry as GeoJSON text. The row
number of a feature is its position in the file (1 for the first), so errors point at it. The
rules on the geometry itself are the model's (members/geometry.py), applied by the importer.
A CSV or XLSX with the columns `plot_code` and `boundary` (GeoJSON text) is read as any table.
"""

import json
import warnings

from django.utils.translation import gettext as _

from imports.columns import header_key
from imports.readers import MAX_UPLOAD_BYTES, DataFileError, Table, read_table

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "lxml missing": the standard library parser is enough
    from fastkml import kml

BOUNDARY_KIND = "boundaries"
BOUNDARY_EXTENSIONS = (".geojson", ".json", ".kml", ".csv", ".xlsx")
# Where a feature may carry its plot code, folded as headers are (imports.columns.header_key).
CODE_KEYS = (
    "plotcode",
    "codigodeparcela",
    "codigoparcela",
    "codparcela",
    "parcela",
    "code",
    "codigo",
    "plotid",
)


def _plot_code(properties: dict) -> str:
    folded = {header_key(key): value for key, value in (properties or {}).items()}
    for key in CODE_KEYS:
        value = folded.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _table(features: list[tuple[str, object]]) -> Table:
    rows = [
        [code, json.dumps(geometry) if geometry is not None else ""] for code, geometry in features
    ]
    return Table(
        headers=["plot_code", "boundary"],
        rows=rows,
        row_numbers=list(range(1, len(rows) + 1)),
    )


def read_geojson(content: bytes) -> Table:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(_("This is not a GeoJSON file: %(error)s") % {"error": exc}) from exc
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise DataFileError(_("A GeoJSON FeatureCollection (with its “features”) is needed."))
    features = []
    for feature in document["features"]:
        if not isinstance(feature, dict):
            features.append(("", None))
            continue
        properties = feature.get("properties")
        code = _plot_code(properties if isinstance(properties, dict) else {})
        features.append((code, feature.get("geometry")))
    return _table(features)


def _placemarks(feature):
    for child in getattr(feature, "features", None) or []:
        yield from _placemarks(child)
    if isinstance(feature, kml.Placemark):
        yield feature


def _two_d(value):
    """KML coordinates carry an altitude (usually 0, clamped to the ground): keep lon, lat."""
    if value and isinstance(value[0], int | float):
        return [value[0], value[1]]
    return [_two_d(item) for item in value]


def read_kml(content: bytes) -> Table:
    head = content[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in content.upper():
        raise DataFileError(_("KML files with a DOCTYPE or entities are refused."))
    try:
        document = kml.KML.from_string(content)
    except Exception as exc:  # fastkml raises parser errors of several kinds
        raise DataFileError(_("This is not a KML file: %(error)s") % {"error": exc}) from exc
    features = []
    for top in document.features:
        for placemark in _placemarks(top):
            properties = {"name": placemark.name}
            if placemark.extended_data:
                properties.update(
                    {d.name: d.value for d in placemark.extended_data.elements if d.name}
                )
            code = _plot_code(properties) or (placemark.name or "").strip()
            geometry = None
            if placemark.geometry is not None:
                shape = placemark.geometry.__geo_interface__
                geometry = {"type": shape["type"], "coordinates": _two_d(shape["coordinates"])}
            features.append((code, geometry))
    return _table(features)


def read_boundaries(content: bytes) -> Table:
    """The features of a GeoJSON or KML file (detected from the content), or a CSV/XLSX table."""
    if not content.strip():
        raise DataFileError(_("The file is empty."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise DataFileError(_("The file is too large; split it into smaller files."))
    start = content.lstrip()[:200]
    if start.startswith(b"{") or start.startswith(b"\xef\xbb\xbf{"):
        return read_geojson(content)
    if start.startswith(b"<"):
        return read_kml(content)
    return read_table(content)
