"""Every model rule with bad input: the error names the field, and nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from credits.models import CarbonProject
from members.models import Member, Plot
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

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def db_refuses(model_class, **fields):
    """The database itself rejects the row (CheckConstraint), even past the model's clean()."""
    before = model_class.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        model_class.objects.create(**fields)
    assert model_class.objects.count() == before


class TestMember:
    def test_dni_must_have_8_digits(self):
        member = MemberFactory.build(dni="1234567", community=MemberFactory().community)
        assert "8 digits" in errors_of(member)["dni"][0]

    def test_dni_letters_refused_by_database(self):
        member = MemberFactory()
        db_refuses(
            Member,
            code="X-1",
            dni="1234567A",
            first_name="A",
            last_name="B",
            gender="F",
            community=member.community,
            joined_on=datetime.date(2000, 1, 1),
        )

    def test_duplicate_dni_names_the_holder(self):
        holder = MemberFactory(dni="12345678", first_name="Rosa", last_name="Núñez Ríos")
        twin = MemberFactory.build(dni="12345678", community=holder.community)
        message = errors_of(twin)["dni"][0]
        assert "Rosa Núñez Ríos" in message and holder.code in message

    def test_duplicate_code_refused(self):
        holder = MemberFactory(code="ACO-1")
        assert "code" in errors_of(MemberFactory.build(code="ACO-1", community=holder.community))

    def test_future_birth_date_refused(self):
        member = MemberFactory.build(
            birth_date=timezone.localdate() + datetime.timedelta(days=1),
            community=MemberFactory().community,
        )
        assert "birth_date" in errors_of(member)

    def test_certification_date_needs_certification(self):
        member = MemberFactory.build(
            organic_certified=False,
            organic_certified_on=datetime.date(2010, 1, 1),
            community=MemberFactory().community,
        )
        assert "organic_certified_on" in errors_of(member)

    def test_search_is_accent_insensitive(self):
        target = MemberFactory(first_name="Julián", last_name="Núñez Peña")
        MemberFactory(first_name="Rosa", last_name="García")
        assert list(Member.objects.search("nunez julian")) == [target]
        assert list(Member.objects.search("NUÑEZ")) == [target]
        assert list(Member.objects.search(target.dni)) == [target]

    def test_member_with_plots_cannot_be_deleted(self):
        plot = PlotFactory()
        with pytest.raises(ProtectedError):
            plot.member.delete()
        assert Member.objects.filter(pk=plot.member.pk).exists()


class TestPlot:
    @pytest.mark.parametrize("area", ["0", "-1.5"])
    def test_area_must_be_positive(self, area):
        plot = PlotFactory.build(area_ha=Decimal(area), member=MemberFactory())
        assert "area_ha" in errors_of(plot)

    def test_area_refused_by_database(self):
        db_refuses(Plot, member=MemberFactory(), code="Z", land_use="cacao", area_ha=Decimal("0"))

    def test_latitude_outside_peru(self):
        plot = PlotFactory.build(latitude=Decimal("7.2"), member=MemberFactory())
        assert "outside Peru" in errors_of(plot)["latitude"][0]

    def test_longitude_outside_peru_refused_by_database(self):
        db_refuses(
            Plot,
            member=MemberFactory(),
            code="Z",
            land_use="cacao",
            area_ha=Decimal("1"),
            latitude=Decimal("-7.2"),
            longitude=Decimal("76.7"),
        )

    def test_boundary_must_be_a_polygon(self):
        plot = PlotFactory.build(
            boundary_geojson={"type": "Point", "coordinates": [-76.7, -7.2]}, member=MemberFactory()
        )
        assert "boundary_geojson" in errors_of(plot)

    def test_plot_with_plantings_cannot_be_deleted(self):
        planting = PlantingFactory()
        with pytest.raises(ProtectedError):
            planting.plot.delete()


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

    def test_programme_and_project_are_data(self):
        programme = Programme.current()
        assert programme.trees_target == 2_000_000
        assert programme.started_on == datetime.date(2008, 1, 1)
        project = CarbonProject.current()
        assert project.buffer_share == Decimal("0.200")
        assert project.co2e_target_t == Decimal("720000.00")
        assert "IPCC" in project.sources

    def test_producer_share_below_60pc_refused(self):
        project = CarbonProject.current()
        project.producer_revenue_share = Decimal("0.500")
        assert "producer_revenue_share" in errors_of(project)
        with pytest.raises(IntegrityError), transaction.atomic():
            CarbonProject.objects.filter(pk=project.pk).update(
                producer_revenue_share=Decimal("0.5")
            )
