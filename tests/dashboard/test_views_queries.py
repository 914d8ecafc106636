"""The member and plot profiles run a fixed number of queries: the same with 3 plots or visits
as with 30.

The counts are pinned: a new query on a page is a deliberate change to this file. What they
include, cold and warm: tests/helpers.py, cold_and_warm_queries."""

import pytest

from tests.helpers import member_page_counts, plot_page_counts

pytestmark = pytest.mark.django_db

# (url name, argument from the world, pinned (cold, warm) query counts)
DETAILS = [
    ("members:member_detail", "member", (13, 4)),
]
PLOT_PAGES = [
    ("members:plot_detail", "plot", (15, 13)),  # + its overlaps and screening results
]


@pytest.mark.parametrize(("name", "arg", "pinned"), DETAILS, ids=[p[0] for p in DETAILS])
def test_member_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert member_page_counts(staff_client, name, arg) == (pinned, pinned)


@pytest.mark.parametrize(("name", "arg", "pinned"), PLOT_PAGES, ids=[p[0] for p in PLOT_PAGES])
def test_plot_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert plot_page_counts(staff_client, name, arg) == (pinned, pinned)
