"""The EUDR export against the TRACES rules, its refusal, its split by size; the problems page."""

import datetime
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from members.models import District, Plot, ScreeningResult
from members.services import set_plot_boundary
from reports import eudr
from tests.factories import CommunityFactory, MemberFactory, PlotFactory
from tests.members.geo import LAT, LON, square

pytestmark = pytest.mark.django_db
EXPORT = reverse("reports:eudr_export")
PROBLEMS = reverse("reports:plot_problems")
DECIMALS_6 = re.compile(r"^-?\d+(\.\d{1,6})?$")


def seven_decimals(geometry):
    rings = [
        [[round(x + 0.0000004, 7), round(y - 0.0000004, 7)] for x, y in ring]
        for ring in geometry["coordinates"]
    ]
    return {"type": "Polygon", "coordinates": rings}


@pytest.fixture
def valley(db):
    """A community of Pachiza: one plot with a polygon, one small plot as a point."""
    community = CommunityFactory(name="Dos de Mayo", district=District.PACHIZA)
    rosa = MemberFactory(first_name="Rosa", last_name="Núñez", community=community, code="AC-1")
    polygon = PlotFactory(member=rosa, code="ACO-1", area_ha=Decimal("1.20"))
    set_plot_boundary(plot=polygon, geometry=seven_decimals(square()))
    point = PlotFactory(
        member=rosa,
        code="ACO-2",
        area_ha=Decimal("0.80"),
        latitude=Decimal("-7.212345"),
        longitude=Decimal("-76.712345"),
    )
    other = CommunityFactory(name="Bagazán")
    PlotFactory(member__community=other, code="BAG-1", area_ha=Decimal("9"))  # blocks, elsewhere
    return community, polygon, point


def coordinates_of(geometry):
    if geometry["type"] == "Point":
        yield geometry["coordinates"]
        return
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def assert_traces_rules(collection: dict):
    """TRACES: a FeatureCollection; Polygon/MultiPolygon/Point; ≤ 6 decimals; its properties."""
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        geometry, properties = feature["geometry"], feature["properties"]
        assert geometry["type"] in ("Polygon", "MultiPolygon", "Point")
        for lon, lat in coordinates_of(geometry):
            assert DECIMALS_6.match(repr(lon)) and DECIMALS_6.match(repr(lat))
            assert -81.4 <= lon <= -68.6 and -18.4 <= lat <= 0.05
        assert properties["ProducerCountry"] == "PE"
        assert properties["ProducerName"] and properties["ProductionPlace"]
        assert ("Area" in properties) == (geometry["type"] == "Point")


def test_community_export_follows_the_traces_rules(manager_client, valley):
    community, polygon, point = valley
    response = manager_client.get(EXPORT, {"community": community.pk, "format": "geojson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert 'filename="eudr-dos-de-mayo-' in response["Content-Disposition"]
    collection = json.loads(response.content)
    assert_traces_rules(collection)
    by_place = {f["properties"]["ProductionPlace"]: f for f in collection["features"]}
    assert set(by_place) == {
        "ACO-1, Dos de Mayo (Pachiza, ubigeo 220604)",
        "ACO-2, Dos de Mayo (Pachiza, ubigeo 220604)",
    }
    shape = by_place["ACO-1, Dos de Mayo (Pachiza, ubigeo 220604)"]
    # Stored with 7 decimals, exported with 6.
    assert polygon.boundary_geojson["coordinates"][0][0] == [-76.7000006, -7.2000014]
    assert shape["geometry"]["coordinates"][0][0] == [-76.700001, -7.200001]
    assert shape["properties"]["ProducerName"] == "Rosa Núñez"
    dot = by_place["ACO-2, Dos de Mayo (Pachiza, ubigeo 220604)"]
    assert dot["geometry"] == {"type": "Point", "coordinates": [-76.712345, -7.212345]}
    assert dot["properties"]["Area"] == 0.8


def test_export_is_refused_with_the_plots_to_fix(manager_client, valley):
    response = manager_client.get(EXPORT, {"format": "geojson"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "TRACES would refuse this export: fix 1 plot first." in page
    assert "BAG-1" in page and "over 4 ha without a polygon" in page
    assert "ACO-1" not in page


def test_overlapping_plots_block_the_export(manager_client, valley):
    community, polygon, _point = valley
    neighbour = PlotFactory(member__community=community, code="ACO-9")
    set_plot_boundary(plot=neighbour, geometry=square(LON + 0.0005, LAT))
    response = manager_client.get(EXPORT, {"community": community.pk, "format": "geojson"})
    assert response.status_code == 409
    assert "overlaps another plot" in response.content.decode()


def test_member_codes_selection_and_unknown_codes(manager_client, valley):
    response = manager_client.get(EXPORT, {"member_codes": "AC-1", "format": "geojson"})
    assert response.status_code == 200
    assert len(json.loads(response.content)["features"]) == 2
    response = manager_client.get(EXPORT, {"member_codes": "AC-1, NOPE"})
    assert response.status_code == 400
    assert "No member has the code: NOPE." in response.content.decode()


def test_export_is_split_under_the_size_limit(valley):
    community, _polygon, _point = valley
    for i in range(8):
        PlotFactory(member__community=community, code=f"ACO-P{i}", area_ha=Decimal("1"))
    selection = eudr.Selection(community_id=community.pk)
    whole = eudr.geojson_files(selection, max_bytes=10**9)
    assert len(whole) == 1
    files = eudr.geojson_files(selection, max_bytes=1200)
    assert len(files) > 2 and all(len(f) <= 1200 for f in files)
    features = [f for content in files for f in json.loads(content)["features"]]
    assert features == json.loads(whole[0])["features"]
    for content in files:
        assert_traces_rules(json.loads(content))


def test_split_download_is_one_zip(manager_client, valley, settings):
    community, _polygon, _point = valley
    settings.EUDR_EXPORT_MAX_BYTES = 400
    response = manager_client.get(EXPORT, {"community": community.pk, "format": "geojson"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 2 and names[0].endswith("-1.geojson")


def test_spreadsheet_says_which_plots_lack_evidence(manager_client, valley):
    community, polygon, _point = valley
    Plot.objects.filter(pk=polygon.pk).update(
        land_use_2020="cacao",
        land_use_2020_declared_by="Rosa Núñez",
        land_use_2020_declared_on=datetime.date(2025, 1, 10),
    )
    ScreeningResult.objects.create(
        plot=polygon, screened_on=datetime.date(2026, 6, 30), source="Whisp", result="no_loss"
    )
    response = manager_client.get(EXPORT, {"community": community.pk, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    table = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert table["ACO-1"]["deforestation evidence"] == "yes"
    assert table["ACO-1"]["screening result"] == "Whisp: no forest loss after 2020"
    assert table["ACO-1"]["ubigeo"] == "220604"
    assert table["ACO-2"]["deforestation evidence"] == "missing"
    page = manager_client.get(EXPORT, {"community": community.pk}).content.decode()
    assert "1 plot lacks deforestation evidence" in page
    assert "Download GeoJSON for TRACES" in page


def test_command_writes_files_or_lists_plots_to_fix(valley, tmp_path, capsys):
    call_command("eudr_export", "--out", str(tmp_path), "--community", "Dos de Mayo")
    written = list(tmp_path.glob("eudr-dos-de-mayo-*.geojson"))
    assert len(written) == 1
    assert_traces_rules(json.loads(written[0].read_bytes()))
    with pytest.raises(CommandError, match="1 plots to fix"):
        call_command("eudr_export", "--out", str(tmp_path / "all"))
    assert "BAG-1" in capsys.readouterr().err
    assert not (tmp_path / "all").exists()


@pytest.mark.parametrize("url", [EXPORT, PROBLEMS])
def test_anonymous_goes_to_login_and_outsider_gets_403(client, outsider, url):
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_staff_see_problems_but_not_the_export(staff_client):
    assert staff_client.get(PROBLEMS).status_code == 200
    assert staff_client.get(EXPORT).status_code == 403


def test_problems_page_lists_each_problem_and_overlaps(staff_client, valley):
    community, polygon, _point = valley
    neighbour = PlotFactory(member__community=community, code="ACO-9")
    set_plot_boundary(plot=neighbour, geometry=square(LON + 0.0005, LAT))
    page = staff_client.get(PROBLEMS).content.decode()
    assert "BAG-1" in page and "over 4 ha without a polygon" in page
    overlaps = page.split('id="overlaps-heading"')[1]
    assert "ACO-1" in overlaps and "ACO-9" in overlaps and "Rosa Núñez" in overlaps
    only = staff_client.get(PROBLEMS, {"problem": "overlapping"}).content.decode()
    assert "BAG-1" not in only.split('id="overlaps-heading"')[0]
    assert staff_client.get(PROBLEMS, {"community": "x²"}).status_code == 200


def test_map_draws_boundaries_with_their_problems(staff_client, valley):
    _community, polygon, _point = valley
    Plot.objects.filter(code="ACO-2").update(boundary_geojson={"type": "Polygon"})  # broken
    features = staff_client.get(reverse("reports:map_geojson")).json()["features"]
    by_code = {f["properties"]["code"]: f for f in features}
    assert by_code["ACO-1"]["geometry"]["type"] == "Polygon"
    assert by_code["ACO-2"]["geometry"]["type"] == "Point"  # the broken boundary is not drawn
    assert by_code["BAG-1"]["properties"]["problems"] == ["over 4 ha without a polygon"]
    assert by_code["ACO-1"]["properties"]["id"] == polygon.pk


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # permissions and navbar cached from now on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_problems_page_query_count_does_not_grow(staff_client, valley):
    community, _polygon, _point = valley
    small = count_queries(staff_client, PROBLEMS)
    for i in range(12):
        plot = PlotFactory(member__community=community, code=f"GROW-{i}", area_ha=Decimal("6"))
        if i % 2:
            set_plot_boundary(plot=plot, geometry=square(LON + 0.0003 * i, LAT))  # overlaps
    assert count_queries(staff_client, PROBLEMS) == small


def test_find_plot_overlaps_command(valley):
    from members.models import PlotOverlap

    community, _polygon, _point = valley
    neighbour = PlotFactory(member__community=community, code="ACO-9")
    set_plot_boundary(plot=neighbour, geometry=square(LON + 0.0005, LAT))
    PlotOverlap.objects.all().delete()
    out = io.StringIO()
    call_command("find_plot_overlaps", stdout=out)
    assert "1 overlapping pairs of plots." in out.getvalue()
    assert PlotOverlap.objects.count() == 1
