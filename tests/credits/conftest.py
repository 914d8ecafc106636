"""A small programme with known numbers: two members, one species, two yearly visits.

Member A's plot: 1,000 caoba-like trees planted 2010, 800 alive at 2018-12-15 (samples 10 cm × 8 m),
780 alive at 2019-12-15 (samples 12 and 14 cm × 10 m). Member B's plot, same community: 500 planted,
400 alive at both visits, never measured: a cohort of the same species and planting year (the
same stratum), so it takes the mean of A's samples.
"""

import datetime
from decimal import Decimal

import pytest

from credits import services
from credits.models import CarbonProject
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

START = datetime.date(2019, 1, 1)
END = datetime.date(2019, 12, 31)
VISIT_1 = datetime.date(2018, 12, 15)
VISIT_2 = datetime.date(2019, 12, 15)


@pytest.fixture
def project(db):
    """The default project without the sampling-error deduction: these tests work figures by
    hand from one or two sample trees (test_uncertainty.py has the deduction on)."""
    project = CarbonProject.current()
    project.uncertainty_deduction = False
    project.save()
    return project


@pytest.fixture
def programme(db):
    community = CommunityFactory(name="Dos de Mayo")
    species = SpeciesFactory(
        scientific_name="Swietenia testus",
        wood_density_g_cm3=Decimal("0.600"),
        growth_dbh_max_cm=Decimal("60"),
        growth_height_max_m=Decimal("30"),
        growth_rate_per_year=Decimal("0.0500"),
        expected_survival=Decimal("0.800"),
    )
    member_a = MemberFactory(community=community, first_name="Ana")
    member_b = MemberFactory(community=community, first_name="Beto")
    plot_a = PlotFactory(member=member_a)
    plot_b = PlotFactory(member=member_b)
    planted_on = datetime.date(2010, 3, 1)
    PlantingFactory(plot=plot_a, species=species, trees_planted=1000, planted_on=planted_on)
    PlantingFactory(plot=plot_b, species=species, trees_planted=500, planted_on=planted_on)
    for plot, alive in ((plot_a, (800, 780)), (plot_b, (400, 400))):
        for day, count in zip((VISIT_1, VISIT_2), alive, strict=True):
            visit = MonitoringVisitFactory(plot=plot, visited_on=day)
            SurvivalCountFactory(visit=visit, species=species, trees_alive=count, trees_dead=0)
            if plot is plot_a and day == VISIT_1:
                TreeMeasurementFactory(
                    visit=visit, species=species, dbh_cm=Decimal("10"), height_m=Decimal("8")
                )
            elif plot is plot_a:
                for dbh in ("12", "14"):
                    TreeMeasurementFactory(
                        visit=visit, species=species, dbh_cm=Decimal(dbh), height_m=Decimal("10")
                    )
    return {
        "species": species,
        "members": (member_a, member_b),
        "plots": (plot_a, plot_b),
        "community": community,
    }


@pytest.fixture
def period(project, programme):
    return services.open_period(project=project, start_date=START, end_date=END, vintage="2019")


@pytest.fixture
def issued(period, manager):
    """The 2019 period closed and its credits issued."""
    closed = services.close_period(period=period, user=manager)
    services.issue_credits(period=closed, user=manager)
    closed.refresh_from_db()
    return closed
