"""Every staff page for every role: anonymous → login, outsider → 403, allowed roles see the
page's data, manager-only pages refuse staff."""

import pytest
from django.urls import reverse

from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db

VIEW, EDIT, MANAGE = "view", "edit", "manage"
ALLOWED = {
    VIEW: {"staff", "manager", "admin"},
    EDIT: {"staff", "manager", "admin"},
    MANAGE: {"manager", "admin"},
}

# (url name, how to get its arguments from the world, query string, level, expected texts)
PAGES = [
    ("members:member_list", None, "", VIEW, ["Núñez Pérez", "W-0000", "Dos de Mayo"]),
    ("members:member_add", None, "", EDIT, ['name="dni"', 'name="form_token"']),
    ("members:member_detail", "member", "", VIEW, ["Rosa Núñez Pérez", "WP-0000", "Caoba"]),
    ("members:member_edit", "member", "", EDIT, ['value="W-0000"', 'value="70000000"']),
    ("members:plot_add", "member", "", EDIT, ["Rosa Núñez Pérez", 'name="area_ha"']),
    ("members:plot_detail", "plot", "", VIEW, ["WP-0000", "Caoba", "Edwin Ríos"]),
    ("members:plot_edit", "plot", "", EDIT, ['value="WP-0000"']),
    ("members:plot_search", None, "?q=nunez", VIEW, ['"code": "WP-0000"']),
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


@pytest.fixture
def world(db):
    return build_world(2)


@pytest.fixture(autouse=True)
def spanish(settings):
    """Pages in the staff's language: numbers such as 14.5 in Peru's Spanish format."""
    settings.LANGUAGE_CODE = "es"


def page_url(world, name, arg, query):
    args = [getattr(world, arg).pk] if arg else []
    return reverse(name, args=args) + query.format(plot=world.plot.pk)


@pytest.mark.parametrize(("name", "arg", "query", "level", "texts"), PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(client, world, name, arg, query, level, texts):
    url = page_url(world, name, arg, query)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(("name", "arg", "query", "level", "texts"), PAGES, ids=IDS)
@pytest.mark.parametrize("role", ["outsider", "staff", "manager", "admin"])
def test_each_role_sees_the_page_or_no_access(
    client, users, world, role, name, arg, query, level, texts
):
    client.force_login(users[role])
    response = client.get(page_url(world, name, arg, query))
    if role in ALLOWED[level]:
        assert response.status_code == 200
        content = response.content.decode()
        for text in texts:
            assert text in content, f"{text!r} missing from {name} for {role}"
    else:
        assert response.status_code == 403
        assert "Núñez" not in response.content.decode()


def test_pages_show_only_the_actions_the_user_may_take(client, users, world):
    member_url = reverse("members:member_detail", args=[world.member.pk])
    delete_url = reverse("plantings:planting_delete", args=[world.planting.pk])
    species_edit = reverse("plantings:species_edit", args=[world.species.pk])
    client.force_login(users["staff"])
    staff_page = client.get(member_url).content.decode()
    assert reverse("members:member_edit", args=[world.member.pk]) in staff_page
    assert reverse("plantings:visit_add") in staff_page
    assert delete_url not in staff_page
    assert (
        species_edit
        not in client.get(
            reverse("plantings:species_detail", args=[world.species.pk])
        ).content.decode()
    )
    client.force_login(users["manager"])
    assert delete_url in client.get(member_url).content.decode()
    assert (
        species_edit
        in client.get(reverse("plantings:species_detail", args=[world.species.pk])).content.decode()
    )


def test_navbar_lists_the_areas_by_role(client, users, world):
    client.force_login(users["staff"])
    nav = client.get(reverse("members:member_list")).content.decode()
    for name in (
        "members:member_list",
        "plantings:planting_list",
        "plantings:visit_list",
        "plantings:species_list",
    ):
        assert f'href="{reverse(name)}"' in nav
