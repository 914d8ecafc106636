"""A saved visit can be corrected or cancelled (issue 16): staff their own recent visits, managers
any, with the reason kept in the history; bad corrections write nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from plantings import services
from plantings.models import MonitoringVisit, SurvivalCount
from tests.factories import PlantingFactory, PlotFactory, SpeciesFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2022, 5, 10)


@pytest.fixture
def visit(staff):
    plot, species = PlotFactory(), SpeciesFactory()
    PlantingFactory(
        plot=plot, species=species, trees_planted=300, planted_on=datetime.date(2020, 1, 1)
    )
    return services.record_visit(
        plot=plot,
        visited_on=DAY,
        technician="Rosa",
        counts=[{"species": species, "trees_alive": 250, "trees_dead": 5}],
        measurements=[],
        recorded_by=staff,
    )


def form(visit, **changes):
    count = visit.survival_counts.get()
    data = {
        "visited_on": visit.visited_on.isoformat(),
        "technician": visit.technician,
        "notes": "",
        "reason": "typed 205 as 250",
        "counts-TOTAL_FORMS": "1",
        "counts-INITIAL_FORMS": "1",
        "counts-0-species": str(count.species_id),
        "counts-0-trees_alive": "205",
        "counts-0-trees_dead": "5",
        "counts-0-trees_replanted": "0",
        "counts-0-loss_cause": "",
    }
    data.update(changes)
    return data


def test_staff_corrects_their_own_visit_with_the_reason_in_history(client, staff, visit):
    client.force_login(staff)
    url = reverse("plantings:visit_correct", args=[visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form(visit))
    assert response.status_code == 302
    count = SurvivalCount.objects.get(visit=visit)
    assert count.trees_alive == 205
    latest = count.history.latest()
    assert latest.history_change_reason == "typed 205 as 250" and latest.history_user == staff


def test_a_correction_obeys_the_count_rules_and_writes_nothing(client, staff, visit):
    client.force_login(staff)
    url = reverse("plantings:visit_correct", args=[visit.pk])
    response = client.post(url, form(visit, **{"counts-0-trees_alive": "299"}))
    assert response.status_code == 400
    assert "299 alive + 5 dead = 304 trees" in response.content.decode()
    assert SurvivalCount.objects.get(visit=visit).trees_alive == 250


def test_a_correction_needs_a_reason(client, staff, visit):
    client.force_login(staff)
    response = client.post(
        reverse("plantings:visit_correct", args=[visit.pk]), form(visit, reason="")
    )
    assert response.status_code == 400
    assert SurvivalCount.objects.get(visit=visit).trees_alive == 250


def test_staff_cannot_correct_another_technicians_visit(client, visit, django_user_model):
    from core.roles import STAFF
    from tests.factories import UserFactory

    other = UserFactory(username="other", groups=[STAFF])
    client.force_login(other)
    assert client.get(reverse("plantings:visit_correct", args=[visit.pk])).status_code == 403
    assert (
        client.post(reverse("plantings:visit_cancel", args=[visit.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert MonitoringVisit.objects.filter(pk=visit.pk).exists()


@override_settings(VISIT_CORRECTION_DAYS=30)
def test_staff_cannot_correct_an_old_visit_but_a_manager_can(staff, manager, visit):
    MonitoringVisit.objects.filter(pk=visit.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    visit.refresh_from_db()
    assert not services.can_correct_visit(visit=visit, user=staff)
    with pytest.raises(PermissionDenied):
        services.cancel_visit(visit=visit, user=staff, reason="duplicate")
    assert services.can_correct_visit(visit=visit, user=manager)
    services.cancel_visit(visit=visit, user=manager, reason="duplicate of 2022-05-11")
    assert not MonitoringVisit.objects.exists() and not SurvivalCount.objects.exists()
    gone = MonitoringVisit.history.filter(history_type="-").get()
    assert gone.history_change_reason == "duplicate of 2022-05-11"
    assert gone.history_user == manager


def test_cancel_page_removes_the_visit(client, staff, visit):
    client.force_login(staff)
    url = reverse("plantings:visit_cancel", args=[visit.pk])
    assert "Cancel the visit" in client.get(url).content.decode()
    response = client.post(url, {"reason": "recorded on the wrong plot"})
    assert response.status_code == 302
    assert not MonitoringVisit.objects.filter(pk=visit.pk).exists()


def test_moving_the_date_onto_another_visit_is_refused(staff, visit):
    other_day = DAY + datetime.timedelta(days=1)
    services.record_visit(
        plot=visit.plot,
        visited_on=other_day,
        technician="Rosa",
        counts=[],
        measurements=[{"species": visit.survival_counts.get().species, "dbh_cm": 5, "height_m": 3}],
    )
    with pytest.raises(services.VisitErrors) as error:
        services.correct_visit(
            visit=visit,
            user=staff,
            reason="date",
            visited_on=other_day,
            technician="Rosa",
            counts=[],
        )
    assert "visited_on" in error.value.visit
    visit.refresh_from_db()
    assert visit.visited_on == DAY


@pytest.mark.parametrize("who, status", [(None, 302), ("outsider", 403), ("manager", 200)])
def test_correct_page_roles(client, request, visit, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("plantings:visit_correct", args=[visit.pk])).status_code == status


def test_visit_page_offers_the_correction_only_to_who_may(client, staff, outsider, visit):
    from core.roles import STAFF
    from tests.factories import UserFactory

    url = reverse("plantings:visit_detail", args=[visit.pk])
    client.force_login(staff)
    assert reverse("plantings:visit_correct", args=[visit.pk]) in client.get(url).content.decode()
    client.force_login(UserFactory(username="colleague", groups=[STAFF]))
    assert (
        reverse("plantings:visit_correct", args=[visit.pk]) not in client.get(url).content.decode()
    )
