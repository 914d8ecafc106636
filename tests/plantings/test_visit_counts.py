"""Alive + dead may not exceed the trees planted (plus replanted) of a species on a plot
(issue 16: 295 alive + 10 dead of 300 planted was saved). The rule is in SurvivalCount.clean(),
so the visit service, the forms, imports and the API all obey it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from plantings import services
from plantings.models import MonitoringVisit, SurvivalCount
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
)

pytestmark = pytest.mark.django_db
PLANTED_ON = datetime.date(2020, 3, 1)
VISIT_DAY = datetime.date(2022, 5, 10)


@pytest.fixture
def planted():
    plot, species = PlotFactory(), SpeciesFactory()
    PlantingFactory(plot=plot, species=species, trees_planted=300, planted_on=PLANTED_ON)
    return plot, species


def record(plot, species, alive, dead, replanted=0, day=VISIT_DAY):
    return services.record_visit(
        plot=plot,
        visited_on=day,
        technician="Rosa",
        counts=[
            {
                "species": species,
                "trees_alive": alive,
                "trees_dead": dead,
                "trees_replanted": replanted,
            }
        ],
        measurements=[],
    )


def test_more_alive_and_dead_than_planted_is_refused(planted):
    plot, species = planted
    with pytest.raises(services.VisitErrors) as error:
        record(plot, species, alive=295, dead=10)
    (message,) = error.value.counts[0]["trees_dead"]
    assert "295 alive + 10 dead = 305 trees" in message and "300 trees" in message
    assert not MonitoringVisit.objects.exists() and not SurvivalCount.objects.exists()


def test_alive_and_dead_up_to_the_trees_planted_is_saved(planted):
    plot, species = planted
    visit = record(plot, species, alive=290, dead=10)
    assert visit.survival_counts.get().trees_dead == 10


def test_trees_replanted_at_an_earlier_visit_count_too(planted):
    plot, species = planted
    record(plot, species, alive=280, dead=20, replanted=20, day=VISIT_DAY)
    later = record(plot, species, alive=295, dead=25, day=VISIT_DAY + datetime.timedelta(days=180))
    assert later.survival_counts.get().trees_alive == 295
    with pytest.raises(services.VisitErrors):
        record(plot, species, alive=300, dead=21, day=VISIT_DAY + datetime.timedelta(days=360))


def test_the_model_rule_holds_for_any_writer(planted):
    """Imports and the API call full_clean() on each count: the same message reaches them."""
    plot, species = planted
    visit = MonitoringVisitFactory(plot=plot, visited_on=VISIT_DAY)
    count = SurvivalCountFactory.build(visit=visit, species=species, trees_alive=295, trees_dead=10)
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "trees_dead" in error.value.message_dict


@pytest.mark.parametrize(
    "rows, field, words",
    [
        ([{"trees_alive": -1}], "trees_alive", "greater than or equal to 0"),
        ([{"trees_alive": 5, "trees_dead": -2}], "trees_dead", "greater than or equal to 0"),
        ([{"trees_alive": 5}, {"trees_alive": 6}], "species", "counted twice"),
    ],
    ids=["negative alive", "negative dead", "species twice"],
)
def test_a_new_visits_counts_are_checked_without_their_database_constraints(
    planted, rows, field, words
):
    """record_visit checks a new visit's counts by their fields and in Python (no query per
    constraint): what the constraints forbid is still refused at the field, and nothing saved."""
    plot, species = planted
    with pytest.raises(services.VisitErrors) as error:
        services.record_visit(
            plot=plot,
            visited_on=VISIT_DAY,
            technician="Rosa",
            counts=[{"species": species, "trees_dead": 0} | row for row in rows],
            measurements=[],
        )
    messages = " ".join(" ".join(m) for m in error.value.counts[len(rows) - 1].values())
    assert words in messages and field in error.value.counts[len(rows) - 1]
    assert not MonitoringVisit.objects.exists() and not SurvivalCount.objects.exists()
