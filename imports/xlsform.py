"""The monitoring-visit field form, as an XLSForm for ODK Collect and KoboToolbox.

Its choice lists are the current communities, members, plots and species, cascading community ->
member -> plot with `choice_filter`; its constraints repeat the server's rules (counts >= 0, DBH
and height within plantings.models bounds, no visit date in the future), so a technician sees a
mistake on the phone, offline. Survival counts are one group per species (`sp<pk>/alive`...),
which keeps each submission one flat CSV row for the import in imports/kobo.py.
"""

import io

from django.utils import timezone
from openpyxl import Workbook

from members.models import Community, Member, Plot
from plantings.models import DBH_CM_MAX, HEIGHT_M_MAX, Species, SurvivalCount

FORM_ID = "acopagro_monitoring"
ES, EN = "label::Español (es)", "label::English (en)"
SURVEY_HEADERS = [
    "type",
    "name",
    ES,
    EN,
    "required",
    "relevant",
    "constraint",
    "constraint_message::Español (es)",
    "constraint_message::English (en)",
    "choice_filter",
    "appearance",
]
CHOICE_HEADERS = ["list_name", "name", ES, EN, "community", "member"]

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


def q(type_, name, es, en, **extra) -> dict:
    return {"type": type_, "name": name, ES: es, EN: en, **extra}


def constrained(row: dict, rule: tuple[str, str, str]) -> dict:
    row["constraint"], row["constraint_message::Español (es)"] = rule[0], rule[1]
    row["constraint_message::English (en)"] = rule[2]
    return row


def survey_rows(species: list[Species]) -> list[dict]:
    rows = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "deviceid", "name": "deviceid"},
        q("begin_group", "visit", "Visita", "Visit"),
        q("select_one community", "community", "Comunidad", "Community", required="yes"),
        q(
            "select_one member",
            "member",
            "Socio",
            "Member",
            required="yes",
            choice_filter="community=${community}",
        ),
        q(
            "select_one plot",
            "plot",
            "Parcela",
            "Plot",
            required="yes",
            choice_filter="member=${member}",
        ),
        constrained(
            q("date", "visited_on", "Fecha de visita", "Visit date", required="yes"),
            (". <= today()", "La fecha no puede ser futura.", "The date cannot be in the future."),
        ),
        q("text", "technician", "Técnico", "Technician", required="yes"),
        q("text", "notes", "Observaciones", "Notes", appearance="multiline"),
        q(
            "select_multiple species",
            "species_present",
            "Especies en la parcela",
            "Species on the plot",
            required="yes",
        ),
        q("end_group", "", "", ""),
    ]
    for kind in species:
        name = species_choice(kind)
        relevant = f"selected(${{species_present}}, '{name}')"
        rows += [
            q("begin_group", name, kind.local_name, kind.local_name, relevant=relevant),
            constrained(
                q("integer", "alive", "Árboles vivos", "Trees alive", required="yes"), COUNT_RULE
            ),
            constrained(q("integer", "dead", "Árboles muertos", "Trees dead"), COUNT_RULE),
            constrained(
                q("integer", "replanted", "Árboles resembrados", "Trees replanted"), COUNT_RULE
            ),
            q(
                "select_one loss_cause",
                "loss_cause",
                "Causa de pérdida",
                "Cause of loss",
                relevant="${dead} > 0",
            ),
            q("end_group", "", "", ""),
        ]
    dbh_rule = (
        f". > 0 and . <= {DBH_CM_MAX}",
        f"Entre 0 y {DBH_CM_MAX} cm.",
        f"Between 0 and {DBH_CM_MAX} cm.",
    )
    height_rule = (
        f". > 0 and . <= {HEIGHT_M_MAX}",
        f"Entre 0 y {HEIGHT_M_MAX} m.",
        f"Between 0 and {HEIGHT_M_MAX} m.",
    )
    rows += [
        q("begin_repeat", "trees", "Árboles de muestra", "Sample trees"),
        q(
            "select_one species",
            "species",
            "Especie",
            "Species",
            required="yes",
            choice_filter="selected(${species_present}, name)",
        ),
        constrained(
            q("decimal", "dbh_cm", "Diámetro (cm)", "Diameter (cm)", required="yes"), dbh_rule
        ),
        constrained(
            q("decimal", "height_m", "Altura (m)", "Height (m)", required="yes"), height_rule
        ),
        q("text", "tree_tag", "Placa", "Tag"),
        q("geopoint", "location", "Ubicación", "Location"),
        q("end_repeat", "", "", ""),
    ]
    return rows


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
    for plot in Plot.objects.filter(member__status=Member.Status.ACTIVE).order_by("code"):
        label = f"{plot.code} {plot.name}".strip()
        rows.append(
            {
                "list_name": "plot",
                "name": plot.code,
                ES: label,
                EN: label,
                "member": f"m{plot.member_id}",
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
        ("choices", CHOICE_HEADERS, choice_rows(species)),
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
