"""A Kobo XLSX export and an ODK Central zip of the monitoring form, imported whole: one visit
per submission, its survival counts, its sample trees and the walked plot boundary."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from imports.submissions import import_submissions
from members.models import Plot
from plantings.models import MonitoringVisit, SurvivalCount, TreeMeasurement
from tests.factories import PlantingFactory, PlotFactory, SpeciesFactory
from tests.imports.conftest import messages
from tests.imports.field_exports import central_zip, kobo_xlsx

BUILDERS = {"kobo": kobo_xlsx, "odk-central": central_zip}
BOUNDARY = (
    "-7.200112 -76.700131 350 4;-7.200112 -76.699012 351 4;-7.199013 -76.699012 352 5;"
    "-7.200112 -76.700131 350 4"
)


@pytest.fixture
def field(staff_client, plot, caoba):
    cedro = SpeciesFactory(scientific_name="Cedrela odorata", local_name="Cedro")
    second = PlotFactory(member=plot.member, code="AC-0001-P2")
    PlantingFactory(plot=plot, species=caoba, trees_planted=150)
    PlantingFactory(plot=plot, species=cedro, trees_planted=80)
    PlantingFactory(plot=second, species=caoba, trees_planted=60)
    xlsform = staff_client.get(reverse("dataio:xlsform")).content
    return {"xlsform": xlsform, "plot": plot, "second": second, "caoba": caoba, "cedro": cedro}


def submissions(field, **changes):
    caoba, cedro = f"sp{field['caoba'].pk}", f"sp{field['cedro'].pk}"
    first = {
        "instanceID": "uuid:3c1a2b4e-1111-4222-8333-444455556666",
        "start": "2026-06-01T08:00:00.000-05:00",
        "community": f"c{field['plot'].member.community_id}",
        "member": f"m{field['plot'].member_id}",
        "plot": field["plot"].code,
        "visited_on": "2026-06-01",
        "technician": "Edwin Ríos",
        "notes": "Poda pendiente",
        "boundary": BOUNDARY,
        "species_present": f"{caoba} {cedro}",
        f"{caoba}_alive": 140,
        f"{caoba}_dead": 10,
        f"{caoba}_replanted": 5,
        f"{caoba}_loss_cause": "drought",
        f"{cedro}_alive": 80,
        f"{cedro}_dead": 0,
        "trees": [
            {"species": caoba, "dbh_cm": 12.5, "height_m": 9.5, "tree_tag": "T-1",
             "location": "-7.20012345678 -76.70098765432 349.5 4.2"},
            {"species": cedro, "dbh_cm": "8.0", "height_m": "1.2", "location": ""},
        ],
    }  # fmt: skip
    second = {
        "instanceID": "uuid:9f0e8d7c-2222-4333-8444-555566667777",
        "community": first["community"],
        "member": first["member"],
        "plot": field["second"].code,
        "visited_on": "2026-06-02",
        "technician": "Edwin Ríos",
        "species_present": caoba,
        f"{caoba}_alive": 55,
        f"{caoba}_dead": 5,
        f"{caoba}_loss_cause": "pests",
        "trees": [{"species": caoba, "dbh_cm": 20.1, "height_m": 12}],
    }
    first.update(changes)
    return [first, second]


@pytest.mark.parametrize("tool", BUILDERS)
def test_export_imported_whole_then_reimport_changes_nothing(field, staff, tool):
    content = BUILDERS[tool](field["xlsform"], submissions(field))

    preview = import_submissions(content=content, user=staff, dry_run=True)
    assert preview.ok, messages(preview)
    assert MonitoringVisit.objects.count() == 0 and TreeMeasurement.objects.count() == 0

    report = import_submissions(content=content, user=staff, dry_run=False)
    assert report.ok and report.written, messages(report)
    assert (report.created, report.updated) == (preview.created, preview.updated)
    visit = MonitoringVisit.objects.get(external_id="uuid:3c1a2b4e-1111-4222-8333-444455556666")
    assert (visit.plot, visit.visited_on, visit.technician) == (
        field["plot"],
        datetime.date(2026, 6, 1),
        "Edwin Ríos",
    )
    assert visit.notes == "Poda pendiente" and visit.recorded_by == staff
    counts = {c.species.local_name: c for c in visit.survival_counts.select_related("species")}
    assert (counts["Caoba"].trees_alive, counts["Caoba"].trees_dead) == (140, 10)
    assert (counts["Caoba"].trees_replanted, counts["Caoba"].loss_cause) == (5, "drought")
    assert (counts["Cedro"].trees_alive, counts["Cedro"].loss_cause) == (80, "")
    trees = {t.species.local_name: t for t in visit.measurements.select_related("species")}
    assert (trees["Caoba"].dbh_cm, trees["Caoba"].height_m) == (Decimal("12.5"), Decimal("9.5"))
    assert trees["Caoba"].tree_tag == "T-1"
    assert (trees["Caoba"].latitude, trees["Caoba"].longitude) == (
        Decimal("-7.200123"),
        Decimal("-76.700988"),
    )
    assert trees["Cedro"].height_m == Decimal("1.2") and trees["Cedro"].latitude is None
    other = MonitoringVisit.objects.get(plot=field["second"])
    assert other.external_id == "uuid:9f0e8d7c-2222-4333-8444-555566667777"
    assert other.survival_counts.get().trees_alive == 55
    assert other.measurements.get().dbh_cm == Decimal("20.1")
    assert SurvivalCount.objects.count() == 3 and TreeMeasurement.objects.count() == 3

    plot = Plot.objects.get(pk=field["plot"].pk)
    ring = plot.boundary_geojson["coordinates"][0]
    assert plot.boundary_geojson["type"] == "Polygon"
    assert ring[0] == [-76.700131, -7.200112] and ring[0] == ring[-1] and len(ring) == 4
    assert plot.history.first().boundary_geojson == plot.boundary_geojson
    assert plot.history.first().history_user == staff
    assert Plot.objects.get(pk=field["second"].pk).boundary_geojson is None

    history = (
        MonitoringVisit.history.count(),
        TreeMeasurement.history.count(),
        plot.history.count(),
    )
    again = import_submissions(content=content, user=staff, dry_run=False)
    assert again.ok and (again.created, again.updated) == (0, 0), messages(again)
    assert again.unchanged > 0
    assert MonitoringVisit.objects.count() == 2 and SurvivalCount.objects.count() == 3
    assert TreeMeasurement.objects.count() == 3
    assert history == (
        MonitoringVisit.history.count(),
        TreeMeasurement.history.count(),
        plot.history.count(),
    )


@pytest.mark.parametrize("tool", BUILDERS)
def test_bad_tree_names_its_row_and_column_and_nothing_is_written(field, tool):
    rows = submissions(field)
    rows[1]["trees"][0]["dbh_cm"] = 300
    report = import_submissions(
        content=BUILDERS[tool](field["xlsform"], rows), user=None, dry_run=False
    )
    assert not report.ok and not report.written
    [error] = report.errors
    column = "trees: trees/dbh_cm" if tool == "kobo" else "acopagro_monitoring-trees.csv: dbh_cm"
    assert (error.row, error.column) == (4, column)  # the third tree: line 4 of the trees sheet
    assert "250" in error.message
    assert MonitoringVisit.objects.count() == 0 and TreeMeasurement.objects.count() == 0
    assert Plot.objects.get(pk=field["plot"].pk).boundary_geojson is None


@pytest.mark.parametrize("tool", BUILDERS)
def test_count_above_the_trees_planted_names_the_species_column(field, tool):
    caoba = f"sp{field['caoba'].pk}"
    rows = submissions(field, **{f"{caoba}_alive": 151})
    report = import_submissions(
        content=BUILDERS[tool](field["xlsform"], rows), user=None, dry_run=True
    )
    sep = "/" if tool == "kobo" else "-"
    assert [(e.row, e.column) for e in report.errors] == [(2, f"{caoba}{sep}{caoba}_alive")]
    assert "151 trees alive is more than the 150" in report.errors[0].message


@pytest.mark.parametrize("tool", BUILDERS)
def test_a_boundary_that_is_not_a_polygon_names_row_and_column(field, tool):
    rows = submissions(field, boundary="-7.2001 -76.7001 350 4;-7.2001 -76.6990 351 4")
    report = import_submissions(
        content=BUILDERS[tool](field["xlsform"], rows), user=None, dry_run=False
    )
    sep = "/" if tool == "kobo" else "-"
    assert [(e.row, e.column) for e in report.errors] == [(2, f"visit{sep}boundary")]
    assert "three distinct corners" in report.errors[0].message
    assert MonitoringVisit.objects.count() == 0


def test_upload_page_takes_the_central_zip(field, staff_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = staff_client.get(reverse("dataio:upload", args=["kobo"])).content.decode()
    assert 'data-testid="export-help"' in page and "ODK Central zip" in page
    content = central_zip(field["xlsform"], submissions(field))
    upload = SimpleUploadedFile("acopagro_monitoring.zip", content, "application/zip")
    response = staff_client.post(reverse("dataio:upload", args=["kobo"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    body = staff_client.get(response.url).content.decode()
    assert "Every row is valid." in body
    staff_client.post(response.url, {"confirm": "1"})
    assert TreeMeasurement.objects.count() == 3 and MonitoringVisit.objects.count() == 2


def test_command_imports_a_kobo_workbook(field, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_xlsx(field["xlsform"], submissions(field)))
    call_command("import_data", "kobo", str(path), "--dry-run")
    assert MonitoringVisit.objects.count() == 0
    call_command("import_data", "kobo", str(path))
    assert MonitoringVisit.objects.count() == 2 and TreeMeasurement.objects.count() == 3


def test_data_page_explains_the_field_workflow(staff_client):
    body = staff_client.get(reverse("dataio:index")).content.decode()
    assert 'data-testid="field-workflow"' in body
    assert "XML values and headers" in body and reverse("dataio:xlsform") in body
