"""The columns of each import kind: English and Spanish headers, whether required, an example.

The English header is the model's field name (or `<relation>_code`); the Spanish header is what
the cooperative's spreadsheets use. Headers are matched without case, accents, spaces or
punctuation, so "Código de socio", "codigo_socio" and "CODIGO SOCIO" are the same column.
"""

from django.utils.translation import gettext_lazy as _

from imports.columns.base import Column, column_names, header_key, header_lookup
from imports.columns.evidence import BOUNDARY_COLUMNS, SCREENING_COLUMNS
from imports.columns.field_data import MEASUREMENT_COLUMNS, PLANTING_COLUMNS, VISIT_COLUMNS
from imports.columns.registry import MEMBER_COLUMNS, PLOT_COLUMNS

__all__ = [
    "Column",
    "column_names",
    "header_key",
    "header_lookup",
    "IGNORE_UNKNOWN_COLUMNS",
    "KIND_COLUMNS",
    "KIND_LABELS",
]

IGNORE_UNKNOWN_COLUMNS = {"screenings"}

KIND_COLUMNS = {
    "members": MEMBER_COLUMNS,
    "plots": PLOT_COLUMNS,
    "plantings": PLANTING_COLUMNS,
    "visits": VISIT_COLUMNS,
    "measurements": MEASUREMENT_COLUMNS,
    "boundaries": BOUNDARY_COLUMNS,
    "screenings": SCREENING_COLUMNS,
}

KIND_LABELS = {
    "members": _("Members"),
    "plots": _("Plots"),
    "plantings": _("Plantings"),
    "visits": _("Monitoring visits: survival counts"),
    "measurements": _("Monitoring visits: sample-tree measurements"),
    "boundaries": _("Plot boundaries (GeoJSON, KML or CSV)"),
    "screenings": _("Deforestation screening results (e.g. Whisp CSV)"),
}
