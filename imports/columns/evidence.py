"""The columns of the EUDR evidence imports: plot boundaries and deforestation screenings."""

from django.utils.translation import gettext_lazy as _

from imports.columns.base import Column

# Plot boundaries: one row per GeoJSON feature / KML placemark (imports/boundaries.py), or a CSV.
BOUNDARY_COLUMNS = (
    Column("plot_code", "Código de parcela", _("Plot code."), True, "ACO-0001-1", ("parcela",)),
    Column(
        "boundary", "Límite", _("GeoJSON Polygon or MultiPolygon, WGS84, 6 decimals."), True,
        '{"type": "Polygon", "coordinates": [...]}', ("geometry", "geojson", "poligono"),
        "boundary_geojson",
    ),
)  # fmt: skip
# Deforestation screening results, e.g. a Whisp CSV (its other columns are ignored).
SCREENING_COLUMNS = (
    Column(
        "plot_code", "Código de parcela", _("Plot code."), True, "ACO-0001-1",
        ("parcela", "plotid", "external_id"),
    ),
    Column("screened_on", "Fecha", _("Date of the analysis."), True, "2026-06-30", ("date",)),
    Column("source", "Fuente", _("Tool and version."), True, "Whisp", ("tool", "herramienta")),
    Column(
        "result", "Resultado",
        _("no_loss / loss / inconclusive (Whisp's EUDR_risk low / high / more_info_needed)."),
        True, "no_loss", ("eudr_risk", "risk", "resultado_eudr"),
    ),
    Column("details", "Detalles", _("Notes on the result."), False, "", ("notes",)),
)  # fmt: skip
