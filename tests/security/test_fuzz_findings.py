"""The HTTP 500s that fuzzing found (issue 17, finding 6) and the invisible characters of the
hardening list: each answers 400 with a message, and nothing is saved."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from members.models import Member
from tests.factories import CommunityFactory, MemberFactory, PlantingFactory

pytestmark = pytest.mark.django_db

# U+FDFA, one Arabic ligature, folds (NFKD) to 18 letters: 20 of them make 360.
EXPANDING = "\ufdfa" * 20
# Zero-width space, right-to-left override, left-to-right isolate, byte-order mark, soft hyphen.
FORMAT_CHARACTERS = ["\u200b", "\u202e", "\u2066", "\ufeff", "\u00ad"]


@pytest.mark.parametrize("url_name", ["plantings:planting_list", "plantings:visit_list"])
@pytest.mark.parametrize("year", ["0", "-1", "10000", "99999999999999999999"])
def test_an_impossible_year_filter_is_a_400_with_a_message(staff_client, url_name, year):
    PlantingFactory()
    response = staff_client.get(reverse(url_name), {"year": year})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a year between 1 and 9999." in html
    assert response.context["object_list"].count() == 0


def test_a_possible_year_filter_still_filters(staff_client):
    planting = PlantingFactory()
    response = staff_client.get(
        reverse("plantings:planting_list"), {"year": planting.planted_on.year}
    )
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [planting]


def test_deeply_nested_json_to_the_token_url_is_a_400():
    body = "[" * 100_000 + "]" * 100_000
    response = APIClient().post("/api/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_deeply_nested_json_to_a_resource_is_a_400(staff):
    api = APIClient()
    api.force_authenticate(staff)
    body = '{"notes": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api.post("/api/visits/", body, content_type="application/json")
    assert response.status_code == 400


def member_form(community, **overrides):
    return {
        "code": "AC-0100",
        "dni": "44556677",
        "first_name": "Rosa",
        "last_name": "Núñez",
        "gender": "F",
        "community": community.pk,
        "joined_on": "2005-03-01",
        "status": "active",
        **overrides,
    }


def test_a_name_that_folds_past_the_search_column_is_refused_at_the_field(staff_client):
    community = CommunityFactory()
    data = member_form(community, first_name=EXPANDING)
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200  # the form again, with the message at the field
    assert response.context["form"].errors["first_name"] == [
        "This text grows too long once its letters are decomposed for searching; "
        "type it with plain letters."
    ]
    assert not Member.objects.exists()


def test_the_api_refuses_a_name_that_folds_past_the_search_column(staff):
    api = APIClient()
    api.force_authenticate(staff)
    payload = member_form(CommunityFactory(), last_name=EXPANDING)
    response = api.post("/api/members/", payload, format="json")
    assert response.status_code == 400
    assert "last_name" in response.json()
    assert not Member.objects.exists()


@pytest.mark.parametrize("character", FORMAT_CHARACTERS)
@pytest.mark.parametrize("field", ["code", "first_name", "last_name"])
def test_invisible_format_characters_are_refused_in_member_codes_and_names(
    staff_client, character, field
):
    community = CommunityFactory()
    value = {"code": "AC-0100", "first_name": "Rosa", "last_name": "Núñez"}[field]
    data = member_form(community, **{field: value[:2] + character + value[2:]})
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any("invisible" in error for error in errors), errors
    assert not Member.objects.exists()


def test_invisible_characters_are_refused_in_plot_codes_by_the_api(staff):
    member = MemberFactory()
    api = APIClient()
    api.force_authenticate(staff)
    payload = {"code": "P\u200b-1", "member": member.pk, "land_use": "cacao", "area_ha": "1.00"}
    response = api.post("/api/plots/", payload, format="json")
    assert response.status_code == 400
    assert "invisible" in str(response.json()["code"])


def test_plain_accented_names_are_still_accepted(staff_client):
    community = CommunityFactory()
    data = member_form(community, first_name="María José", last_name="Ñáñez-Ríos")
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 302
    assert Member.objects.get().search_text.startswith(
        "nanez-rios maria jose"
    )  # surname first, folded
