"""Follow-up lists (issue 16): plots not visited in 12 months, plots whose survival fell below a
threshold (GET parameter, 70 % by default), visits per technician; staff may read them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("reports:report", args=["follow-up"])
TODAY = timezone.localdate()


@pytest.fixture
def plots():
    species = SpeciesFactory()
    made = {}
    for code, last_visit, alive in (
        ("PL-RECENT", TODAY - datetime.timedelta(days=30), 90),
        ("PL-OLD", TODAY - datetime.timedelta(days=400), 60),
        ("PL-NEVER", None, None),
    ):
        plot = PlotFactory(code=code)
        PlantingFactory(
            plot=plot, species=species, trees_planted=100, planted_on=datetime.date(2019, 1, 1)
        )
        if last_visit:
            visit = MonitoringVisitFactory(
                plot=plot, visited_on=last_visit, technician=f"Tec {code}"
            )
            SurvivalCountFactory(visit=visit, species=species, trees_alive=alive, trees_dead=0)
        made[code] = plot
    PlotFactory(code="PL-EMPTY")  # nothing planted: nothing to follow up
    return made


def rows(response, slug):
    (table,) = [t for t in response.context["tables"] if t.slug == slug]
    return table.rows


def test_plots_not_visited_in_12_months(staff_client, plots):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert [r["plot"] for r in rows(response, "not-visited")] == ["PL-NEVER", "PL-OLD"]


def test_not_visited_counts_the_year_up_to_the_chosen_day(staff_client):
    """A visit on the cutoff day still counts, the day before does not, and a visit after the
    chosen end date is not known yet on that date (its last visit is the one before)."""
    as_of = datetime.date(2025, 6, 30)
    cutoff = as_of - datetime.timedelta(days=365)
    for code, days in (
        ("PL-ON-CUTOFF", [cutoff]),
        ("PL-DAY-BEFORE", [cutoff - datetime.timedelta(days=1)]),
        ("PL-LATER", [cutoff - datetime.timedelta(days=10), as_of + datetime.timedelta(days=1)]),
    ):
        plot = PlotFactory(code=code)
        PlantingFactory(plot=plot, trees_planted=10, planted_on=datetime.date(2019, 1, 1))
        for day in days:
            MonitoringVisitFactory(plot=plot, visited_on=day)
    response = staff_client.get(URL, {"date_to": as_of.isoformat()})
    assert [(r["plot"], r["last_visit"], r["days"]) for r in rows(response, "not-visited")] == [
        ("PL-LATER", cutoff - datetime.timedelta(days=10), 375),
        ("PL-DAY-BEFORE", cutoff - datetime.timedelta(days=1), 366),
    ]


def test_low_survival_default_and_chosen_threshold(staff_client, plots):
    default = staff_client.get(URL)
    assert [(r["plot"], r["survival_pct"]) for r in rows(default, "low-survival")] == [
        ("PL-OLD", 60)
    ]
    assert "Plots with survival below 70 %" in default.content.decode()
    chosen = staff_client.get(URL, {"survival_below": "95"})
    assert [r["plot"] for r in rows(chosen, "low-survival")] == ["PL-OLD", "PL-RECENT"]
    assert staff_client.get(URL, {"survival_below": "500"}).status_code == 400


def test_visits_per_technician_in_the_last_year(staff_client, plots):
    response = staff_client.get(URL)
    assert [(r["technician"], r["visits"]) for r in rows(response, "technicians")] == [
        ("Tec PL-RECENT", 1)
    ]


def test_follow_up_csv(staff_client, plots):
    response = staff_client.get(URL, {"format": "csv", "table": "not-visited"})
    text = response.content.decode("utf-8-sig")
    assert "PL-NEVER" in text and "PL-RECENT" not in text


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("outsider", 403), ("staff", 200), ("manager", 200)]
)
def test_follow_up_roles(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
