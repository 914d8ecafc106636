"""What the member and plot profiles show: survival by species and over time, room left on the
plot, history, the link to the member's statement; Peru's number formats."""

import datetime

import pytest
from django.urls import reverse

from members.models import Member
from tests.factories import MonitoringVisitFactory, PlantingFactory, SurvivalCountFactory
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db


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


def test_the_member_page_links_the_statement(staff_client):
    member = build_world(1).member
    url = reverse("members:member_detail", args=[member.pk])
    statement = reverse("credits:member_statement", args=[member.pk])
    assert f'href="{statement}"' in staff_client.get(url).content.decode()
    assert member.full_name in staff_client.get(statement).content.decode()
