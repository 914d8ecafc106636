"""The pieces the domain models share (core.models.Recorded, recorded_by_field, the late entry and
the point-in-Peru constraints): each model that uses them keeps the same rule."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.models import Recorded
from members.models import ScreeningResult
from plantings.models import LateDataEntry, MonitoringVisit, Planting, TreeMeasurement
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    TreeMeasurementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_recorded_row_outlives_the_account_that_recorded_it():
    user = UserFactory()
    planting = PlantingFactory(recorded_by=user)
    visit = MonitoringVisitFactory(recorded_by=user)
    late = LateDataEntry.objects.create(
        plot=visit.plot,
        field_date=datetime.date(2015, 6, 1),
        reason="sheet found late",
        recorded_by=user,
    )
    user.delete()
    for row in (planting, visit, late):
        row.refresh_from_db()
        assert row.recorded_by is None
    assert planting.created_at is not None and visit.created_at is not None
    assert issubclass(Planting, Recorded) and issubclass(MonitoringVisit, Recorded)


def test_screening_evidence_keeps_its_recorder():
    user = UserFactory()
    ScreeningResult.objects.create(
        plot=PlotFactory(),
        screened_on=datetime.date(2024, 1, 10),
        source="Whisp 2.0",
        result=ScreeningResult.Result.NO_LOSS,
        recorded_by=user,
    )
    with pytest.raises(ProtectedError):
        user.delete()


@pytest.mark.parametrize("field", ["latitude", "longitude"])
def test_the_database_refuses_a_sample_tree_outside_peru(field):
    tree = TreeMeasurementFactory(latitude=Decimal("-6.9"), longitude=Decimal("-76.7"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TreeMeasurement.objects.filter(pk=tree.pk).update(**{field: Decimal("10")})
    TreeMeasurement.objects.filter(pk=tree.pk).update(**{field: None})
    assert TreeMeasurement.objects.filter(pk=tree.pk, **{f"{field}__isnull": True}).exists()
