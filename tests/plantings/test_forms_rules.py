"""Every rule of the planting and monitoring-visit forms with bad input: a clear message at the
field, nothing saved. Messages are asserted in English (the `english` fixture)."""

import uuid

import pytest
from django.urls import reverse

from members.models import Member
from plantings.models import MonitoringVisit, Planting, SurvivalCount, TreeMeasurement
from tests.helpers import TOMORROW, field_errors

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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


@pytest.mark.parametrize("change", [{"nursery_batch": "V-12"}, {"arrangement": "line"}])
def test_planting_differing_in_any_field_of_the_form_is_saved(staff_client, world, change):
    # Identical means every field of the form: another batch or arrangement is another planting.
    data = planting_data(world.plot, species=world.species.pk)
    staff_client.post(reverse("plantings:planting_add"), data)
    staff_client.post(reverse("plantings:planting_add"), {**data, **change})
    assert Planting.objects.filter(planted_on="2014-03-01").count() == 2
