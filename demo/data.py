"""Deterministic demo data at the cooperative's real scale, written with bulk inserts.

Scale at the defaults: 1,800 members in 24 communities, ~2 plots each, plantings 2008-2013 that
sum to about 2,000,000 trees, semi-annual survival visits up to `until`, yearly sample-tree
measurements that grow with age. The same seed and `until` date give the same data.

Bulk inserts skip `save()`, `clean()` and history on purpose: this is a load of past data, not a
user's edit. The generator respects the rules those methods enforce (plot capacity, survival not
above planted, dates) so the data is what the forms would have accepted.
"""

import datetime
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from demo import names
from demo.boundaries import add_boundaries
from members.models import DISTRICT_UBIGEO, Community, Member, Plot
from plantings.models import (
    MonitoringVisit,
    Planting,
    Programme,
    Species,
    SurvivalCount,
    TreeMeasurement,
)
from plantings.reference_data import species_rows

FULL_SCALE_MEMBERS = 1800
FULL_SCALE_TREES = 2_000_000
# Trees planted each year, as a share of the total (20,000 in 2008, 400,000+ from 2010).
YEAR_SHARES = {2008: 0.01, 2009: 0.08, 2010: 0.20, 2011: 0.25, 2012: 0.25, 2013: 0.21}
BATCH = 5000


@dataclass
class DemoStats:
    communities: int = 0
    members: int = 0
    plots: int = 0
    plantings: int = 0
    trees: int = 0
    visits: int = 0
    survival_counts: int = 0
    measurements: int = 0
    boundaries: int = 0


def _d(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def _growth(species: Species, age_years: float) -> tuple[float, float]:
    """Expected DBH (cm) and height (m) at an age, from the species' growth curve."""
    factor = 1 - math.exp(-float(species.growth_rate_per_year) * age_years)
    return float(species.growth_dbh_max_cm) * factor, float(species.growth_height_max_m) * factor


class DemoBuilder:
    def __init__(
        self,
        *,
        members: int,
        seed: int,
        until: datetime.date,
        progress: Callable[[str], None] = lambda message: None,
    ):
        self.member_count = members
        self.seed = seed
        self.rng = random.Random(seed)
        self.until = until
        self.progress = progress
        self.stats = DemoStats()
        self.programme = Programme.current()

    @transaction.atomic
    def build(self) -> DemoStats:
        communities = self._communities()
        members = self._members(communities)
        plots = self._plots(members)
        plantings = self._plantings(plots)
        self._visits(plantings)
        self.stats.boundaries = add_boundaries(seed=self.seed, progress=self.progress)
        return self.stats

    def _communities(self) -> list[Community]:
        existing = {c.name: c for c in Community.objects.all()}
        new = [
            Community(name=name, district=district, ubigeo=DISTRICT_UBIGEO[district])
            for name, district in names.COMMUNITIES
            if name not in existing
        ]
        Community.objects.bulk_create(new)
        communities = list(Community.objects.filter(name__in=[n for n, _d in names.COMMUNITIES]))
        self.stats.communities = len(communities)
        self.progress(f"communities: {len(communities)}")
        return communities

    def _members(self, communities: list[Community]) -> list[Member]:
        rng = self.rng
        dnis = rng.sample(range(10_000_000, 80_000_000), self.member_count)
        rows = []
        for index in range(self.member_count):
            female = rng.random() < 0.38
            pool = names.FIRST_NAMES_F if female else names.FIRST_NAMES_M
            first = rng.choice(pool)
            if rng.random() < 0.3:
                second = rng.choice(pool)
                if second == first:  # "Marisol Marisol": take the next name, same draws
                    second = pool[(pool.index(second) + 1) % len(pool)]
                first = f"{first} {second}"
            last = f"{rng.choice(names.LAST_NAMES)} {rng.choice(names.LAST_NAMES)}"
            birth = datetime.date(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28))
            joined = datetime.date(rng.randint(1997, 2012), rng.randint(1, 12), rng.randint(1, 28))
            status = rng.choices(
                [Member.Status.ACTIVE, Member.Status.INACTIVE, Member.Status.WITHDRAWN],
                weights=[90, 7, 3],
            )[0]
            organic = rng.random() < 0.85
            fairtrade = rng.random() < 0.9
            member = Member(
                code=f"ACO-{index + 1:05d}",
                dni=f"{dnis[index]:08d}",
                first_name=first,
                last_name=last,
                gender=Member.Gender.FEMALE if female else Member.Gender.MALE,
                birth_date=birth,
                phone=f"9{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else "",
                community=rng.choice(communities),
                joined_on=joined,
                status=status,
                organic_certified=organic,
                organic_certified_on=datetime.date(rng.randint(2000, 2015), 6, 1)
                if organic
                else None,
                fairtrade_certified=fairtrade,
                fairtrade_certified_on=(
                    datetime.date(rng.randint(2000, 2015), 3, 1) if fairtrade else None
                ),
            )
            member.search_text = member.build_search_text()
            rows.append(member)
        return self._insert(Member, rows, "members", related="community")

    def _plots(self, members: list[Member]) -> list[Plot]:
        rng = self.rng
        rows = []
        for member in members:
            lat0, lon0 = names.DISTRICT_CENTRES[member.community.district]
            uses = [Plot.LandUse.CACAO]
            if rng.random() < 0.7:
                uses.append(Plot.LandUse.SUGARCANE)
            if rng.random() < 0.25:
                uses.append(Plot.LandUse.PURMA)
            for number, land_use in enumerate(uses, start=1):
                area = {
                    Plot.LandUse.CACAO: rng.uniform(0.5, 3.5),
                    Plot.LandUse.SUGARCANE: rng.uniform(0.3, 2.0),
                    Plot.LandUse.PURMA: rng.uniform(0.5, 3.0),
                }[land_use]
                rows.append(
                    Plot(
                        member=member,
                        code=f"{member.code}-P{number}",
                        name=f"{land_use.label.capitalize()} {number}",
                        land_use=land_use,
                        area_ha=_d(area, "0.01"),
                        latitude=_d(lat0 + rng.uniform(-0.08, 0.08), "0.000001"),
                        longitude=_d(lon0 + rng.uniform(-0.08, 0.08), "0.000001"),
                        altitude_m=rng.randint(280, 900),
                    )
                )
        return self._insert(Plot, rows, "plots", related="member")

    def _insert(self, model, rows, stat: str, *, related: str) -> list:
        """Bulk insert demo members or plots, then read them back with their ids (and the
        relation the next step uses), counted in `stats.<stat>`."""
        model.objects.bulk_create(rows, batch_size=BATCH)
        saved = list(model.objects.filter(code__startswith="ACO-").select_related(related))
        setattr(self.stats, stat, len(saved))
        self.progress(f"{stat}: {len(saved)}")
        return saved

    def _plantings(self, plots: list[Plot]) -> list[Planting]:
        """Spread the scaled tree target over cacao and purma plots, by area, within capacity."""
        rng = self.rng
        species = list(Species.objects.order_by("pk"))
        if not species:  # the migration's catalogue was deleted (a flushed test database)
            Species.objects.bulk_create(Species(**row) for row in species_rows())
            species = list(Species.objects.order_by("pk"))
        eligible = [p for p in plots if p.land_use in (Plot.LandUse.CACAO, Plot.LandUse.PURMA)]
        target = round(FULL_SCALE_TREES * self.member_count / FULL_SCALE_MEMBERS)
        total_area = sum(float(p.area_ha) for p in eligible) or 1.0
        years = list(YEAR_SHARES)
        rows = []
        for plot in eligible:
            capacity = int(plot.area_ha * self.programme.max_trees_per_ha)
            trees = min(round(target * float(plot.area_ha) / total_area), int(capacity * 0.95))
            if trees < 10:
                continue
            events = rng.randint(1, 3)
            chosen_years = sorted(
                rng.choices(years, weights=[YEAR_SHARES[y] for y in years], k=events)
            )
            remaining = trees
            for event, year in enumerate(chosen_years):
                event_trees = remaining if event == events - 1 else remaining // (events - event)
                remaining -= event_trees
                planted_on = datetime.date(
                    year, rng.choice([1, 2, 3, 10, 11, 12]), rng.randint(1, 28)
                )
                planted_on = max(planted_on, self.programme.started_on)
                mix = rng.sample(species, rng.randint(1, 3))
                for index, sp in enumerate(mix):
                    share = event_trees // len(mix) + (event_trees % len(mix) if index == 0 else 0)
                    if share <= 0:
                        continue
                    rows.append(
                        Planting(
                            plot=plot,
                            species=sp,
                            planted_on=planted_on,
                            trees_planted=share,
                            nursery_batch=f"V{year}-{rng.randint(1, 40):02d}",
                            arrangement=rng.choice(Planting.Arrangement.values),
                        )
                    )
        Planting.objects.bulk_create(rows, batch_size=BATCH)
        self.stats.plantings = len(rows)
        self.stats.trees = sum(p.trees_planted for p in rows)
        self.progress(f"plantings: {len(rows)} ({self.stats.trees} trees)")
        return rows

    def _visits(self, plantings: list[Planting]) -> None:
        """Semi-annual visits from the first planting on, survival falling with age, yearly
        measurements of two sample trees per species."""
        rng = self.rng
        by_plot: dict[int, list[Planting]] = {}
        for planting in plantings:
            by_plot.setdefault(planting.plot_id, []).append(planting)
        visits, pending = [], []  # pending: (visit, plot's plantings, measure this visit?)
        for plot_id, plot_plantings in by_plot.items():
            first = min(p.planted_on for p in plot_plantings)
            day = first + datetime.timedelta(days=rng.randint(150, 200))
            measure = False
            while day <= self.until:
                visit = MonitoringVisit(
                    plot_id=plot_id, visited_on=day, technician=rng.choice(names.TECHNICIANS)
                )
                visits.append(visit)
                pending.append((visit, plot_plantings, measure))
                measure = not measure
                day += datetime.timedelta(days=rng.randint(170, 195))
        MonitoringVisit.objects.bulk_create(visits, batch_size=BATCH)
        self.stats.visits = len(visits)
        self.progress(f"visits: {len(visits)}")

        # Each species on a plot keeps a survival share that only falls (replanting tops it up).
        alive_share: dict[tuple[int, int], float] = {}
        counts, measurements = [], []
        for visit, plot_plantings, measure in pending:
            planted_by_species: dict[int, tuple[int, datetime.date, Species]] = {}
            for p in plot_plantings:
                if p.planted_on <= visit.visited_on:
                    trees, first, sp = planted_by_species.get(
                        p.species_id, (0, p.planted_on, p.species)
                    )
                    planted_by_species[p.species_id] = (
                        trees + p.trees_planted,
                        min(first, p.planted_on),
                        sp,
                    )
            # Sample trees are sized by the age of the species' first planting on the plot; where
            # the plot holds several plantings of it, the technician names that planting.
            oldest: dict[int, list[Planting]] = {}
            for p in sorted(plot_plantings, key=lambda p: (p.planted_on, p.pk)):
                if p.planted_on <= visit.visited_on:
                    oldest.setdefault(p.species_id, []).append(p)
            for species_id, (planted, first, sp) in planted_by_species.items():
                key = (visit.plot_id, species_id)
                age = (visit.visited_on - first).days / 365.25
                share = alive_share.get(key, 1.0)
                # Most losses in the first three years, then a slow background mortality.
                young_loss = (1 - float(sp.expected_survival)) / 6
                loss = rng.uniform(0.3, 1.7) * (young_loss if age < 3 else 0.004)
                replanted_share = rng.uniform(0.2, 0.6) * loss if age < 3 else 0.0
                new_share = max(0.0, min(1.0, share - loss + replanted_share))
                alive_share[key] = new_share
                alive = min(planted, round(planted * new_share))
                dead = max(0, round(planted * loss))
                counts.append(
                    SurvivalCount(
                        visit=visit,
                        species_id=species_id,
                        trees_alive=alive,
                        trees_dead=dead,
                        trees_replanted=round(planted * replanted_share),
                        loss_cause=rng.choice(names.LOSS_CAUSES) if dead else "",
                    )
                )
                if measure and alive:
                    dbh, height = _growth(sp, age)
                    for tag in range(2):
                        factor = rng.uniform(0.75, 1.25)
                        measurements.append(
                            TreeMeasurement(
                                visit=visit,
                                species_id=species_id,
                                planting_id=(
                                    oldest[species_id][0].pk
                                    if len(oldest[species_id]) > 1
                                    else None
                                ),
                                dbh_cm=_d(min(max(dbh * factor, 0.3), 240), "0.1"),
                                height_m=_d(min(max(height * factor, 0.3), 58), "0.1"),
                                tree_tag=f"{visit.plot_id}-{species_id}-{tag + 1}",
                            )
                        )
            if len(counts) >= BATCH * 4:
                self._flush(counts, measurements)
        self._flush(counts, measurements)
        self.progress(
            f"survival counts: {self.stats.survival_counts}, "
            f"measurements: {self.stats.measurements}"
        )

    def _flush(self, counts: list, measurements: list) -> None:
        SurvivalCount.objects.bulk_create(counts, batch_size=BATCH)
        TreeMeasurement.objects.bulk_create(measurements, batch_size=BATCH)
        self.stats.survival_counts += len(counts)
        self.stats.measurements += len(measurements)
        counts.clear()
        measurements.clear()
