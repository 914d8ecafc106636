"""What the planting list shows under its filters; bad query strings of the planting and
monitoring pages."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import PlantingFactory
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db


def test_planting_list_filters(staff_client, staff):
    world = build_world(2)
    recorded = PlantingFactory(
        plot=world.plot,
        species=world.other_species,
        planted_on=datetime.date(2015, 7, 1),
        trees_planted=10,
        recorded_by=staff,
    )
    url = reverse("plantings:planting_list")
    by = staff_client.get(url, {"recorded_by": staff.pk}).context["object_list"]
    assert list(by) == [recorded]
    year = staff_client.get(url, {"year": 2015}).context["object_list"]
    assert list(year) == [recorded]
    species = staff_client.get(url, {"species": world.species.pk}).context
    assert {p.species_id for p in species["object_list"]} == {world.species.pk}
    assert species["trees_total"] == 1200
    assert staff_client.get(url, {"q": "WP-0001"}).context["paginator"].count == 2


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # Filters that do not validate: the page with their messages, no rows, 400 (issue 17).
        ("/plantings/?year=abc&species=999999&recorded_by=x", 400),
        ("/monitoring/?year=20x5", 400),
        ("/monitoring/add/?plot=999999", 404),
    ],
)
def test_bad_query_strings_never_give_a_server_error(staff_client, url, status):
    build_world(1)
    assert staff_client.get(url).status_code == status
