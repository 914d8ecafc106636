"""Sampling error per stratum (species × planting year) and its deduction, worked by hand."""

import datetime
import math
from decimal import Decimal

import pytest

from credits import services
from credits.models import CarbonProject
from credits.uncertainty import SampleStats, deduction_share, t90
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)


def test_half_width_of_four_values_by_hand():
    # 1, 2, 3, 4: mean 2.5, s = √(5/3) = 1.290994, t(0.95, 3) = 2.353; 2.353 × 1.290994 / 2.
    stats = SampleStats.of(4, 10.0, 30.0)
    assert stats.mean == 2.5
    assert stats.half_width == pytest.approx(1.518855, abs=1e-6)
    assert stats.sampling_error == pytest.approx(0.607542, abs=1e-6)
    assert deduction_share(stats.sampling_error, max_error=0.10) == pytest.approx(0.507542, 1e-6)
    assert deduction_share(0.08, max_error=0.10) == 0
    assert deduction_share(0.5, max_error=0.10, enabled=False) == 0
    # One tree gives no interval: the stratum's stock is deducted in full.
    assert SampleStats.of(1, 3.0, 9.0).sampling_error is None
    assert deduction_share(None, max_error=0.10) == 1.0


def test_t_table_is_conservative_between_rows():
    assert t90(3) == 2.353 and t90(30) == 1.697
    assert t90(45) == 1.684  # df 40's value, larger than df 45's
    assert t90(500) == 1.645


def agb(dbh, height, rho=0.5):
    return 0.0673 * (rho * dbh * dbh * height) ** 0.976


FACTOR = 1.2 * 0.47 * 44 / 12 / 1000  # tCO2e per kg AGB, R = 0.20 (under 125 t/ha)


@pytest.mark.django_db
def test_a_worked_period_with_its_sampling_error(manager_client):
    project = CarbonProject.current()
    assert project.uncertainty_deduction and project.max_sampling_error == Decimal("0.100")
    species = SpeciesFactory(wood_density_g_cm3=Decimal("0.500"), local_name="Prueba")
    plot = PlotFactory(area_ha=Decimal("2.00"))
    PlantingFactory(
        plot=plot, species=species, trees_planted=500, planted_on=datetime.date(2012, 2, 1)
    )
    sizes = {
        datetime.date(2018, 12, 1): [(10, 8), (11, 8), (10, 9), (12, 9)],
        datetime.date(2019, 12, 1): [(14, 10), (15, 11), (13, 10), (16, 12)],
    }
    for day, trees in sizes.items():
        visit = MonitoringVisitFactory(plot=plot, visited_on=day)
        SurvivalCountFactory(visit=visit, species=species, trees_alive=400, trees_dead=0)
        for dbh, height in trees:
            TreeMeasurementFactory(visit=visit, species=species, dbh_cm=dbh, height_m=height)

    def stock(trees):
        values = [agb(d, h) for d, h in trees]
        n, mean = len(values), sum(values) / len(values)
        s = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
        error = 2.353 * s / math.sqrt(n) / mean
        share = max(0.0, error - 0.10)
        return 400 * mean * FACTOR * (1 - share), error, share

    start, _e0, _s0 = stock(sizes[datetime.date(2018, 12, 1)])
    end, error, share = stock(sizes[datetime.date(2019, 12, 1)])
    assert 0.10 < error < 0.50  # a deduction is due (about 30 % here)
    period = services.open_period(
        project=project,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 12, 31),
        vintage="2019",
    )
    period = services.close_period(period=period)
    assert float(period.stock_start_co2e_t) == pytest.approx(start, abs=1e-5)
    assert float(period.stock_end_co2e_t) == pytest.approx(end, abs=1e-5)
    deduction = 400 * sum(agb(d, h) for d, h in sizes[datetime.date(2019, 12, 1)]) / 4 * FACTOR
    assert float(period.uncertainty_deduction_co2e_t) == pytest.approx(deduction * share, abs=1e-5)
    (stratum,) = period.strata
    assert (stratum["age_class"], stratum["sample_trees"]) == (2012, 4)
    assert stratum["sampling_error"] == pytest.approx(error, abs=1e-6)
    page = manager_client.get(f"/credits/periods/{period.pk}/").content.decode()
    assert "Prueba" in page and f"{error * 100:.1f}" in page
