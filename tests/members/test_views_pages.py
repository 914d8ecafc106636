"""What the member list shows: search, filters, sorting, plot totals, pages; bad query strings."""

import pytest
from django.urls import reverse

from members.models import Plot
from tests.factories import MemberFactory, PlotFactory
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db


def codes_listed(response):
    return [m.code for m in response.context["object_list"]]


def test_member_list_search_ignores_accents_and_case(staff_client):
    build_world(3)
    for query in ("nunez", "NÚÑEZ rosa", "70000000", "w-0000"):
        response = staff_client.get(reverse("members:member_list"), {"q": query})
        assert codes_listed(response) == ["W-0000"], query


def test_member_list_filters(staff_client):
    world = build_world(3)
    other = MemberFactory(code="Z-1", status="inactive", organic_certified=True)
    PlotFactory(member=other, land_use=Plot.LandUse.PURMA)
    url = reverse("members:member_list")
    assert codes_listed(staff_client.get(url, {"status": "inactive"})) == ["Z-1"]
    assert codes_listed(staff_client.get(url, {"certification": "organic"})) == ["Z-1"]
    assert codes_listed(staff_client.get(url, {"land_use": "purma"})) == ["Z-1"]
    community = world.member.community_id
    assert "Z-1" not in codes_listed(staff_client.get(url, {"community": community}))
    assert len(codes_listed(staff_client.get(url, {"community": community}))) == 3


def test_member_list_sorts_and_keeps_plot_totals_right_under_a_land_use_filter(
    staff_client, spanish
):
    world = build_world(3)
    PlotFactory(member=world.member, land_use=Plot.LandUse.PURMA, area_ha="1.25")
    url = reverse("members:member_list")
    response = staff_client.get(url, {"o": "-name"})
    names = [m.last_name for m in response.context["object_list"]]
    assert names == sorted(names, reverse=True)
    [row] = staff_client.get(url, {"land_use": "purma"}).context["object_list"]
    # Both plots counted (cacao 2 ha + purma 1.25 ha), not only the one matching the filter.
    assert (row.plot_count, row.area_ha_total) == (2, pytest.approx(3.25))
    content = staff_client.get(url, {"land_use": "purma"}).content.decode()
    assert "3.25" in content  # Peru's decimal point (core/formats/es_PE)


def test_member_list_paginates(staff_client):
    build_world(55, prefix="P")
    url = reverse("members:member_list")
    first = staff_client.get(url)
    second = staff_client.get(url, {"page": 2})
    assert len(first.context["object_list"]) == 50
    assert len(second.context["object_list"]) == 5
    assert not set(codes_listed(first)) & set(codes_listed(second))


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # Filters that do not validate: the page with their messages, no rows, 400 (issue 17).
        ("/members/?community=abc&status=nope&o=bogus&land_use=x", 400),
        ("/members/?page=999", 404),
        ("/plots/search/?q=" + "a" * 5000, 200),
    ],
)
def test_bad_query_strings_never_give_a_server_error(staff_client, url, status):
    build_world(1)
    assert staff_client.get(url).status_code == status
