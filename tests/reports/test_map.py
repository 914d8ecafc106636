"""The map's GeoJSON: one feature per located plot, with land use and survival for colouring."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def features(client, query=""):
    response = client.get(reverse("reports:map_geojson") + query)
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    return {f["properties"]["code"]: f for f in data["features"]}


def test_points_carry_land_use_and_survival(staff_client, known):
    plots = features(staff_client)
    assert set(plots) == {known.p1.code, known.p2.code, known.p3.code, known.p4.code}
    p1 = plots[known.p1.code]
    assert p1["geometry"] == {"type": "Point", "coordinates": [-76.7, -7.2]}
    assert p1["properties"]["land_use"] == "cacao"
    assert (p1["properties"]["alive"], p1["properties"]["planted"]) == (640, 800)
    assert p1["properties"]["survival_pct"] == 80.0
    assert plots[known.p3.code]["properties"]["survival_pct"] is None  # nothing planted


def test_boundary_wins_over_the_point_and_filters_apply(staff_client, known):
    # A valid boundary (6 decimals, near the plot's point); a broken one is drawn as the point.
    square = {
        "type": "Polygon",
        "coordinates": [
            [[-76.700001, -7.200001], [-76.699001, -7.200001], [-76.699001, -7.199001],
             [-76.700001, -7.200001]]
        ],
    }  # fmt: skip
    known.p2.boundary_geojson = square
    known.p2.save()
    plots = features(staff_client, f"?community={known.a.pk}")
    assert set(plots) == {known.p1.code, known.p2.code}
    # Drawn with 5 decimals (about 1 m), the map's own precision (reports/maps.py).
    drawn = [[[-76.7, -7.2], [-76.699, -7.2], [-76.699, -7.199], [-76.7, -7.2]]]
    assert plots[known.p2.code]["geometry"] == {"type": "Polygon", "coordinates": drawn}
    assert set(features(staff_client, "?land_use=sugarcane")) == {known.p3.code}


def test_map_page_loads_leaflet_locally(staff_client):
    html = staff_client.get(reverse("reports:map")).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/js/reports-map.js" in html
    assert "http" not in html.split("data-tiles=")[1].split(" ")[0].strip('"')  # no tiles


def test_member_statement_pdf(client, manager, staff, outsider, known):
    url = reverse("reports:member_statement_pdf", args=[known.m1.pk])
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        "K-001" in response["Content-Disposition"].lower()
        or "k-001" in response["Content-Disposition"]
    )
    assert client.get(reverse("reports:member_statement_pdf", args=[999999])).status_code == 404
