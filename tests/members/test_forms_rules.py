"""Every rule of the member and plot forms with bad input: a clear message at the field, nothing
saved. Messages are asserted in English (the `english` fixture)."""

import uuid

import pytest
from django.urls import reverse

from members.models import Member, Plot
from tests.factories import MemberFactory
from tests.helpers import TOMORROW, field_errors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def member_data(**changes):
    data = {
        "code": "NEW-1",
        "dni": "45678901",
        "first_name": "Lucía",
        "last_name": "Tapullima",
        "gender": "F",
        "community": "",
        "joined_on": "2010-04-01",
        "status": "active",
    }
    data.update(changes)
    return data


# Members ---------------------------------------------------------------------------------------


def test_member_is_added_and_named_in_the_flash_message(staff_client, world):
    data = member_data(community=world.member.community_id)
    response = staff_client.post(reverse("members:member_add"), data, follow=True)
    member = Member.objects.get(code="NEW-1")
    assert response.redirect_chain[-1][0] == reverse("members:member_detail", args=[member.pk])
    assert "Lucía Tapullima" in response.content.decode()
    assert member.history.first().history_user.username == "staff"


def test_duplicate_dni_names_the_member_who_has_it(staff_client, world):
    data = member_data(community=world.member.community_id, dni=world.member.dni)
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200
    [message] = field_errors(response)["dni"]
    assert world.member.dni in message and "Rosa Núñez Pérez" in message
    assert not Member.objects.filter(code="NEW-1").exists()


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("dni", "1234567", "8 digits"),
        ("joined_on", TOMORROW, "future"),
        ("birth_date", TOMORROW, "future"),
        ("organic_certified_on", "2012-01-01", "certification"),
    ],
)
def test_member_bad_values_are_refused_at_the_field(staff_client, world, field, value, text):
    data = member_data(community=world.member.community_id, **{field: value})
    response = staff_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200
    assert text in " ".join(field_errors(response)[field])
    assert f'id="id_{field}_error"' in response.content.decode()  # error tied to its field
    assert not Member.objects.filter(code="NEW-1").exists()


def test_member_add_replayed_creates_one_member(staff_client, world):
    data = member_data(community=world.member.community_id, form_token=str(uuid.uuid4()))
    first = staff_client.post(reverse("members:member_add"), data)
    again = staff_client.post(reverse("members:member_add"), data, follow=True)
    member = Member.objects.get(code="NEW-1")
    assert first["Location"] == reverse("members:member_detail", args=[member.pk])
    assert again.redirect_chain[0][0] == first["Location"]
    assert "already saved" in again.content.decode()
    assert Member.objects.filter(dni="45678901").count() == 1


def test_free_text_is_escaped(staff_client, world):
    data = member_data(community=world.member.community_id, first_name="<script>alert(1)</script>")
    staff_client.post(reverse("members:member_add"), data)
    member = Member.objects.get(code="NEW-1")
    for url in (reverse("members:member_list"), reverse("members:member_detail", args=[member.pk])):
        content = staff_client.get(url).content.decode()
        assert "<script>alert(1)" not in content
        assert "&lt;script&gt;alert(1)" in content


def test_member_edit_shows_who_changed_what(staff_client, world):
    url = reverse("members:member_edit", args=[world.member.pk])
    member = world.member
    data = member_data(
        code=member.code,
        dni=member.dni,
        first_name=member.first_name,
        last_name=member.last_name,
        gender=member.gender,
        community=member.community_id,
        joined_on=member.joined_on.isoformat(),
        birth_date="1970-05-01",
        status="inactive",
    )
    response = staff_client.post(url, data, follow=True)
    content = response.content.decode()
    member.refresh_from_db()
    assert member.status == "inactive"
    assert "<del>active</del> → <ins>inactive</ins>" in content
    assert "Ana Ríos" in content  # the staff user's full name, from the request


# Plots -----------------------------------------------------------------------------------------


def test_plot_added_from_the_member_page(staff_client, world):
    url = reverse("members:plot_add", args=[world.member.pk])
    data = {"code": "NEWPLOT", "land_use": "cacao", "area_ha": "1.50"}
    response = staff_client.post(url, data)
    plot = Plot.objects.get(code="NEWPLOT")
    assert plot.member == world.member
    assert response["Location"] == reverse("members:plot_detail", args=[plot.pk])


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"area_ha": "0"}, "area_ha", "0.01"),
        ({"latitude": "7.2", "longitude": "-76.7"}, "latitude", "outside Peru"),
        ({"latitude": "-7.2"}, "longitude", "both"),
    ],
)
def test_plot_bad_values_are_refused(staff_client, world, changes, field, text):
    url = reverse("members:plot_add", args=[world.member.pk])
    data = {"code": "NEWPLOT", "land_use": "cacao", "area_ha": "1.50", **changes}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert text in " ".join(field_errors(response)[field])
    assert not Plot.objects.filter(code="NEWPLOT").exists()


def test_plot_search_finds_by_name_without_accents_dni_and_code(staff_client, world):
    MemberFactory(first_name="Otro", last_name="Socio")
    url = reverse("members:plot_search")
    for query in ("nunez rosa", world.member.dni, "wp-00"):
        results = staff_client.get(url, {"q": query}).json()["results"]
        assert [r["code"] for r in results] == ["WP-0000"], query
    assert staff_client.get(url, {"q": "x"}).json() == {"results": []}
