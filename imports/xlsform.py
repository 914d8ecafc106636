"""The monitoring-visit field form, as an XLSForm for ODK Collect and KoboToolbox.

Its choice lists are the current communities, members, plots and species, cascading community ->
member -> plot with `choice_filter`; its constraints repeat the server's rules (counts >= 0, no
more trees alive than planted on the plot, DBH and height within plantings.models bounds with one
decimal, tree positions inside Peru, no visit date in the future), so a technician sees a mistake
on the phone, offline. Every name is unique across the survey (pyxform refuses a repeated name):
the survival counts of a species are `sp<pk>_alive`... in a group `sp<pk>`. The plot's boundary is
walked as a `geoshape`; each sample tree of the `trees` repeat has a `geopoint`. Exports of the
submissions are read back by imports/submissions.py.
"""

import io

from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook

from members.models import Community, Member, Plot
from members.validators import PERU_LAT_MAX, PERU_LAT_MIN, PERU_LON_MAX, PERU_LON_MIN
from plantings.models import DBH_CM_MAX, HEIGHT_M_MAX, Planting, Species, SurvivalCount

FORM_ID = "acopagro_monitoring"
ES, EN = "label::Español (es)", "label::English (en)"
HINT_ES, HINT_EN = "hint::Español (es)", "hint::English (en)"
SURVEY_HEADERS = [
    "type",
    "name",
    ES,
    EN,
    HINT_ES,
    HINT_EN,
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "constraint_message::English (en)",
    "choice_filter",
    "calculation",
    "appearance",
]
COUNT_FIELDS = ("alive", "dead", "replanted", "loss_cause")
BOUNDARY_FIELD = "boundary"

LOSS_CAUSES_ES = {
    "": "ninguna",
    "drought": "sequía",
    "flood": "inundación",
    "pests": "plagas",
    "disease": "enfermedad",
    "fire": "fuego",
    "felled": "talado o rozado",
    "animals": "animales",
    "other": "otra",
}

COUNT_RULE = (". >= 0", "No puede ser negativo.", "Cannot be negative.")


def species_choice(species: Species) -> str:
    return f"sp{species.pk}"


def planted_column(species: Species) -> str:
    """Column of the choices sheet: trees of this species planted on the plot (plot rows)."""
    return f"planted_{species_choice(species)}"


def q(type_, name, es, en, **extra) -> dict:
    return {"type": type_, "name": name, ES: es, EN: en, **extra}


def constrained(row: dict, rule: tuple[str, str, str]) -> dict:
    row["constraint"], row["constraint_message::Español (es)"] = rule[0], rule[1]
    row["constraint_message::English (en)"] = rule[2]
    return row


def species_rows(kind: Species) -> list[dict]:
    """The survival counts of one species, shown when the technician ticked it."""
    group = species_choice(kind)
    planted = f"{group}_planted"
    alive_rule = (
        f". >= 0 and . <= ${{{planted}}}",
        f"Entre 0 y ${{{planted}}}, los árboles de {kind.local_name} plantados en la parcela.",
        f"Between 0 and ${{{planted}}}, the {kind.local_name} trees planted on the plot.",
    )
    return [
        q("begin_group", group, kind.local_name, kind.local_name,
          relevant=f"selected(${{species_present}}, '{group}')"),
        {"type": "calculate", "name": planted,
         "calculation": f"coalesce(instance('plot')/root/item[name = ${{plot}}]/"
                        f"{planted_column(kind)}, 0)"},
        constrained(q("integer", f"{group}_alive", "Árboles vivos", "Trees alive", required="yes"),
                    alive_rule),
        constrained(q("integer", f"{group}_dead", "Árboles muertos", "Trees dead"), COUNT_RULE),
        constrained(q("integer", f"{group}_replanted", "Árboles resembrados", "Trees replanted"),
                    COUNT_RULE),
        q("select_one loss_cause", f"{group}_loss_cause", "Causa de pérdida", "Cause of loss",
          relevant=f"${{{group}_dead}} > 0"),
        q("end_group", "", "", ""),
    ]  # fmt: skip


def tree_rows() -> list[dict]:
    """The sample trees: species, diameter, height, tag and GPS position, as many as measured."""
    dbh_rule = (
        f". >= 0.1 and . <= {DBH_CM_MAX} and round(., 1) = .",
        f"Entre 0,1 y {DBH_CM_MAX} cm, con un decimal.",
        f"Between 0.1 and {DBH_CM_MAX} cm, with one decimal.",
    )
    height_rule = (
        f". >= 0.1 and . <= {HEIGHT_M_MAX} and round(., 1) = .",
        f"Entre 0,1 y {HEIGHT_M_MAX} m, con un decimal.",
        f"Between 0.1 and {HEIGHT_M_MAX} m, with one decimal.",
    )
    lat, lon = "number(selected-at(., 0))", "number(selected-at(., 1))"
    in_peru = (
        f"{lat} >= {PERU_LAT_MIN} and {lat} <= {PERU_LAT_MAX} and "
        f"{lon} >= {PERU_LON_MIN} and {lon} <= {PERU_LON_MAX}",
        "La ubicación está fuera del Perú.",
        "The location is outside Peru.",
    )
    return [
        q("begin_repeat", "trees", "Árboles de muestra", "Sample trees"),
        q("select_one species", "species", "Especie", "Species", required="yes",
          choice_filter="selected(${species_present}, name)"),
        constrained(q("decimal", "dbh_cm", "Diámetro (cm)", "Diameter (cm)", required="yes",
                      **{HINT_ES: "A 1,3 m, o en el cuello si el árbol es más bajo.",
                         HINT_EN: "At 1.3 m, or at the collar while the tree is shorter."}),
                    dbh_rule),
        constrained(q("decimal", "height_m", "Altura (m)", "Height (m)", required="yes"),
                    height_rule),
        q("text", "tree_tag", "Placa", "Tag"),
        constrained(q("geopoint", "location", "Ubicación", "Location"), in_peru),
        q("end_repeat", "", "", ""),
    ]  # fmt: skip


def survey_rows(species: list[Species]) -> list[dict]:
    rows = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "deviceid", "name": "deviceid"},
        q("begin_group", "visit", "Visita", "Visit"),
        q("select_one community", "community", "Comunidad", "Community", required="yes"),
        q("select_one member", "member", "Socio", "Member", required="yes",
          choice_filter="community=${community}"),
        q("select_one plot", "plot", "Parcela", "Plot", required="yes",
          choice_filter="member=${member}"),
        constrained(
            q("date", "visited_on", "Fecha de visita", "Visit date", required="yes"),
            (". <= today()", "La fecha no puede ser futura.", "The date cannot be in the future."),
        ),
        q("text", "technician", "Técnico", "Technician", required="yes"),
        q("text", "notes", "Observaciones", "Notes", appearance="multiline"),
        q("geoshape", BOUNDARY_FIELD, "Límite de la parcela", "Plot boundary",
          **{HINT_ES: "Opcional: camine el contorno de la parcela y marque cada esquina.",
             HINT_EN: "Optional: walk round the plot and mark each corner."}),
        q("select_multiple species", "species_present", "Especies en la parcela",
          "Species on the plot", required="yes"),
        q("end_group", "", "", ""),
    ]  # fmt: skip
    for kind in species:
        rows += species_rows(kind)
    return rows + tree_rows()


def choice_headers(species: list[Species]) -> list[str]:
    return ["list_name", "name", ES, EN, "community", "member", *map(planted_column, species)]


def choice_rows(species: list[Species]) -> list[dict]:
    rows = []
    for community in Community.objects.order_by("name"):
        name = f"c{community.pk}"
        rows.append(
            {"list_name": "community", "name": name, ES: community.name, EN: community.name}
        )
    members = Member.objects.active().order_by("community__name", "search_text")
    for member in members.only("pk", "code", "first_name", "last_name", "community_id"):
        label = f"{member.first_name} {member.last_name} ({member.code})"
        rows.append(
            {
                "list_name": "member",
                "name": f"m{member.pk}",
                ES: label,
                EN: label,
                "community": f"c{member.community_id}",
            }
        )
    plots = Plot.objects.filter(member__status=Member.Status.ACTIVE)
    planted = {}  # plot pk -> {column: trees planted}, summed by the database
    totals = Planting.objects.filter(plot__in=plots).values("plot_id", "species_id")
    by_pk = {kind.pk: kind for kind in species}
    for total in totals.annotate(trees=Sum("trees_planted")).order_by():
        column = planted_column(by_pk[total["species_id"]])
        planted.setdefault(total["plot_id"], {})[column] = total["trees"]
    for plot in plots.order_by("code").only("pk", "code", "name", "member_id"):
        label = f"{plot.code} {plot.name}".strip()
        rows.append(
            {
                "list_name": "plot",
                "name": plot.code,
                ES: label,
                EN: label,
                "member": f"m{plot.member_id}",
                **planted.get(plot.pk, {}),
            }
        )
    for kind in species:
        label = f"{kind.local_name} ({kind.scientific_name})"
        rows.append({"list_name": "species", "name": species_choice(kind), ES: label, EN: label})
    for value, label in SurvivalCount.LossCause.choices:
        rows.append(
            {
                "list_name": "loss_cause",
                "name": value or "none",
                ES: LOSS_CAUSES_ES.get(value, str(label)),
                EN: str(label),
            }
        )
    return rows


def build_xlsform() -> bytes:
    """The XLSForm workbook (sheets survey, choices, settings) as .xlsx bytes."""
    species = list(Species.objects.order_by("local_name"))
    workbook = Workbook()
    sheets = (
        ("survey", SURVEY_HEADERS, survey_rows(species)),
        ("choices", choice_headers(species), choice_rows(species)),
    )
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h, "") for h in headers])
            for cell in sheet[sheet.max_row]:
                # openpyxl stores text starting with "=" as a formula: a member named "=cmd|..."
                # must stay text, in Excel as on the phone.
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    version = timezone.localtime().strftime("%Y%m%d%H%M")
    settings.append(["Acopagro – monitoreo de plantaciones", FORM_ID, version, "Español (es)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
