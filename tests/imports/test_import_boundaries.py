"""Boundary imports (GeoJSON, KML, CSV) and screening imports (Whisp CSV): all or nothing."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.boundaries import read_boundaries
from imports.readers import DataFileError
from imports.services import import_table
from members.models import Plot, PlotOverlap, ScreeningResult
from tests.factories import PlotFactory
from tests.imports.conftest import messages, run
from tests.members.geo import LAT, LON, bow_tie, square

pytestmark = pytest.mark.django_db


def feature(code, geometry, key="plot_code"):
    return {"type": "Feature", "properties": {key: code}, "geometry": geometry}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def kml(*placemarks) -> bytes:
    body = "".join(
        f"<Placemark><name>{code}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y},0" for x, y in ring)
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>"
        for code, ring in placemarks
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><Folder>{body}</Folder></Document></kml>"
    ).encode()


def import_boundaries(content, dry_run=False):
    return import_table(kind="boundaries", table=read_boundaries(content), dry_run=dry_run)


@pytest.fixture
def plots(db):
    return [PlotFactory(code=f"ACO-{i}") for i in range(1, 4)]


def test_geojson_sets_boundaries_and_finds_overlaps(plots):
    report = import_boundaries(
        geojson(
            feature("ACO-1", square()),
            feature("aco-2", square(LON + 0.0005, LAT), key="Código de parcela"),
        )
    )
    assert report.ok and report.written and report.updated == 2
    first, second = (Plot.objects.get(code=c) for c in ("ACO-1", "ACO-2"))
    assert first.boundary_geojson == square() and first.boundary_area_ha is not None
    assert PlotOverlap.objects.filter(plot=first, other_plot=second).exists()
    assert first.history.first().boundary_geojson == square()
    # The same file again changes nothing.
    again = import_boundaries(geojson(feature("ACO-1", square())))
    assert again.ok and again.unchanged == 1 and again.updated == 0


def test_geojson_with_bad_rows_saves_nothing_and_names_each_feature(plots):
    report = import_boundaries(
        geojson(
            feature("ACO-1", square()),
            feature("ACO-2", bow_tie()),
            feature("NOPE-9", square()),
            feature("ACO-3", None),
            feature("ACO-1", square()),
        )
    )
    assert not report.written
    found = messages(report)
    assert found[0][:2] == (2, "boundary") and "crosses itself" in found[0][2]
    assert (3, "plot_code", "No plot has the code NOPE-9.") in found
    assert (4, "boundary", "This feature has no geometry.") in found
    assert found[-1][0] == 5 and "already has this record" in found[-1][2]
    assert not Plot.objects.exclude(boundary_geojson=None).exists()


def test_kml_matched_by_placemark_name(plots):
    ring = square()["coordinates"][0]
    report = import_boundaries(kml(("ACO-1", ring), ("ACO-2", bow_tie()["coordinates"][0])))
    assert not report.ok and not report.written
    assert messages(report)[0][:2] == (2, "boundary")
    assert "crosses itself" in messages(report)[0][2]
    report = import_boundaries(kml(("ACO-1", ring)))
    assert report.ok and report.written
    stored = Plot.objects.get(code="ACO-1").boundary_geojson
    assert stored == {"type": "Polygon", "coordinates": [ring]}


def test_kml_with_entities_is_refused():
    with pytest.raises(DataFileError):
        read_boundaries(b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "b">]><kml/>')


def test_not_a_feature_collection_is_refused():
    with pytest.raises(DataFileError):
        read_boundaries(b'{"type": "Polygon", "coordinates": []}')


def test_csv_with_geojson_text_column(plots):
    report = run("boundaries", [["plot_code", "boundary"], ["ACO-3", json.dumps(square())]])
    assert report.ok and Plot.objects.get(code="ACO-3").boundary_area_ha is not None


def test_upload_page_takes_a_kml_file_and_previews(staff_client, plots):
    ring = square()["coordinates"][0]
    response = staff_client.post(
        reverse("dataio:upload", args=["boundaries"]),
        {"file": SimpleUploadedFile("parcelas.kml", kml(("ACO-1", ring)))},
    )
    assert response.status_code == 302
    preview = staff_client.get(response["Location"])
    assert "ACO-1" in preview.content.decode()
    confirm = staff_client.post(response["Location"])
    assert confirm.status_code == 302
    assert Plot.objects.get(code="ACO-1").boundary_geojson is not None


def test_whisp_csv_imports_screenings_and_ignores_its_other_columns(manager, plots):
    rows = [
        ["plotId", "Country", "Area", "EUDR_risk", "date", "source"],
        ["ACO-1", "PER", "1.2", "low", "2026-06-30", "Whisp 2.0"],
        ["ACO-2", "PER", "1.1", "more_info_needed", "2026-06-30", "Whisp 2.0"],
    ]
    report = run("screenings", rows, user=manager)
    assert report.ok and report.created == 2
    results = dict(ScreeningResult.objects.values_list("plot__code", "result"))
    assert results == {"ACO-1": "no_loss", "ACO-2": "inconclusive"}
    assert ScreeningResult.objects.filter(recorded_by=manager).count() == 2
    assert ScreeningResult.objects.first().screened_on == datetime.date(2026, 6, 30)


def test_screening_rows_with_bad_values_save_nothing(plots):
    rows = [
        ["plot_code", "screened_on", "source", "result"],
        ["ACO-1", "2026-06-30", "Whisp", "maybe"],
        ["ACO-X", "2026-06-30", "Whisp", "low"],
        ["ACO-2", "yesterday", "Whisp", "low"],
    ]
    report = run("screenings", rows)
    assert {(row, column) for row, column, _message in messages(report)} == {
        (2, "result"),
        (3, "plot_code"),
        (4, "screened_on"),
    }
    assert not ScreeningResult.objects.exists()


def test_staff_cannot_import_screenings(staff_client):
    assert staff_client.get(reverse("dataio:upload", args=["screenings"])).status_code == 403
    assert staff_client.get(reverse("dataio:upload", args=["boundaries"])).status_code == 200
