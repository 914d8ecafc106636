"""Cohorts: a planting is a cohort. Pure rules, no queries (credits/stock.py feeds them).

A technician counts trees per plot and species and measures sample trees; the ledger
- attributes the survivors of a count to the plot's cohorts of that species, youngest first, each
  up to its trees planted (younger trees hold less carbon: the conservative attribution, and the
  one where replanted trees are young ones); never more than the count in all;
- values a cohort with its own sample trees only: those tagged with its planting, or untagged
  ones measured on the plot when it was the only cohort of that species there; failing that, with
  the sample trees of its stratum (same species and age class, the planting year); else it is
  unmeasured: the project's default (0), shown apart and never issued.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Cohort:
    planting_id: int
    plot_id: int
    species_id: int
    planted_on: datetime.date
    trees_planted: int

    @property
    def age_class(self) -> int:
        return self.planted_on.year

    @property
    def stratum(self) -> tuple[int, int]:
        return (self.species_id, self.age_class)


@dataclass
class Sums:
    """Sample trees of a group: number, how many count as small, Σ AGB and Σ AGB² (kg)."""

    n: int = 0
    agb_kg: float = 0.0
    agb_kg2: float = 0.0

    def add(self, other: "Sums") -> None:
        self.n += other.n
        self.agb_kg += other.agb_kg
        self.agb_kg2 += other.agb_kg2

    @property
    def mean_agb_kg(self) -> float:
        return self.agb_kg / self.n if self.n else 0.0


def by_plot_species(cohorts) -> dict[tuple[int, int], list[Cohort]]:
    groups: dict[tuple[int, int], list[Cohort]] = defaultdict(list)
    for cohort in cohorts:
        groups[(cohort.plot_id, cohort.species_id)].append(cohort)
    return groups


def attribute_survivors(cohorts: list[Cohort], alive: int) -> dict[int, int]:
    """Trees alive per planting: youngest cohort first, each up to its trees planted."""
    attributed = {}
    left = max(alive, 0)
    for cohort in sorted(cohorts, key=lambda c: (c.planted_on, c.planting_id), reverse=True):
        take = min(left, cohort.trees_planted)
        attributed[cohort.planting_id] = take
        left -= take
    return attributed


def owner_of_samples(
    cohorts: list[Cohort], planting_id: int | None, measured_on: datetime.date
) -> int | None:
    """The cohort sample trees belong to: the planting named, or the only one then planted."""
    if planting_id is not None:
        return planting_id
    planted = [c for c in cohorts if c.planted_on <= measured_on]
    return planted[0].planting_id if len(planted) == 1 else None
