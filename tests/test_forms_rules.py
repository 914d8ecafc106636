"""Every rule of the staff forms with bad input: a clear message at the field, nothing saved."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Member, Plot
from plantings.models import MonitoringVisit, Planting, SurvivalCount, TreeMeasurement
from tests.factories import MemberFactory
from tests.factories_ui import build_world

pytestmark = pytest.mark.django_db

TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


@pytest.fixture
def world(db):
    return build_world(1)


@pytest.fixture(autouse=True)
def english(client, settings):
    """Messages are asserted in English, the source language, whatever the catalogues hold."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


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


def planting_data(plot_obj, **changes):
    data = {
        "plot": plot_obj.code,
        "species": "",
        "planted_on": "2014-03-01",
        "trees_planted": "100",
        "arrangement": "dispersed",
    }
    data.update(changes)
    return data


def field_errors(response, form="form"):
    return response.context[form].errors


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


# Plantings -------------------------------------------------------------------------------------


def test_planting_added_by_plot_code_records_who(staff_client, world):
    data = planting_data(world.plot, species=world.species.pk, plot=world.plot.code.lower())
    response = staff_client.post(reverse("plantings:planting_add"), data)
    planting = Planting.objects.get(planted_on="2014-03-01")
    assert planting.plot == world.plot and planting.recorded_by.username == "staff"
    assert response["Location"] == reverse("members:plot_detail", args=[world.plot.pk])


def test_unknown_plot_code_is_refused(staff_client, world):
    data = planting_data(world.plot, species=world.species.pk, plot="NOPE-1")
    response = staff_client.post(reverse("plantings:planting_add"), data)
    assert "No plot has the code “NOPE-1”" in field_errors(response)["plot"][0]
    assert Planting.objects.count() == 2


def test_planting_on_an_inactive_members_plot_is_refused(staff_client, world):
    Member.objects.filter(pk=world.member.pk).update(status="inactive")
    data = planting_data(world.plot, species=world.species.pk)
    response = staff_client.post(reverse("plantings:planting_add"), data)
    assert "not an active member" in field_errors(response)["plot"][0]
    assert Planting.objects.count() == 2


def test_planting_beyond_the_plot_density_gives_the_numbers(staff_client, world):
    # 2 ha at 1,600 trees/ha hold 3,200 trees; 900 are planted, so 2,300 more at most.
    data = planting_data(world.plot, species=world.species.pk, trees_planted="2301")
    response = staff_client.post(reverse("plantings:planting_add"), data)
    [message] = field_errors(response)["trees_planted"]
    assert "3200" in message and "900" in message and "2300" in message
    assert Planting.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("planted_on", TOMORROW, "future"),
        ("planted_on", "2005-01-01", "programme started"),
        ("trees_planted", "0", "1"),
    ],
)
def test_planting_bad_values_are_refused(staff_client, world, field, value, text):
    data = planting_data(world.plot, species=world.species.pk, **{field: value})
    response = staff_client.post(reverse("plantings:planting_add"), data)
    assert text in " ".join(field_errors(response)[field])
    assert Planting.objects.count() == 2


def test_planting_add_replayed_creates_one_planting(staff_client, world):
    data = planting_data(world.plot, species=world.species.pk, form_token=str(uuid.uuid4()))
    staff_client.post(reverse("plantings:planting_add"), data)
    again = staff_client.post(reverse("plantings:planting_add"), data, follow=True)
    assert Planting.objects.filter(planted_on="2014-03-01").count() == 1
    assert "already saved" in again.content.decode()


def test_planting_delete_is_refused_when_visits_counted_its_trees(manager_client, world):
    url = reverse("plantings:planting_delete", args=[world.planting.pk])
    response = manager_client.post(url)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Planting.objects.filter(pk=world.planting.pk).exists()


def test_manager_deletes_a_planting_without_counts(manager_client, world):
    SurvivalCount.objects.filter(species=world.species).delete()
    url = reverse("plantings:planting_delete", args=[world.planting.pk])
    response = manager_client.post(url)
    assert response["Location"] == reverse("members:plot_detail", args=[world.plot.pk])
    assert not Planting.objects.filter(pk=world.planting.pk).exists()


# Monitoring visits -----------------------------------------------------------------------------


def visit_data(world, counts=None, trees=None, **changes):
    counts = counts or [
        {"species": world.species.pk, "trees_alive": "500", "trees_dead": "100"},
        {"species": world.other_species.pk, "trees_alive": "", "trees_dead": ""},
    ]
    trees = trees or []
    data = {
        "visited_on": "2018-06-01",
        "technician": "Edwin Ríos",
        "notes": "",
        "counts-TOTAL_FORMS": str(len(counts)),
        "counts-INITIAL_FORMS": str(len(counts)),
        "trees-TOTAL_FORMS": str(max(len(trees), 3)),
        "trees-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(counts):
        for key, value in row.items():
            data[f"counts-{i}-{key}"] = value
    for i, row in enumerate(trees):
        for key, value in row.items():
            data[f"trees-{i}-{key}"] = value
    data.update(changes)
    return data


def visit_url(world):
    return reverse("plantings:visit_add") + f"?plot={world.plot.pk}"


def test_visit_saved_with_counts_and_trees_in_one_form(staff_client, world):
    trees = [
        {"species": world.species.pk, "dbh_cm": "12.5", "height_m": "8"},
        {"species": world.other_species.pk, "dbh_cm": "3.1", "height_m": "1.1"},
    ]
    response = staff_client.post(visit_url(world), visit_data(world, trees=trees))
    visit = MonitoringVisit.objects.get(visited_on="2018-06-01")
    assert response["Location"] == reverse("plantings:visit_detail", args=[visit.pk])
    assert visit.recorded_by.username == "staff"
    # The uncounted species (alive left empty) is not recorded.
    assert list(visit.survival_counts.values_list("species_id", "trees_alive")) == [
        (world.species.pk, 500)
    ]
    assert visit.measurements.count() == 2


def test_survival_above_planted_refuses_the_whole_visit(staff_client, world):
    counts = [
        {"species": world.species.pk, "trees_alive": "500"},
        {"species": world.other_species.pk, "trees_alive": "301"},
    ]
    trees = [{"species": world.species.pk, "dbh_cm": "12.5", "height_m": "8"}]
    response = staff_client.post(visit_url(world), visit_data(world, counts=counts, trees=trees))
    assert response.status_code == 200
    row = response.context["counts"].forms[1]
    assert "301 trees alive is more than the 300" in row.errors["trees_alive"][0]
    assert 'id="id_counts-1-trees_alive_error"' in response.content.decode()
    assert not MonitoringVisit.objects.filter(visited_on="2018-06-01").exists()
    assert SurvivalCount.objects.count() == 2 and TreeMeasurement.objects.count() == 1


@pytest.mark.parametrize(
    ("tree", "field", "text"),
    [
        ({"dbh_cm": "300", "height_m": "8"}, "dbh_cm", "250"),
        ({"dbh_cm": "12", "height_m": "0"}, "height_m", "0.1"),
        ({"dbh_cm": "12", "height_m": ""}, "height_m", "This field is required"),
    ],
)
def test_bad_sample_tree_refuses_the_whole_visit(staff_client, world, tree, field, text):
    trees = [{"species": world.species.pk, **tree}]
    response = staff_client.post(visit_url(world), visit_data(world, trees=trees))
    assert response.status_code == 200
    assert text in " ".join(response.context["measurements"].forms[0].errors[field])
    assert not MonitoringVisit.objects.filter(visited_on="2018-06-01").exists()


def test_visit_in_the_future_is_refused(staff_client, world):
    response = staff_client.post(visit_url(world), visit_data(world, visited_on=TOMORROW))
    assert "future" in field_errors(response)["visited_on"][0]
    assert MonitoringVisit.objects.count() == 1


def test_visit_without_any_count_or_tree_is_refused(staff_client, world):
    counts = [{"species": world.species.pk, "trees_alive": ""}]
    response = staff_client.post(visit_url(world), visit_data(world, counts=counts))
    assert "at least one species" in " ".join(response.context["form"].non_field_errors())
    assert MonitoringVisit.objects.count() == 1


def test_second_visit_same_day_names_the_first(staff_client, world):
    response = staff_client.post(visit_url(world), visit_data(world, visited_on="2016-05-10"))
    assert "already has a visit" in field_errors(response)["visited_on"][0]
    assert MonitoringVisit.objects.count() == 1


def test_visit_form_replayed_creates_one_visit(staff_client, world):
    data = visit_data(world, form_token=str(uuid.uuid4()))
    first = staff_client.post(visit_url(world), data)
    again = staff_client.post(visit_url(world), data)
    assert again["Location"] == first["Location"]
    assert MonitoringVisit.objects.filter(visited_on="2018-06-01").count() == 1


def test_visit_page_without_plot_asks_for_a_plot_code(staff_client, world):
    response = staff_client.get(reverse("plantings:visit_add") + "?plot_code=nope")
    assert "No plot has the code “nope”" in response.content.decode()
    response = staff_client.get(reverse("plantings:visit_add") + f"?plot_code={world.plot.code}")
    assert "counts-0-trees_alive" in response.content.decode()


def test_plot_search_finds_by_name_without_accents_dni_and_code(staff_client, world):
    MemberFactory(first_name="Otro", last_name="Socio")
    url = reverse("members:plot_search")
    for query in ("nunez rosa", world.member.dni, "wp-00"):
        results = staff_client.get(url, {"q": query}).json()["results"]
        assert [r["code"] for r in results] == ["WP-0000"], query
    assert staff_client.get(url, {"q": "x"}).json() == {"results": []}


def test_dead_trees_without_alive_count_are_not_silently_dropped(staff_client, world):
    counts = [{"species": world.species.pk, "trees_alive": "", "trees_dead": "40"}]
    response = staff_client.post(visit_url(world), visit_data(world, counts=counts))
    row = response.context["counts"].forms[0]
    assert "Enter the trees alive" in row.errors["trees_alive"][0]
    assert MonitoringVisit.objects.count() == 1


def test_planting_sent_again_with_a_new_token_is_not_saved_twice(staff_client, world):
    # The browser reloaded the form (a fresh token) and restored the typed values.
    for _attempt in range(2):
        data = planting_data(world.plot, species=world.species.pk, form_token=str(uuid.uuid4()))
        response = staff_client.post(reverse("plantings:planting_add"), data, follow=True)
    assert Planting.objects.filter(planted_on="2014-03-01").count() == 1
    assert "not saved twice" in response.content.decode()
    # A different planting the same minute is saved.
    data = planting_data(world.plot, species=world.species.pk, trees_planted="101")
    staff_client.post(reverse("plantings:planting_add"), data)
    assert Planting.objects.filter(planted_on="2014-03-01").count() == 2
