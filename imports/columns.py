"""The columns of each import kind: English and Spanish headers, whether required, an example.

The English header is the model's field name (or `<relation>_code`); the Spanish header is what
the cooperative's spreadsheets use. Headers are matched without case, accents, spaces or
punctuation, so "Código de socio", "codigo_socio" and "CODIGO SOCIO" are the same column.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from members.text import search_key


@dataclass(frozen=True)
class Column:
    name: str  # English header; also the key of the parsed row
    spanish: str
    help: str
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = field(default=())
    model_field: str | None = None  # the model field whose errors belong to this column

    @property
    def error_field(self) -> str:
        return self.model_field or self.name


def header_key(text) -> str:
    """Fold a header for matching: lower case, no accents, only letters and digits."""
    return re.sub(r"[^a-z0-9]", "", search_key(str(text or "")))


MEMBER_COLUMNS = (
    Column(
        "code",
        "Código de socio",
        _("Member code, unique; when blank, a new member gets the next code ACO-00000."),
        False,
        "ACO-00001",
        ("member_code", "codigo", "codigo_socio", "cod_socio"),
    ),
    Column(
        "dni",
        "DNI",
        _("8-digit national identity number, unique."),
        True,
        "44556677",
        ("documento", "nro_dni"),
    ),
    Column("first_name", "Nombres", _("First names."), True, "Rosa Elvira", ("nombre",)),
    Column("last_name", "Apellidos", _("Last names."), True, "Núñez Tuanama", ("apellido",)),
    Column(
        "gender",
        "Sexo",
        _("F, M or X (female, male, other / not stated); a new member without it gets X."),
        False,
        "F",
        ("genero", "género"),
    ),
    Column(
        "birth_date",
        "Fecha de nacimiento",
        _("Birth date (YYYY-MM-DD or DD/MM/YYYY)."),
        False,
        "1975-04-12",
        ("nacimiento",),
    ),
    Column("phone", "Teléfono", _("Phone number."), False, "942 123 456", ("celular",)),
    Column(
        "community",
        "Comunidad",
        _("Community (comité) name."),
        True,
        "Dos de Mayo",
        ("comite", "sector"),
    ),
    Column(
        "district",
        "Distrito",
        _("District of the community; only needed to create a community that does not exist yet."),
        False,
        "juanjui",
    ),
    Column(
        "joined_on",
        "Fecha de ingreso",
        _("Date the member joined; may be blank."),
        False,
        "2005-03-01",
        ("ingreso",),
    ),
    Column(
        "status",
        "Estado",
        _("active, inactive or withdrawn (activo, inactivo, retirado)."),
        False,
        "active",
    ),
    Column(
        "organic_certified",
        "Orgánico",
        _("Organic certified: yes / no (sí / no)."),
        False,
        "sí",
        ("certificado_organico",),
    ),
    Column(
        "organic_certified_on",
        "Fecha orgánico",
        _("Organic certification date."),
        False,
        "2010-06-30",
        ("fecha_certificacion_organica",),
    ),
    Column(
        "fairtrade_certified",
        "Comercio justo",
        _("Fair-trade certified: yes / no."),
        False,
        "no",
        ("fairtrade", "certificado_comercio_justo"),
    ),
    Column(
        "fairtrade_certified_on",
        "Fecha comercio justo",
        _("Fair-trade certification date."),
        False,
        "",
    ),
)

PLOT_COLUMNS = (
    Column(
        "code",
        "Código de parcela",
        _("Plot code, unique."),
        True,
        "AC-0001-P1",
        ("plot_code", "codigo", "codigo_parcela", "parcela"),
    ),
    Column(
        "member_code",
        "Código de socio",
        _("Code of the member who farms the plot."),
        True,
        "AC-0001",
        ("member", "socio", "codigo_socio"),
        model_field="member",
    ),
    Column("name", "Nombre", _("Name of the plot."), False, "Cacao del río", ("nombre_parcela",)),
    Column(
        "land_use",
        "Uso de suelo",
        _("cacao, sugarcane, purma or forest (caña, bosque)."),
        True,
        "cacao",
        ("uso", "uso_suelo"),
    ),
    Column(
        "area_ha",
        "Área (ha)",
        _("Area in hectares, above 0."),
        True,
        "2.5",
        ("area", "hectareas", "superficie_ha"),
    ),
    Column(
        "latitude",
        "Latitud",
        _("Latitude in decimal degrees (inside Peru)."),
        False,
        "-7.180000",
        ("lat",),
    ),
    Column(
        "longitude",
        "Longitud",
        _("Longitude in decimal degrees (inside Peru)."),
        False,
        "-76.730000",
        ("lon", "lng"),
    ),
    Column(
        "altitude_m",
        "Altitud (m)",
        _("Metres above sea level."),
        False,
        "340",
        ("altitud", "altura_msnm", "msnm"),
    ),
)

PLANTING_COLUMNS = (
    Column(
        "plot_code",
        "Código de parcela",
        _("Code of the plot planted."),
        True,
        "AC-0001-P1",
        ("plot", "parcela", "codigo_parcela"),
        model_field="plot",
    ),
    Column(
        "species",
        "Especie",
        _("Species: scientific or local name."),
        True,
        "Caoba",
        ("especie_nombre",),
    ),
    Column(
        "planted_on",
        "Fecha de siembra",
        _("Planting date."),
        True,
        "2010-11-15",
        ("fecha_plantacion", "sembrado", "fecha"),
    ),
    Column(
        "trees_planted",
        "Árboles plantados",
        _("Number of trees planted, at least 1."),
        True,
        "250",
        ("arboles", "cantidad", "plantones"),
    ),
    Column("nursery_batch", "Lote de vivero", _("Nursery batch."), False, "V-2010-07", ("lote",)),
    Column(
        "arrangement",
        "Disposición",
        _("dispersed, line or border (disperso, línea, borde)."),
        False,
        "dispersed",
        ("arreglo", "distribucion"),
    ),
)

VISIT_COLUMNS = (
    Column(
        "plot_code",
        "Código de parcela",
        _("Code of the plot visited."),
        True,
        "AC-0001-P1",
        ("plot", "parcela", "codigo_parcela"),
        model_field="plot",
    ),
    Column(
        "visited_on",
        "Fecha de visita",
        _("Visit date."),
        True,
        "2015-06-01",
        ("fecha", "fecha_monitoreo"),
    ),
    Column(
        "technician",
        "Técnico",
        _("Technician who made the visit."),
        True,
        "Edwin Ríos",
        ("tecnico_responsable",),
    ),
    Column("species", "Especie", _("Species counted: scientific or local name."), True, "Caoba"),
    Column(
        "trees_alive", "Árboles vivos", _("Trees found alive (0 or more)."), True, "220", ("vivos",)
    ),
    Column(
        "trees_dead",
        "Árboles muertos",
        _("Trees found dead (0 or more)."),
        False,
        "30",
        ("muertos",),
    ),
    Column(
        "trees_replanted",
        "Árboles resembrados",
        _("Trees replanted (0 or more)."),
        False,
        "30",
        ("resembrados", "recalce"),
    ),
    Column(
        "loss_cause",
        "Causa de pérdida",
        _("drought, flood, pests, disease, fire, felled, animals, other (sequía, inundación...)."),
        False,
        "drought",
        ("causa",),
    ),
    Column("notes", "Observaciones", _("Notes on the visit."), False, "", ("notas",)),
    Column(
        "external_id",
        "ID de envío",
        _("Field-form instance ID, if any."),
        False,
        "",
        ("instance_id", "instanceid", "uuid"),
    ),
)

MEASUREMENT_COLUMNS = (
    Column(
        "plot_code",
        "Código de parcela",
        _("Code of the plot visited."),
        True,
        "AC-0001-P1",
        ("plot", "parcela", "codigo_parcela"),
        model_field="plot",
    ),
    Column(
        "visited_on",
        "Fecha de visita",
        _("Visit date."),
        True,
        "2015-06-01",
        ("fecha", "fecha_monitoreo"),
    ),
    Column("technician", "Técnico", _("Technician who made the visit."), True, "Edwin Ríos"),
    Column("species", "Especie", _("Species of the sample tree."), True, "Caoba"),
    Column(
        "dbh_cm",
        "Diámetro (cm)",
        _("Diameter in cm at 1.3 m (or at the collar)."),
        True,
        "12.5",
        ("dap_cm", "dap", "diametro"),
    ),
    Column("height_m", "Altura (m)", _("Height in metres."), True, "9.0", ("altura",)),
    Column(
        "tree_tag",
        "Placa",
        _("Tag of the sample tree, if any."),
        False,
        "T-17",
        ("etiqueta", "codigo_arbol"),
    ),
    Column("latitude", "Latitud", _("Latitude of the tree."), False, "", ("lat",)),
    Column("longitude", "Longitud", _("Longitude of the tree."), False, "", ("lon", "lng")),
    Column(
        "external_id",
        "ID de envío",
        _("Field-form instance ID of the visit, if any."),
        False,
        "",
        ("instance_id", "instanceid", "uuid"),
    ),
)

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


def header_lookup(columns) -> dict[str, Column]:
    """Every accepted spelling of every column, folded, to its column."""
    lookup = {}
    for column in columns:
        for spelling in (column.name, column.spanish, *column.aliases):
            lookup.setdefault(header_key(spelling), column)
    return lookup
