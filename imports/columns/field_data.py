"""The columns of the field programme's imports: plantings, survival counts, sample trees."""

from django.utils.translation import gettext_lazy as _

from imports.columns.base import Column

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

# The columns that find the visit a survival count or a sample tree belongs to.
VISIT_KEY_COLUMNS = (
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
)

VISIT_COLUMNS = (
    *VISIT_KEY_COLUMNS,
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
    *VISIT_KEY_COLUMNS,
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
