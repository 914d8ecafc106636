"""A small data set built by hand, with every report figure counted on paper in KNOWN.

Communities A (Pachiza Test) and B (Huicungo Test); species S1 (caoba) and S2 (bolaina).
- m1 (A, active), plot P1 cacao 2.00 ha: S1 500 planted 2010-03-01, S2 300 planted 2012-02-01;
  visits 2011-06-01 (S1 450 alive) and 2013-06-01 (S1 400, S2 240 alive).
- m2 (A, active), plot P2 purma 1.50 ha: S1 200 planted 2011-05-01; visit 2012-06-01 (S1 100).
- m3 (B, inactive), plot P3 sugarcane 0.50 ha (nothing planted) and plot P4 cacao 1.00 ha:
  S2 400 planted 2010-10-01; visits 2011-04-01 (S2 380) and 2011-10-01 (S2 360).
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from members.models import District, Member, Plot

# The small credits programme (two members, a closed 2019 period) for the payday sheet.
from tests.credits.conftest import issued, period, programme, project  # noqa: F401
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def visit(plot, day, counts):
    v = MonitoringVisitFactory(plot=plot, visited_on=day)
    for species, alive in counts:
        SurvivalCountFactory(visit=v, species=species, trees_alive=alive, trees_dead=0)
    return v


@pytest.fixture
def known(db):
    a = CommunityFactory(name="Pachiza Test", district=District.PACHIZA)
    b = CommunityFactory(name="Huicungo Test", district=District.HUICUNGO)
    s1 = SpeciesFactory(scientific_name="Swietenia testii", local_name="Caoba T")
    s2 = SpeciesFactory(scientific_name="Guazuma testii", local_name="Bolaina T")
    m1 = MemberFactory(community=a, code="K-001", first_name="Ana", last_name="Uno")
    m2 = MemberFactory(community=a, code="K-002", first_name="Beto", last_name="Dos")
    m3 = MemberFactory(
        community=b,
        code="K-003",
        first_name="Ciro",
        last_name="Tres",
        status=Member.Status.INACTIVE,
    )
    p1 = PlotFactory(member=m1, land_use=Plot.LandUse.CACAO, area_ha=Decimal("2.00"))
    p2 = PlotFactory(member=m2, land_use=Plot.LandUse.PURMA, area_ha=Decimal("1.50"))
    p3 = PlotFactory(member=m3, land_use=Plot.LandUse.SUGARCANE, area_ha=Decimal("0.50"))
    p4 = PlotFactory(member=m3, land_use=Plot.LandUse.CACAO, area_ha=Decimal("1.00"))
    PlantingFactory(plot=p1, species=s1, planted_on=D(2010, 3, 1), trees_planted=500)
    PlantingFactory(plot=p1, species=s2, planted_on=D(2012, 2, 1), trees_planted=300)
    PlantingFactory(plot=p2, species=s1, planted_on=D(2011, 5, 1), trees_planted=200)
    PlantingFactory(plot=p4, species=s2, planted_on=D(2010, 10, 1), trees_planted=400)
    visit(p1, D(2011, 6, 1), [(s1, 450)])
    visit(p1, D(2013, 6, 1), [(s1, 400), (s2, 240)])
    visit(p2, D(2012, 6, 1), [(s1, 100)])
    visit(p4, D(2011, 4, 1), [(s2, 380)])
    visit(p4, D(2011, 10, 1), [(s2, 360)])
    return SimpleNamespace(a=a, b=b, s1=s1, s2=s2, m1=m1, m2=m2, m3=m3, p1=p1, p2=p2, p3=p3, p4=p4)


def add_more_data(n: int = 6):
    """More members, plots, plantings and visits: query counts must not move."""
    community = CommunityFactory(name="Más Datos")
    species = SpeciesFactory(scientific_name="Cedrela testii", local_name="Cedro T")
    for index in range(n):
        plot = PlotFactory(member=MemberFactory(community=community), area_ha=Decimal("3.00"))
        PlantingFactory(plot=plot, species=species, planted_on=D(2009 + index % 4, 1, 5))
        visit(plot, D(2014, 1, 10 + index), [(species, 300 + index)])
        visit(plot, D(2015, 1, 10 + index), [(species, 250 + index)])
