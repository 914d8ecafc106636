"""The navbar (includes/navbar.html): fresh CSRF tokens and return path, items that follow the
user, their permissions, the language and the page."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import STAFF
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def nav(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def test_the_language_form_returns_to_the_page_it_was_shown_on(client, staff):
    client.force_login(staff)
    first, second = MemberFactory(), MemberFactory()
    for member in (first, second):  # same URL name, its own path
        url = reverse("members:member_detail", args=[member.pk])
        assert f'name="next" type="hidden" value="{url}"' in nav(page(client, url))
    html = nav(page(client, "/members/?q=ana&page=1"))  # the query string too, escaped
    assert 'value="/members/?q=ana&amp;page=1"' in html


def test_each_page_carries_a_csrf_token_that_works(client, staff):
    client = type(client)(enforce_csrf_checks=True)
    client.force_login(staff)
    tokens = []
    for _ in range(2):
        html = nav(page(client, reverse("members:member_list")))
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(found) == 2 and "csrf-token" not in html  # language and logout forms
        tokens.append(found[0])
    assert tokens[0] != tokens[1]  # masked afresh for every response
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "/", "csrfmiddlewaretoken": tokens[1]}
    )
    assert response.status_code == 302
    assert "Adhérents" in nav(page(client, reverse("members:member_list")))


def test_the_active_section_follows_the_page(client, staff):
    client.force_login(staff)
    members = nav(page(client, reverse("members:member_list")))
    plantings = nav(page(client, reverse("plantings:planting_list")))
    assert 'nav-link active" href="/members/"' in members
    assert 'nav-link active" href="/members/"' not in plantings
    assert f'nav-link active" href="{reverse("plantings:planting_list")}"' in plantings


def test_the_items_follow_a_change_of_group_at_the_next_page(client, outsider):
    client.force_login(outsider)
    members_link = f'href="{reverse("members:member_list")}"'
    response = client.get("/")
    assert response.status_code == 403 and members_link not in nav(response.content.decode())
    outsider.groups.set([Group.objects.get(name=STAFF)])
    assert members_link in nav(page(client, "/"))
    outsider.groups.clear()
    assert members_link not in nav(client.get("/").content.decode())


def test_the_name_shown_follows_an_edit_and_is_escaped(client, staff):
    client.force_login(staff)
    assert "Ana Ríos" in nav(page(client, "/"))
    staff.first_name, staff.last_name = "<csrf-token>", "<current-path>"
    staff.save()
    html = nav(page(client, "/"))
    assert "&lt;csrf-token&gt; &lt;current-path&gt;" in html
    assert "Ana Ríos" not in html


def test_navbar_lists_the_areas_by_role(client, users, world_of_two, spanish):
    client.force_login(users["staff"])
    nav = client.get(reverse("members:member_list")).content.decode()
    for name in (
        "members:member_list",
        "plantings:planting_list",
        "plantings:visit_list",
        "plantings:species_list",
    ):
        assert f'href="{reverse(name)}"' in nav


def test_cached_items_are_never_shown_to_a_user_with_other_permissions(client, users):
    """The links are a cached fragment keyed by the permissions: the staff member's first."""
    members_link = f'href="{reverse("members:member_list")}"'
    client.force_login(users["staff"])
    assert members_link in nav(page(client, "/"))
    client.force_login(users["outsider"])
    response = client.get("/")  # no access, under the same navbar
    assert response.status_code == 403 and members_link not in nav(response.content.decode())
