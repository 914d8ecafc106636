"""The member list runs a fixed number of queries: the same with 3 members as with 30, and no
more than the admin's list.

The counts are pinned: a new query on a page is a deliberate change to this file. What they
include, cold and warm: tests/helpers.py, cold_and_warm_queries."""

import pytest
from django.urls import reverse

from tests.factories_ui import build_world
from tests.helpers import count_queries, list_page_counts

pytestmark = pytest.mark.django_db

# (url name, argument from the world, pinned (cold, warm) query counts)
LISTS = [
    ("members:member_list", None, (8, 4)),
]


@pytest.mark.parametrize(("name", "arg", "pinned"), LISTS, ids=[p[0] for p in LISTS])
def test_list_pages_query_count_does_not_grow(staff_client, name, arg, pinned):
    assert list_page_counts(staff_client, name, arg) == (pinned, pinned)


def test_member_list_runs_no_more_queries_than_the_admin_list(client, staff, administrator):
    build_world(30)
    client.force_login(staff)
    ours = count_queries(client, reverse("members:member_list"))
    client.force_login(administrator)
    admin = count_queries(client, reverse("admin:members_member_changelist"))
    assert ours <= admin
