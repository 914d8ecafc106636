"""Each staff page runs a fixed number of queries: the same with 3 records as with 30.

The counts are pinned: a new query on a page is a deliberate change to this file. They include
the session and user lookups of the logged-in client (2) and Django's ModelBackend reading the
user's and their groups' permissions (2); the session is saved at most once a minute
(core.middleware.SessionRefreshMiddleware), not here. Each page is opened once before counting."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db


def grow_member(world, k: int, start: int):
    """Give the world's member k more plots, each planted, visited, counted and measured."""
    for i in range(start, start + k):
        plot = PlotFactory(member=world.member, code=f"G-{i:04d}", area_ha=Decimal("3"))
        PlantingFactory(plot=plot, species=world.species, trees_planted=400)
        PlantingFactory(plot=plot, species=world.other_species, trees_planted=200)
        visit = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2017, 1, 1))
        SurvivalCountFactory(visit=visit, species=world.species, trees_alive=300)
        TreeMeasurementFactory(visit=visit, species=world.species)


def grow_plot(world, k: int, start: int):
    """Give the world's plot k more plantings and visits, with counts and sample trees."""
    for i in range(start, start + k):
        PlantingFactory(plot=world.plot, species=world.other_species, trees_planted=10)
        visit = MonitoringVisitFactory(
            plot=world.plot, visited_on=datetime.date(2017, 1, 1) + datetime.timedelta(days=i)
        )
        SurvivalCountFactory(visit=visit, species=world.species, trees_alive=500)
        TreeMeasurementFactory(visit=visit, species=world.species)
        TreeMeasurementFactory(visit=visit, species=world.other_species)


def count_queries(client, url):
    client.get(url)  # the session's first refresh is written here, not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# (url name, argument from the world, pinned query count)
LISTS = [
    ("members:member_list", None, 7),
    ("plantings:planting_list", None, 10),
    ("plantings:visit_list", None, 7),
    ("plantings:species_list", None, 6),
]
DETAILS = [
    ("members:member_detail", "member", 11),
    ("plantings:species_detail", "species", 6),
]
PLOT_PAGES = [
    ("members:plot_detail", "plot", 14),  # + its overlaps and screening results
    ("plantings:visit_detail", "visit", 7),
]


def url_for(world, name, arg):
    return reverse(name, args=[getattr(world, arg).pk] if arg else [])


@pytest.mark.parametrize(("name", "arg", "pinned"), LISTS, ids=[p[0] for p in LISTS])
def test_list_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    world = build_world(3)
    small = count_queries(staff_client, url_for(world, name, arg))
    build_world(27, prefix="X")
    large = count_queries(staff_client, url_for(world, name, arg))
    assert (small, large) == (pinned, pinned)


@pytest.mark.parametrize(("name", "arg", "pinned"), DETAILS, ids=[p[0] for p in DETAILS])
def test_member_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    world = build_world(1)
    grow_member(world, 2, 0)
    small = count_queries(staff_client, url_for(world, name, arg))
    grow_member(world, 27, 2)
    large = count_queries(staff_client, url_for(world, name, arg))
    assert (small, large) == (pinned, pinned)


@pytest.mark.parametrize(("name", "arg", "pinned"), PLOT_PAGES, ids=[p[0] for p in PLOT_PAGES])
def test_plot_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    world = build_world(1)
    grow_plot(world, 2, 0)
    small = count_queries(staff_client, url_for(world, name, arg))
    grow_plot(world, 27, 2)
    large = count_queries(staff_client, url_for(world, name, arg))
    assert (small, large) == (pinned, pinned)


def test_visit_form_query_count_does_not_grow_with_species_rows(staff_client):
    world = build_world(1)
    url = reverse("plantings:visit_add") + f"?plot={world.plot.pk}"
    small = count_queries(staff_client, url)
    grow_plot(world, 10, 0)
    assert count_queries(staff_client, url) == small


def test_member_list_runs_no_more_queries_than_the_admin_list(client, staff, administrator):
    build_world(30)
    client.force_login(staff)
    ours = count_queries(client, reverse("members:member_list"))
    client.force_login(administrator)
    admin = count_queries(client, reverse("admin:members_member_changelist"))
    assert ours <= admin
