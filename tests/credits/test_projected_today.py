"""Today's projected stock stored and kept on write (credits/projected_today.py) equals the
projection computed from the raw plantings, after any history of writes: saves, moves, deletes,
bulk paths, a species' or the parameters' change, a new day."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits import projected_today
from credits.models import CarbonProject, ProjectedStamp, ProjectedStock
from credits.projection import projected_stock
from plantings.models import Planting
from tests.factories import MemberFactory, PlantingFactory, PlotFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


def stored() -> list[tuple]:
    return sorted(
        projected_today.stored_today().values_list("plot_id", "species_id", "trees_alive", "co2e_g")
    )


def fresh() -> list[tuple]:
    rows = projected_stock(on_date=timezone.localdate(), project=CarbonProject.current())
    return sorted((r.plot_id, r.species_id, r.trees_alive, int(r.co2e_t.scaleb(6))) for r in rows)


@pytest.fixture
def field():
    """Two members, three plots, two species, four plantings; today's projection stored."""
    caoba = SpeciesFactory()
    bolaina = SpeciesFactory(growth_rate_per_year=Decimal("0.30"))
    ana, luis = MemberFactory(), MemberFactory()
    plots = [PlotFactory(member=ana), PlotFactory(member=ana), PlotFactory(member=luis)]
    PlantingFactory(plot=plots[0], species=caoba, planted_on=datetime.date(2012, 2, 1))
    PlantingFactory(plot=plots[0], species=caoba, planted_on=datetime.date(2016, 2, 1))
    PlantingFactory(plot=plots[1], species=bolaina, planted_on=datetime.date(2014, 5, 1))
    PlantingFactory(plot=plots[2], species=caoba, planted_on=datetime.date(2016, 3, 1))
    assert stored() == fresh() and len(fresh()) == 3
    return {"species": [caoba, bolaina], "plots": plots}


def test_a_planting_rewrites_its_own_plot_only(field):
    first, second, third = field["plots"]
    untouched = set(ProjectedStock.objects.exclude(plot=third).values_list("pk", flat=True))
    before = ProjectedStock.objects.get(plot=third).co2e_g
    PlantingFactory(plot=third, species=field["species"][0], planted_on=datetime.date(2020, 1, 9))
    assert ProjectedStock.objects.get(plot=third).co2e_g > before
    assert set(ProjectedStock.objects.exclude(plot=third).values_list("pk", flat=True)) == (
        untouched
    )
    assert stored() == fresh()


def test_a_new_day_projects_every_plot_again(field):
    ProjectedStamp.objects.update(day=timezone.localdate() - datetime.timedelta(days=400))
    ProjectedStock.objects.update(co2e_g=1)  # what an old day's rows would not be
    assert stored() == fresh()
    assert ProjectedStamp.objects.get().day == timezone.localdate()


def test_a_species_or_parameter_change_drops_the_stored_day(field):
    caoba = field["species"][0]
    caoba.growth_dbh_max_cm = caoba.growth_dbh_max_cm + 10
    caoba.save()
    assert ProjectedStamp.objects.get().day is None
    assert stored() == fresh()
    project = CarbonProject.current()
    project.root_shoot_ratio = project.root_shoot_ratio + Decimal("0.05")
    project.save()
    assert ProjectedStamp.objects.get().day is None
    assert stored() == fresh()


def test_rebuild_summaries_stores_todays_projection(field):
    from io import StringIO

    from django.core.management import call_command

    ProjectedStamp.objects.update(day=None)
    call_command("rebuild_summaries", stdout=StringIO())
    assert ProjectedStamp.objects.get().day == timezone.localdate()
    assert (
        sorted(ProjectedStock.objects.values_list("plot_id", "species_id", "trees_alive", "co2e_g"))
        == fresh()
    )


def test_writes_before_the_first_reader_store_nothing(db):
    PlantingFactory()
    assert not ProjectedStamp.objects.exists() and not ProjectedStock.objects.exists()
    assert len(stored()) == 1 and stored() == fresh()


days = st.dates(min_value=datetime.date(2009, 1, 1), max_value=datetime.date(2026, 11, 30))
step = st.one_of(
    st.tuples(st.just("plant"), st.integers(0, 2), st.integers(0, 1), days, st.integers(1, 900)),
    st.tuples(st.just("edit"), st.integers(0, 9), days, st.integers(1, 900)),
    st.tuples(st.just("move"), st.integers(0, 9), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, 9)),
    st.tuples(st.just("bulk"), st.integers(0, 2), st.integers(1, 900)),
    st.tuples(st.just("survival"), st.integers(0, 1), st.integers(50, 99)),
)


def nth_planting(index: int) -> Planting | None:
    plantings = list(Planting.objects.order_by("pk"))
    return plantings[index % len(plantings)] if plantings else None


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(step, min_size=1, max_size=8))
def test_the_stored_projection_equals_the_computed_one_after_any_history(field, history):
    sid = transaction.savepoint()
    try:
        species, plots = field["species"], field["plots"]
        for action, *args in history:
            if action == "plant":
                plot, which, day, trees = args
                Planting.objects.create(
                    plot=plots[plot], species=species[which], planted_on=day, trees_planted=trees
                )
            elif action == "edit" and (planting := nth_planting(args[0])):
                planting.planted_on, planting.trees_planted = args[1], args[2]
                planting.save()
            elif action == "move" and (planting := nth_planting(args[0])):
                planting.plot = plots[args[1]]
                planting.save()
            elif action == "delete" and (planting := nth_planting(args[0])):
                planting.delete()
            elif action == "bulk":
                Planting.objects.filter(plot=plots[args[0]]).update(trees_planted=args[1])
            elif action == "survival":
                sp = species[args[0]]
                sp.expected_survival = Decimal(args[1]) / 100
                sp.save()
        assert stored() == fresh()
    finally:
        transaction.savepoint_rollback(sid)
