"""Every planting, monitoring and species page for every role: anonymous → login, outsider →
403, allowed roles see the page's data, manager-only pages refuse staff. Pages in the staff's
language (`spanish`): numbers such as 14.5 in Peru's Spanish format. The checks are in
tests/helpers.py."""

import pytest
from django.urls import reverse

from tests.helpers import (
    EDIT,
    MANAGE,
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
    ("plantings:planting_list", None, "", VIEW, ["WP-0000", "Caoba", "Rosa Núñez Pérez"]),
    ("plantings:planting_add", None, "", EDIT, ['name="plot"', "Caoba"]),
    ("plantings:planting_edit", "planting", "", EDIT, ['value="WP-0000"']),
    ("plantings:planting_delete", "planting", "", MANAGE, ["Caoba", "WP-0000"]),
    ("plantings:visit_list", None, "", VIEW, ["Edwin Ríos", "WP-0000"]),
    ("plantings:visit_add", None, "?plot={plot}", EDIT, ["Caoba", "Cedro", "counts-0-trees_alive"]),
    ("plantings:visit_detail", "visit", "", VIEW, ["Edwin Ríos", "14.5", "540"]),
    ("plantings:species_list", None, "", VIEW, ["Swietenia macrophylla", "Caoba"]),
    ("plantings:species_detail", "species", "", VIEW, ["Swietenia macrophylla", "0.486"]),
    ("plantings:species_edit", "species", "", MANAGE, ['value="Swietenia macrophylla"']),
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


def test_species_page_shows_the_edit_link_to_managers_only(client, users, world_of_two):
    world = world_of_two
    species_edit = reverse("plantings:species_edit", args=[world.species.pk])
    client.force_login(users["staff"])
    assert (
        species_edit
        not in client.get(
            reverse("plantings:species_detail", args=[world.species.pk])
        ).content.decode()
    )
    client.force_login(users["manager"])
    assert (
        species_edit
        in client.get(reverse("plantings:species_detail", args=[world.species.pk])).content.decode()
    )
