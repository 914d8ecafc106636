"""Issue 16: numbers, DNI and GPS typed at the office are read as meant, or refused with a
message; nothing is silently changed; lists sort as Spanish speakers read them."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from core.forms import LocalDecimalField, parse_local_decimal
from members.forms import MemberForm, PlotForm
from members.models import Member, Plot
from tests.factories import CommunityFactory, MemberFactory

pytestmark = pytest.mark.django_db


def spanish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"


@pytest.mark.parametrize(
    ("typed", "read"),
    [("1.5", "1.5"), ("1,234.5", "1234.5"), ("-7.25", "-7.25"), (" 12 ", "12.0")],
)
def test_peru_reads_the_point_as_decimal_mark(typed, read):
    with translation.override("es"):
        assert parse_local_decimal(typed) == (read, None)


@pytest.mark.parametrize("typed", ["1,5", "1,500", "12,34,5", "1,234,5"])
def test_peru_refuses_a_comma_it_cannot_read(typed):
    with translation.override("es"):
        assert parse_local_decimal(typed) == (None, "ambiguous")


def test_french_reads_its_comma_and_refuses_the_point():
    with translation.override("fr"):
        assert parse_local_decimal("1,5") == ("1.5", None)
        assert parse_local_decimal("1.5") == (None, "other_mark")


def test_the_field_is_a_text_box_with_the_decimal_keyboard():
    html = str(PlotForm()["area_ha"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert isinstance(PlotForm().fields["area_ha"], LocalDecimalField)


def test_one_comma_five_hectares_is_refused_not_saved_as_15(client, staff, settings, world):
    client.force_login(staff)
    spanish(client, settings)
    url = reverse("members:plot_add", args=[world.member.pk])
    response = client.post(url, {"code": "NEWPLOT", "land_use": "cacao", "area_ha": "1,5"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["area_ha"])
    assert "“1,5”" in errors and "1.5" in errors
    assert not Plot.objects.filter(code="NEWPLOT").exists()


def test_a_plot_over_50_ha_needs_the_confirmation_box(staff_client, world):
    url = reverse("members:plot_add", args=[world.member.pk])
    data = {"code": "BIG", "land_use": "cacao", "area_ha": "60"}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "50" in " ".join(response.context["form"].errors["area_ha"])
    assert 'name="confirm_area_ha"' in response.content.decode()
    assert not Plot.objects.filter(code="BIG").exists()
    staff_client.post(url, {**data, "confirm_area_ha": "on"})
    assert Plot.objects.get(code="BIG").area_ha == Decimal("60")


def test_a_plot_of_normal_size_shows_no_confirmation_box(staff_client, world):
    url = reverse("members:plot_add", args=[world.member.pk])
    response = staff_client.get(url)
    assert "confirm_area_ha" not in response.content.decode()


def test_phone_gps_with_7_decimals_is_rounded_and_said(staff_client, world):
    url = reverse("members:plot_add", args=[world.member.pk])
    data = {"code": "GPS", "land_use": "cacao", "area_ha": "1.5"}
    response = staff_client.post(
        url, {**data, "latitude": "-7.1234567", "longitude": "-76.7300004"}, follow=True
    )
    plot = Plot.objects.get(code="GPS")
    assert plot.latitude == Decimal("-7.123457") and plot.longitude == Decimal("-76.730000")
    said = " ".join(str(m) for m in get_messages(response.wsgi_request)) + str(
        response.content.decode()
    )
    assert "-7.1234567" in said and "-7.123457" in said


def test_dni_typed_with_spaces_or_dots_is_kept_whole(world):
    community = CommunityFactory()
    for typed in ("12 345 678", "12.345.678"):
        data = {
            "code": f"D{typed[:2]}{len(typed)}{typed[2]}",
            "dni": typed,
            "first_name": "Lucía",
            "last_name": "Tapullima",
            "gender": "F",
            "community": community.pk,
            "joined_on": "2010-04-01",
            "status": "active",
        }
        form = MemberForm(data)
        assert 'maxlength="8"' not in str(form["dni"])
        assert form.is_valid(), form.errors
        assert form.save().dni == "12345678"
        Member.objects.filter(dni="12345678").delete()


def test_a_short_dni_is_still_refused():
    member = MemberFactory.build(dni="12 345 67")
    with pytest.raises(Exception) as error:
        member.full_clean()
    assert "8 digits" in str(error.value)


def test_members_sort_by_surname_ignoring_accents(staff_client):
    community = CommunityFactory()
    for last_name in ("Chávez", "Cárdenas", "Cruz", "Álvarez"):
        MemberFactory(last_name=last_name, community=community)
    assert [m.last_name for m in Member.objects.all()] == ["Álvarez", "Cárdenas", "Chávez", "Cruz"]
    page = staff_client.get(reverse("members:member_list")).content.decode()
    assert page.index("Cárdenas") < page.index("Chávez") < page.index("Cruz")
    ordered = staff_client.get(reverse("members:member_list") + "?o=-name").content.decode()
    assert ordered.index("Cruz") < ordered.index("Chávez") < ordered.index("Cárdenas")


def test_pickers_label_surname_first_with_code_and_dni():
    member = MemberFactory.build(first_name="Rosa", last_name="Núñez Pérez", code="M-1", dni="1")
    assert member.picker_label() == "Núñez Pérez, Rosa — M-1 — 1"


def test_member_search_finds_by_surname_without_accents_labelled_surname_first(staff_client):
    community = CommunityFactory()
    MemberFactory(
        first_name="Rosa",
        last_name="Cárdenas Ruiz",
        code="M-7",
        dni="41234567",
        community=community,
    )
    MemberFactory(first_name="Luis", last_name="Chávez", community=community)
    data = staff_client.get(reverse("members:member_search"), {"q": "cardenas"}).json()
    assert data["results"] == [
        {
            "id": data["results"][0]["id"],
            "code": "M-7",
            "label": "Cárdenas Ruiz, Rosa — M-7 — 41234567",
        }
    ]


def test_the_payment_picker_searches_as_you_type(manager_client):
    from credits.forms import PaymentForm

    html = str(PaymentForm()["member"])
    assert "data-member-search" in html and 'list="id_member-options"' in html
    assert f'data-search-url="{reverse("members:member_search")}"' in html
    assert "<select" not in html
    page = manager_client.get(reverse("credits:payment_add")).content.decode()
    assert "/static/js/plantings-plot-search.js" in page


def test_a_coordinate_with_too_many_digits_is_refused_not_a_server_error(staff_client, world):
    url = reverse("members:plot_edit", args=[world.plot.pk])
    data = {"code": world.plot.code, "land_use": "cacao", "area_ha": "2"}
    response = staff_client.post(url, {**data, "latitude": "9" * 40, "longitude": "-76.7"})
    assert response.status_code == 200
    assert response.context["form"].errors["latitude"]
