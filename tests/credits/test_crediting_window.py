"""Issue 17: a monitoring period must lie within the project's crediting period (a period of
0001-01-01 to 0001-12-31 used to open, close and issue)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits import services
from credits.models import CarbonProject, MonitoringPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return CarbonProject.objects.get()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime.date(1, 1, 1), datetime.date(1, 12, 31), "start_date"),
        (None, None, "end_date"),  # filled below: ends after the crediting period
    ],
)
def test_a_period_outside_the_crediting_period_is_refused(project, start, end, field):
    if start is None:
        start = project.crediting_end - datetime.timedelta(days=30)
        end = project.crediting_end + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.open_period(project=project, start_date=start, end_date=end, vintage="X")
    assert field in refused.value.message_dict
    assert "crediting period" in refused.value.message_dict[field][0]
    assert MonitoringPeriod.objects.count() == 0


def test_the_period_form_says_so_at_the_field_and_saves_nothing(manager_client, project):
    response = manager_client.post(
        reverse("credits:period_add"),
        {
            "start_date": "0001-01-01",
            "end_date": "0001-12-31",
            "vintage": "0001",
            "baseline_co2e_t": "0",
            "leakage_co2e_t": "0",
        },
    )
    assert response.status_code in (200, 400)
    assert "crediting period" in response.content.decode()
    assert MonitoringPeriod.objects.count() == 0
