"""PATCH /api/visits/<id>/ with nested rows (issue 17, finding 3; issue 11): rows sent with their
id are updated in place, rows without an id are added, and rows left out are deleted only for a
user with the delete permission; the API records and updates visits through plantings.services."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from plantings.models import MonitoringVisit, SurvivalCount, TreeMeasurement
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit():
    visit = MonitoringVisitFactory(visited_on=datetime.date(2016, 5, 10))
    for _ in range(3):
        species = SpeciesFactory()
        PlantingFactory(plot=visit.plot, species=species, trees_planted=100)
        SurvivalCountFactory(visit=visit, species=species, trees_alive=80, trees_dead=20)
    TreeMeasurementFactory(visit=visit, species=species, dbh_cm=Decimal("10.0"))
    return visit


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def url(visit):
    return f"/api/visits/{visit.pk}/"


def test_staff_cannot_delete_nested_rows_by_sending_empty_lists(staff, visit):
    response = client_for(staff).patch(
        url(visit), {"survival_counts": [], "measurements": []}, format="json"
    )
    assert response.status_code == 403
    assert "delete" in response.json()["detail"]
    assert visit.survival_counts.count() == 3 and visit.measurements.count() == 1


def test_staff_updates_a_row_in_place_by_id(staff, visit):
    rows = client_for(staff).get(url(visit)).json()["survival_counts"]
    rows[0]["trees_alive"] = 70
    rows[0]["trees_dead"] = 30
    before = {c.pk for c in visit.survival_counts.all()}
    response = client_for(staff).patch(url(visit), {"survival_counts": rows}, format="json")
    assert response.status_code == 200, response.json()
    assert {c.pk for c in visit.survival_counts.all()} == before  # same rows, not recreated
    changed = SurvivalCount.objects.get(pk=rows[0]["id"])
    assert (changed.trees_alive, changed.trees_dead) == (70, 30)
    assert changed.history.count() == 2  # the change is recorded, not a delete and an insert
    assert visit.measurements.count() == 1  # a list left out is kept


def test_a_row_without_id_is_added(staff, visit):
    trees = client_for(staff).get(url(visit)).json()["measurements"]
    species = visit.survival_counts.first().species_id
    trees.append({"species": species, "dbh_cm": "5.5", "height_m": "3.0", "tree_tag": "T-9"})
    response = client_for(staff).patch(url(visit), {"measurements": trees}, format="json")
    assert response.status_code == 200, response.json()
    assert sorted(visit.measurements.values_list("dbh_cm", flat=True)) == [
        Decimal("5.5"),
        Decimal("10.0"),
    ]


def test_manager_may_drop_rows(manager, visit):
    rows = client_for(manager).get(url(visit)).json()["survival_counts"][:1]
    response = client_for(manager).patch(url(visit), {"survival_counts": rows}, format="json")
    assert response.status_code == 200, response.json()
    assert list(visit.survival_counts.values_list("pk", flat=True)) == [rows[0]["id"]]


def test_an_id_of_another_visit_is_refused(staff, visit):
    other = SurvivalCountFactory()
    rows = client_for(staff).get(url(visit)).json()["survival_counts"]
    rows[0]["id"] = other.pk
    response = client_for(staff).patch(url(visit), {"survival_counts": rows}, format="json")
    assert response.status_code == 400
    assert "survival_counts" in response.json()
    other.refresh_from_db()
    assert other.visit_id != visit.pk


def test_a_bad_row_saves_nothing(staff, visit):
    rows = client_for(staff).get(url(visit)).json()["survival_counts"]
    rows[0]["trees_alive"] = 500  # more than planted
    rows[1]["trees_alive"] = 10
    response = client_for(staff).patch(
        url(visit), {"technician": "Otro", "survival_counts": rows}, format="json"
    )
    assert response.status_code == 400
    assert "more than the 100 trees" in str(response.json()["survival_counts"])
    visit.refresh_from_db()
    assert visit.technician != "Otro"
    assert SurvivalCount.objects.get(pk=rows[1]["id"]).trees_alive == 80


def test_the_api_records_a_visit_through_the_service(staff, monkeypatch):
    import plantings.services

    calls = []
    original = plantings.services.record_visit

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(plantings.services, "record_visit", spy)
    planting = PlantingFactory(trees_planted=100)
    payload = {
        "plot": planting.plot_id,
        "visited_on": "2015-06-01",
        "technician": "Edwin",
        "survival_counts": [{"species": planting.species_id, "trees_alive": 90}],
    }
    response = client_for(staff).post("/api/visits/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert len(calls) == 1 and calls[0]["recorded_by"] == staff
    visit = MonitoringVisit.objects.get(pk=response.json()["id"])
    assert visit.survival_counts.get().trees_alive == 90


def test_the_api_refuses_a_visit_without_any_row(staff):
    planting = PlantingFactory(trees_planted=100)
    payload = {"plot": planting.plot_id, "visited_on": "2015-06-01", "technician": "Edwin"}
    response = client_for(staff).post("/api/visits/", payload, format="json")
    assert response.status_code == 400
    assert "at least one" in str(response.json())
    assert not MonitoringVisit.objects.exists()


def test_measurements_left_out_are_kept_and_dropping_them_needs_the_permission(staff, visit):
    response = client_for(staff).patch(url(visit), {"measurements": []}, format="json")
    assert response.status_code == 403
    assert TreeMeasurement.objects.filter(visit=visit).count() == 1
