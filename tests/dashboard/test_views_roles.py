"""The member and plot profiles for every role: anonymous → login, outsider → 403, allowed
roles see the page's data and only the actions they may take. Pages in the staff's language
(`spanish`): numbers such as 14.5 in Peru's Spanish format. The checks are in tests/helpers.py."""

import pytest
from django.urls import reverse

from tests.helpers import (
    PAGE_FIELDS,
    ROLES,
    VIEW,
    assert_anonymous_is_sent_to_login,
    assert_role_sees_the_page_or_no_access,
    page_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spanish")]

# (url name, how to get its arguments from the world, query string, level, expected texts)
PAGES = [
    ("members:member_detail", "member", "", VIEW, ["Rosa Núñez Pérez", "WP-0000", "Caoba"]),
    ("members:plot_detail", "plot", "", VIEW, ["WP-0000", "Caoba", "Edwin Ríos"]),
]
IDS = [page[0] for page in PAGES]


@pytest.mark.parametrize(PAGE_FIELDS, PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(client, world_of_two, name, arg, query, level, texts):
    assert_anonymous_is_sent_to_login(client, page_url(world_of_two, name, arg, query))


@pytest.mark.parametrize(PAGE_FIELDS, PAGES, ids=IDS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_page_or_no_access(
    client, users, world_of_two, role, name, arg, query, level, texts
):
    url = page_url(world_of_two, name, arg, query)
    assert_role_sees_the_page_or_no_access(client, users[role], role, url, name, level, texts)


def test_member_page_shows_only_the_actions_the_user_may_take(client, users, world_of_two):
    world = world_of_two
    member_url = reverse("members:member_detail", args=[world.member.pk])
    delete_url = reverse("plantings:planting_delete", args=[world.planting.pk])
    client.force_login(users["staff"])
    staff_page = client.get(member_url).content.decode()
    assert reverse("members:member_edit", args=[world.member.pk]) in staff_page
    assert reverse("plantings:visit_add") in staff_page
    assert delete_url not in staff_page
    client.force_login(users["manager"])
    assert delete_url in client.get(member_url).content.decode()
