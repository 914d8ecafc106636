"""Each planting, monitoring and species page runs a fixed number of queries: the same with 3
records as with 30.

The counts are pinned: a new query on a page is a deliberate change to this file. What they
include, cold and warm: tests/helpers.py, cold_and_warm_queries."""

import pytest
from django.urls import reverse

from tests.factories_ui import build_world
from tests.helpers import (
    count_queries,
    grow_plot,
    list_page_counts,
    member_page_counts,
    plot_page_counts,
)

pytestmark = pytest.mark.django_db

# (url name, argument from the world, pinned (cold, warm) query counts)
LISTS = [
    ("plantings:planting_list", None, (11, 5)),
    ("plantings:visit_list", None, (8, 4)),
    ("plantings:species_list", None, (7, 4)),
]
DETAILS = [
    ("plantings:species_detail", "species", (6, 4)),
]
PLOT_PAGES = [
    ("plantings:visit_detail", "visit", (7, 5)),
]


@pytest.mark.parametrize(("name", "arg", "pinned"), LISTS, ids=[p[0] for p in LISTS])
def test_list_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert list_page_counts(staff_client, name, arg) == (pinned, pinned)


@pytest.mark.parametrize(("name", "arg", "pinned"), DETAILS, ids=[p[0] for p in DETAILS])
def test_member_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert member_page_counts(staff_client, name, arg) == (pinned, pinned)


@pytest.mark.parametrize(("name", "arg", "pinned"), PLOT_PAGES, ids=[p[0] for p in PLOT_PAGES])
def test_plot_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert plot_page_counts(staff_client, name, arg) == (pinned, pinned)


def test_visit_form_query_count_does_not_grow_with_species_rows(staff_client):
    world = build_world(1)
    url = reverse("plantings:visit_add") + f"?plot={world.plot.pk}"
    small = count_queries(staff_client, url)
    grow_plot(world, 10, 0)
    assert count_queries(staff_client, url) == small
