"""Data for the staff-page tests: a small world of members, plots, plantings and visits."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from members.models import Member
from plantings.models import Species
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)


@dataclass
class World:
    member: Member
    plot: object
    planting: object
    visit: object
    species: Species
    other_species: Species


def caoba() -> Species:
    """A species from the reference data loaded by migration."""
    return Species.objects.get(scientific_name="Swietenia macrophylla")


def build_world(n: int = 1, prefix: str = "W") -> World:
    """n members, each with one plot, two plantings, a visit with counts and a sample tree.
    Returns the first member's records (with recognisable names for content assertions)."""
    community = CommunityFactory(name="Dos de Mayo")
    species = caoba()
    other = Species.objects.get(scientific_name="Cedrela odorata")
    first = None
    for i in range(n):
        member = MemberFactory(
            code=f"{prefix}-{i:04d}",
            dni=f"{70000000 + i + (1000 if prefix != 'W' else 0):08d}",
            first_name="Rosa" if i == 0 else f"Nombre{i}",
            last_name="Núñez Pérez" if i == 0 else f"Apellido{i}",
            community=community,
        )
        plot = PlotFactory(member=member, code=f"{prefix}P-{i:04d}", area_ha=Decimal("2.00"))
        planting = PlantingFactory(
            plot=plot, species=species, planted_on=datetime.date(2012, 2, 1), trees_planted=600
        )
        PlantingFactory(
            plot=plot, species=other, planted_on=datetime.date(2013, 2, 1), trees_planted=300
        )
        visit = MonitoringVisitFactory(
            plot=plot, visited_on=datetime.date(2016, 5, 10), technician="Edwin Ríos"
        )
        SurvivalCountFactory(visit=visit, species=species, trees_alive=540, trees_dead=60)
        SurvivalCountFactory(visit=visit, species=other, trees_alive=250, trees_dead=50)
        TreeMeasurementFactory(visit=visit, species=species, dbh_cm=Decimal("14.5"))
        if first is None:
            first = World(member, plot, planting, visit, species, other)
    return first
