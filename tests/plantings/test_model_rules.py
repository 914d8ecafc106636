"""Every rule of the planting and monitoring models with bad input: the error names the field,
and nothing is saved; the programme's reference data."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member
from plantings.models import Planting, Programme, Species, SurvivalCount, TreeMeasurement
from tests.factories import (
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)
from tests.helpers import db_refuses, errors_of

pytestmark = pytest.mark.django_db


class TestPlanting:
    def test_future_date_refused(self):
        planting = PlantingFactory.build(
            plot=PlotFactory(),
            species=SpeciesFactory(),
            planted_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        assert "future" in errors_of(planting)["planted_on"][0]

    def test_before_programme_start_refused(self):
        planting = PlantingFactory.build(
            plot=PlotFactory(), species=SpeciesFactory(), planted_on=datetime.date(2007, 12, 31)
        )
        assert "2008-01-01" in errors_of(planting)["planted_on"][0]

    def test_density_limit_names_the_numbers(self):
        plot = PlotFactory(area_ha=Decimal("1.00"))
        PlantingFactory(plot=plot, trees_planted=1500)
        planting = PlantingFactory.build(plot=plot, species=SpeciesFactory(), trees_planted=200)
        message = errors_of(planting)["trees_planted"][0]
        assert "1600" in message and "1500" in message and "100" in message

    def test_density_limit_is_data(self):
        Programme.objects.update(max_trees_per_ha=2000)
        plot = PlotFactory(area_ha=Decimal("1.00"))
        PlantingFactory.build(plot=plot, species=SpeciesFactory(), trees_planted=1900).full_clean()

    def test_inactive_member_refused(self):
        plot = PlotFactory(member=MemberFactory(status=Member.Status.INACTIVE))
        planting = PlantingFactory.build(plot=plot, species=SpeciesFactory())
        assert "not an active member" in errors_of(planting)["plot"][0]

    def test_zero_trees_refused_by_database(self):
        db_refuses(
            Planting,
            plot=PlotFactory(),
            species=SpeciesFactory(),
            planted_on=datetime.date(2010, 1, 1),
            trees_planted=0,
        )


class TestMonitoring:
    def test_survival_above_planted_refused(self):
        planting = PlantingFactory(trees_planted=300)
        visit = MonitoringVisitFactory(plot=planting.plot)
        count = SurvivalCount(visit=visit, species=planting.species, trees_alive=301)
        message = errors_of(count)["trees_alive"][0]
        assert "301" in message and "300" in message

    def test_survival_counts_only_plantings_before_the_visit(self):
        planting = PlantingFactory(trees_planted=300, planted_on=datetime.date(2016, 1, 1))
        visit = MonitoringVisitFactory(plot=planting.plot, visited_on=datetime.date(2015, 6, 1))
        count = SurvivalCount(visit=visit, species=planting.species, trees_alive=1)
        assert "trees_alive" in errors_of(count)

    def test_survival_within_planted_accepted(self):
        planting = PlantingFactory(trees_planted=300)
        visit = MonitoringVisitFactory(plot=planting.plot)
        SurvivalCount(visit=visit, species=planting.species, trees_alive=300).full_clean()

    def test_negative_counts_refused_by_database(self):
        count = SurvivalCountFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            SurvivalCount.objects.filter(pk=count.pk).update(trees_dead=-1)

    def test_future_visit_refused(self):
        visit = MonitoringVisitFactory.build(
            plot=PlotFactory(), visited_on=timezone.localdate() + datetime.timedelta(days=3)
        )
        assert "visited_on" in errors_of(visit)

    def test_one_visit_per_plot_and_day(self):
        visit = MonitoringVisitFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            MonitoringVisitFactory(plot=visit.plot, visited_on=visit.visited_on)

    @pytest.mark.parametrize(
        "field,value", [("dbh_cm", "0"), ("dbh_cm", "300"), ("height_m", "0"), ("height_m", "75")]
    )
    def test_measurement_physical_bounds(self, field, value):
        measurement = TreeMeasurementFactory.build(
            visit=MonitoringVisitFactory(), species=SpeciesFactory(), **{field: Decimal(value)}
        )
        assert field in errors_of(measurement)

    def test_measurement_bounds_refused_by_database(self):
        db_refuses(
            TreeMeasurement,
            visit=MonitoringVisitFactory(),
            species=SpeciesFactory(),
            dbh_cm=Decimal("900"),
            height_m=Decimal("10"),
        )


class TestReferenceData:
    def test_species_of_the_brief_with_sourced_wood_density(self):
        caoba = Species.objects.get(scientific_name="Swietenia macrophylla")
        assert caoba.wood_density_g_cm3 == Decimal("0.486")  # GWDD v2 (BIOMASS 3.0)
        assert "GWDD v2" in caoba.wood_density_source
        assert Species.objects.filter(scientific_name="Myroxylon balsamum").exists()

    def test_programme_is_data(self):
        programme = Programme.current()
        assert programme.trees_target == 2_000_000
        assert programme.started_on == datetime.date(2008, 1, 1)
