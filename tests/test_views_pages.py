"""What the staff pages show: filters, sorting, survival figures, history, locale formats."""

import datetime

import pytest
from django.urls import reverse

from members.models import Member, Plot
from tests.factories import (
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
)
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(settings):
    """The staff's language, for the tests of Spanish number formats."""
    settings.LANGUAGE_CODE = "es"


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


def test_member_page_shows_latest_survival_by_species(staff_client, spanish):
    world = build_world(1)
    later = MonitoringVisitFactory(plot=world.plot, visited_on=datetime.date(2019, 5, 1))
    SurvivalCountFactory(visit=later, species=world.species, trees_alive=450, trees_dead=150)
    response = staff_client.get(reverse("members:member_detail", args=[world.member.pk]))
    rows = {row["local_name"]: row for row in response.context["survival"]}
    # Caoba: latest count 450 of 600 (2019); Cedro last counted in 2016: 250 of 300.
    assert (rows["Caoba"]["alive"], rows["Caoba"]["planted"]) == (450, 600)
    assert str(rows["Caoba"]["survival_pct"]) == "75.0"
    assert (rows["Cedro"]["alive"], rows["Cedro"]["last_visit"]) == (
        250,
        datetime.date(2016, 5, 10),
    )
    content = response.content.decode()
    assert "75.0\xa0%" in content and "83.3\xa0%" in content


def test_plot_page_shows_survival_over_time_and_room_left(staff_client, spanish):
    world = build_world(1)
    PlantingFactory(plot=world.plot, species=world.species, planted_on=datetime.date(2017, 1, 1))
    later = MonitoringVisitFactory(plot=world.plot, visited_on=datetime.date(2018, 1, 1))
    SurvivalCountFactory(visit=later, species=world.species, trees_alive=1000, trees_dead=100)
    response = staff_client.get(reverse("members:plot_detail", args=[world.plot.pk]))
    rows = [
        (r["visit"].visited_on.year, r["planted"], r["alive"])
        for r in response.context["over_time"]
    ]
    # 2016: 900 planted, 790 alive; 2018: 1,400 planted (the 2017 planting), 1,000 alive.
    assert rows == [(2016, 900, 790), (2018, 1400, 1000)]
    assert (response.context["capacity"], response.context["room_left"]) == (3200, 1800)
    assert "1,400" in response.content.decode()  # Peru groups digits with a comma


def test_records_loaded_in_bulk_have_no_history_and_the_page_says_so(staff_client):
    world = build_world(1)
    [member] = Member.objects.bulk_create(
        [
            Member(
                code="BULK-1",
                dni="48888888",
                first_name="Sin",
                last_name="Historia",
                gender="F",
                community_id=world.member.community_id,
                joined_on=datetime.date(2001, 1, 1),
            )
        ]
    )
    response = staff_client.get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 200
    assert response.context["history"] == []


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


def test_the_member_page_links_the_statement(staff_client):
    member = build_world(1).member
    url = reverse("members:member_detail", args=[member.pk])
    statement = reverse("credits:member_statement", args=[member.pk])
    assert f'href="{statement}"' in staff_client.get(url).content.decode()
    assert member.full_name in staff_client.get(statement).content.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # Filters that do not validate: the page with their messages, no rows, 400 (issue 17).
        ("/members/?community=abc&status=nope&o=bogus&land_use=x", 400),
        ("/plantings/?year=abc&species=999999&recorded_by=x", 400),
        ("/monitoring/?year=20x5", 400),
        ("/members/?page=999", 404),
        ("/monitoring/add/?plot=999999", 404),
        ("/plots/search/?q=" + "a" * 5000, 200),
    ],
)
def test_bad_query_strings_never_give_a_server_error(staff_client, url, status):
    build_world(1)
    assert staff_client.get(url).status_code == status
