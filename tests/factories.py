"""factory_boy factories for every domain model; valid by default, override what a test needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.models import Community, District, Member, Plot
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount, TreeMeasurement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ana"
    last_name = "Ríos"
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set([Group.objects.get(name=name) for name in names])
        if create:
            self.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Comunidad {n}")
    district = District.JUANJUI


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"T-{n:05d}")
    dni = factory.Sequence(lambda n: f"{40000000 + n:08d}")
    first_name = "José"
    last_name = factory.Sequence(lambda n: f"Núñez {n}")
    gender = Member.Gender.MALE
    birth_date = datetime.date(1970, 5, 1)
    community = factory.SubFactory(CommunityFactory)
    joined_on = datetime.date(2000, 1, 1)
    status = Member.Status.ACTIVE


class PlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plot

    member = factory.SubFactory(MemberFactory)
    code = factory.Sequence(lambda n: f"PL-{n:05d}")
    name = "Cacao 1"
    land_use = Plot.LandUse.CACAO
    area_ha = Decimal("2.00")
    latitude = Decimal("-7.200000")
    longitude = Decimal("-76.700000")
    altitude_m = 350


class SpeciesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Species
        django_get_or_create = ("scientific_name",)

    scientific_name = factory.Sequence(lambda n: f"Testus species{n}")
    local_name = factory.Sequence(lambda n: f"Árbol {n}")
    wood_density_g_cm3 = Decimal("0.520")
    wood_density_source = "test"
    growth_dbh_max_cm = Decimal("60")
    growth_height_max_m = Decimal("30")
    growth_rate_per_year = Decimal("0.0200")
    expected_survival = Decimal("0.800")
    growth_source = "test"


class PlantingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Planting

    plot = factory.SubFactory(PlotFactory)
    species = factory.SubFactory(SpeciesFactory)
    planted_on = datetime.date(2010, 3, 1)
    trees_planted = 500


class MonitoringVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringVisit

    plot = factory.SubFactory(PlotFactory)
    visited_on = datetime.date(2015, 6, 1)
    technician = "Edwin Ríos"


class SurvivalCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurvivalCount

    visit = factory.SubFactory(MonitoringVisitFactory)
    species = factory.SubFactory(SpeciesFactory)
    trees_alive = 400
    trees_dead = 100


class TreeMeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreeMeasurement

    visit = factory.SubFactory(MonitoringVisitFactory)
    species = factory.SubFactory(SpeciesFactory)
    dbh_cm = Decimal("12.5")
    height_m = Decimal("9.0")
