"""The list pages' rows and the member page's sections are cached fragments: a change of what they
show appears on the next request, a change of anything else leaves them cached, and a user never
sees the links cached for a user with other permissions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantings import services
from tests.factories import MemberFactory, PlantingFactory

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def page(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured)


def record_visit(world, user, day):
    return services.record_visit(
        plot=world.plot,
        visited_on=day,
        technician="Edwin Ríos",
        counts=[{"species": world.species, "trees_alive": 500, "trees_dead": 100}],
        measurements=[],
        recorded_by=user,
    )


def test_a_new_member_shows_on_the_member_list_at_once(staff_client, world):
    url = reverse("members:member_list")
    before, _ = page(staff_client, url)
    MemberFactory(first_name="Teodora", last_name="Zumaeta", community=world.member.community)
    after, _ = page(staff_client, url)
    assert "Zumaeta" not in before
    assert "Zumaeta, Teodora" in after


def test_a_saved_visit_leaves_the_member_list_cached(staff_client, staff, world):
    url = reverse("members:member_list")
    page(staff_client, url)
    _, warm = page(staff_client, url)
    record_visit(world, staff, YESTERDAY)
    content, after = page(staff_client, url)
    assert after == warm
    assert world.member.last_name in content


def test_a_saved_visit_shows_on_the_member_page_at_once(staff_client, staff, world, spanish):
    url = reverse("members:member_detail", args=[world.member.pk])
    before, cold = page(staff_client, url)
    _, warm = page(staff_client, url)
    record_visit(world, staff, YESTERDAY)
    after, recomputed = page(staff_client, url)
    assert warm < cold and recomputed > warm
    # Dates as Peru writes them (dd/mm/yyyy) in the timeline of visits.
    shown = YESTERDAY.strftime("%d/%m/%Y")
    assert shown not in before and shown in after


def test_a_planting_shows_on_the_planting_list_at_once(staff_client, world, spanish):
    url = reverse("plantings:planting_list")
    page(staff_client, url)
    PlantingFactory(plot=world.plot, species=world.species, planted_on=datetime.date(2021, 7, 9))
    content, _ = page(staff_client, url)
    assert "09/07/2021" in content


def test_the_planting_list_shows_each_user_their_own_links(client, users, world):
    delete_url = reverse("plantings:planting_delete", args=[world.planting.pk])
    url = reverse("plantings:planting_list")
    client.force_login(users["manager"])
    assert delete_url in page(client, url)[0]
    client.force_login(users["staff"])  # same rows, same generation: not the manager's links
    staff_page, _ = page(client, url)
    assert reverse("plantings:planting_edit", args=[world.planting.pk]) in staff_page
    assert delete_url not in staff_page
