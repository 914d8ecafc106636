"""Issue 16: the map's GeoJSON is gzip-compressed and its coordinates rounded to what the map
draws (5 decimals, 1.1 m); HTML pages stay uncompressed (BREACH)."""

import gzip
import json

import pytest
from django.urls import reverse

from reports.geojson import round_coordinates
from tests.factories import PlotFactory

pytestmark = pytest.mark.django_db


def test_coordinates_are_rounded_and_repeats_dropped():
    ring = [[-76.7000001, -7.2], [-76.69, -7.2], [-76.6900004, -7.2000004], [-76.69, -7.19]]
    ring.append(ring[0])
    geometry = round_coordinates({"type": "Polygon", "coordinates": [ring]})
    assert geometry["coordinates"] == [
        [[-76.7, -7.2], [-76.69, -7.2], [-76.69, -7.19], [-76.7, -7.2]]
    ]
    assert round_coordinates({"type": "Point", "coordinates": [-76.1234567, -7.7654321]}) == {
        "type": "Point",
        "coordinates": [-76.12346, -7.76543],
    }


def test_the_geojson_is_compressed_and_rounded(staff_client):
    square = [[-76.7123456, -7.2], [-76.69, -7.2], [-76.69, -7.19], [-76.7123456, -7.19]]
    PlotFactory(boundary_geojson={"type": "Polygon", "coordinates": [[*square, square[0]]]})
    url = reverse("reports:map_geojson")
    response = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    data = json.loads(gzip.decompress(response.content))
    [feature] = [f for f in data["features"] if f["geometry"]["type"] == "Polygon"]
    assert feature["geometry"]["coordinates"][0][0] == [-76.71235, -7.2]
    plain = staff_client.get(url)
    assert "Content-Encoding" not in plain and json.loads(plain.content) == data


def test_html_pages_are_not_compressed(staff_client):
    response = staff_client.get(reverse("reports:map"), HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response


def test_the_compressed_copy_is_made_once_per_generation(staff_client, monkeypatch):
    from reports import maps

    made = []
    real = maps.compress_string
    monkeypatch.setattr(maps, "compress_string", lambda data: made.append(1) or real(data))
    PlotFactory()
    url = reverse("reports:map_geojson")
    first = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    second = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert len(made) == 1 and second.content == first.content
    PlotFactory()  # a new plot: a new document, compressed again
    third = staff_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert len(made) == 2
    assert len(json.loads(gzip.decompress(third.content))["features"]) == 2
