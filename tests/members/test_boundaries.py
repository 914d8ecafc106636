"""Plot boundaries: every rule a GeoJSON geometry must pass, through the model, form and API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Plot
from members.services import set_plot_boundary
from tests.factories import MemberFactory, PlotFactory
from tests.members.geo import LAT, LON, bow_tie, square

pytestmark = pytest.mark.django_db


def boundary_error(geometry, **plot_fields) -> str:
    plot = PlotFactory.build(member=MemberFactory(), boundary_geojson=geometry, **plot_fields)
    with pytest.raises(ValidationError) as info:
        plot.full_clean()
    return " ".join(info.value.message_dict["boundary_geojson"])


def test_a_valid_square_is_accepted_and_measured():
    plot = PlotFactory(area_ha=Decimal("1.20"))
    set_plot_boundary(plot=plot, geometry=square())
    plot.refresh_from_db()
    assert plot.boundary_geojson == square()
    # 0.001° × 0.001° at 7.2° S on the WGS84 ellipsoid: 1.2215 ha.
    assert plot.boundary_area_ha == Decimal("1.2215")
    assert plot.boundary_min_lon == pytest.approx(LON)
    assert plot.boundary_max_lat == pytest.approx(LAT + 0.001)
    assert not plot.area_differs


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Point", "coordinates": [LON, LAT]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "no coordinates"),
        ({"type": "Polygon", "coordinates": [["x", "y"]]}, "in numbers"),
        ({"type": "Polygon", "coordinates": [[["x", "y"]]]}, "in numbers"),
        ({"type": "Polygon", "coordinates": [[[True, 1.0]]]}, "in numbers"),
        (
            {"type": "Polygon", "coordinates": [[[345000.0, 9200000.0]] * 4]},
            "not a WGS84",
        ),
    ],
    ids=["point", "empty", "strings-as-rings", "strings", "booleans", "utm-metres"],
)
def test_malformed_geometries_are_refused(geometry, words):
    assert words in boundary_error(geometry)


def test_bow_tie_is_refused_as_self_intersecting():
    assert "crosses itself" in boundary_error(bow_tie())


def test_open_ring_is_refused():
    geometry = square()
    geometry["coordinates"][0].pop()
    assert "not closed" in boundary_error(geometry)


def test_ring_of_three_points_is_refused():
    ring = square()["coordinates"][0]
    geometry = {"type": "Polygon", "coordinates": [[ring[0], ring[1], ring[0]]]}
    assert "at least 4 points" in boundary_error(geometry)


def test_hole_is_refused_unless_allowed(settings):
    inner = square(LON + 0.0002, LAT + 0.0002, side=0.0003)["coordinates"][0]
    geometry = {"type": "Polygon", "coordinates": [square()["coordinates"][0], inner[::-1]]}
    assert "hole" in boundary_error(geometry)
    settings.PLOT_BOUNDARY_ALLOW_HOLES = True
    plot = PlotFactory.build(member=MemberFactory(), boundary_geojson=geometry)
    plot.full_clean()


def test_five_decimals_are_refused():
    ring = [[round(x, 5), round(y, 5)] for x, y in square(-76.70001, -7.20001)["coordinates"][0]]
    assert "at least 6" in boundary_error({"type": "Polygon", "coordinates": [ring]})


def test_a_trailing_zero_on_some_coordinates_is_not_mistaken_for_five_decimals():
    # -76.699 is -76.699000 written short; the other corners carry 6 decimals.
    geometry = square(-76.700001, -7.2, side=0.001)
    plot = PlotFactory.build(member=MemberFactory(), boundary_geojson=geometry)
    plot.full_clean()


def test_outside_peru_is_refused():
    # Swapped latitude and longitude: a classic typing error.
    geometry = square(-7.200001, -76.700001)
    assert "outside Peru" in boundary_error(geometry, latitude=None, longitude=None)


def test_far_from_the_plots_point_is_refused():
    # ~11 km north of the plot's point (-7.2, -76.7).
    assert "from the plot's GPS point" in boundary_error(square(LON, LAT + 0.1))


def test_too_many_vertices_are_refused(settings):
    settings.PLOT_BOUNDARY_MAX_VERTICES = 10
    ring = [[LON + i * 0.00001, LAT + (i % 2) * 0.000013] for i in range(12)]
    ring += [[LON + 0.0002, LAT + 0.001], [LON, LAT + 0.001], ring[0]]
    assert "more than 10 points" in boundary_error({"type": "Polygon", "coordinates": [ring]})


def test_multipolygon_of_two_separate_squares_is_accepted():
    first = square()["coordinates"]
    second = square(LON + 0.002, LAT)["coordinates"]
    plot = PlotFactory(area_ha=Decimal("2.44"))
    set_plot_boundary(plot=plot, geometry={"type": "MultiPolygon", "coordinates": [first, second]})
    assert plot.boundary_area_ha == Decimal("2.4429")


def test_area_far_from_declared_is_flagged_with_both_areas(staff_client):
    plot = PlotFactory(area_ha=Decimal("3.00"))
    set_plot_boundary(plot=plot, geometry=square())
    assert plot.area_differs
    assert Plot.objects.with_problems().get().problem_area_differs
    page = staff_client.get(reverse("members:plot_detail", args=[plot.pk])).content.decode()
    assert "The polygon measures 1.22 ha but the declared area is 3.00 ha" in page


def test_area_within_tolerance_is_not_flagged(settings):
    settings.PLOT_AREA_TOLERANCE_PCT = 20
    plot = PlotFactory(area_ha=Decimal("1.45"))  # 1.2215 is 15.8 % below
    set_plot_boundary(plot=plot, geometry=square())
    assert not plot.area_differs
    assert not Plot.objects.with_problems().filter(problem_area_differs=True).exists()


def test_bad_boundary_saves_nothing():
    plot = PlotFactory()
    with pytest.raises(ValidationError):
        set_plot_boundary(plot=plot, geometry=bow_tie())
    plot.refresh_from_db()
    assert plot.boundary_geojson is None and plot.boundary_area_ha is None


def test_api_refuses_string_coordinates_with_400(admin_client_):
    plot = PlotFactory()
    response = admin_client_.patch(
        f"/api/plots/{plot.pk}/",
        {"boundary_geojson": {"type": "Polygon", "coordinates": [["x", "y"]]}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "boundary_geojson" in response.json()
    plot.refresh_from_db()
    assert plot.boundary_geojson is None


def test_plot_form_takes_a_boundary_and_refuses_a_bow_tie(staff_client):
    import json

    plot = PlotFactory(area_ha=Decimal("1.20"))
    url = reverse("members:plot_edit", args=[plot.pk])
    fields = {
        "code": plot.code,
        "name": plot.name,
        "land_use": plot.land_use,
        "area_ha": "1.20",
        "latitude": "-7.200000",
        "longitude": "-76.700000",
        "altitude_m": "350",
    }
    response = staff_client.post(url, {**fields, "boundary_geojson": json.dumps(bow_tie())})
    assert response.status_code == 200
    assert "crosses itself" in response.content.decode()
    plot.refresh_from_db()
    assert plot.boundary_geojson is None
    response = staff_client.post(url, {**fields, "boundary_geojson": json.dumps(square())})
    assert response.status_code == 302
    plot.refresh_from_db()
    assert plot.boundary_area_ha == Decimal("1.2215")
