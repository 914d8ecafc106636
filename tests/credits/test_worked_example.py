"""docs/carbon.md section 6, the worked example, number by number."""

import datetime
from decimal import Decimal

import pytest

from credits import carbon, selectors, services
from credits.models import CarbonProject, ProducerShare
from plantings.models import Species
from plantings.reference_data import species_rows
from tests.credits.factories import BuyerFactory
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db


def test_one_tree():
    # 0.486 × 15² × 12 = 1312.2; 0.0673 × 1312.2^0.976 = 74.333 kg AGB; × 1.2 × 0.47 × 44/12.
    assert carbon.tree_agb_kg(15, 12, 0.486) == pytest.approx(74.333, abs=0.001)
    assert carbon.tree_co2e_t(15, 12, 0.486, root_shoot_ratio=0.2) == Decimal("0.153721")
    assert carbon.tree_co2e_t(19, 14, 0.486, root_shoot_ratio=0.2) == Decimal("0.283446")
    assert carbon.tree_co2e_t(12, 10, 0.486, root_shoot_ratio=0.2) == Decimal("0.083231")


def test_one_plot_period_and_sale():
    project = CarbonProject.current()
    project.uncertainty_deduction = False  # one and two sample trees: see docs/carbon.md § 3
    project.save()
    # The reference row from migration 0002 (made again if a transactional test flushed it).
    reference = next(r for r in species_rows() if r["scientific_name"] == "Swietenia macrophylla")
    caoba, _created = Species.objects.get_or_create(
        scientific_name="Swietenia macrophylla", defaults=reference
    )
    assert caoba.wood_density_g_cm3 == Decimal("0.486")  # GWDD v2
    plot = PlotFactory()
    PlantingFactory(
        plot=plot, species=caoba, trees_planted=500, planted_on=datetime.date(2011, 2, 1)
    )
    first = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2018, 12, 15))
    SurvivalCountFactory(visit=first, species=caoba, trees_alive=420, trees_dead=0)
    TreeMeasurementFactory(visit=first, species=caoba, dbh_cm=12, height_m=10)
    second = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2019, 12, 15))
    SurvivalCountFactory(visit=second, species=caoba, trees_alive=400, trees_dead=20)
    TreeMeasurementFactory(visit=second, species=caoba, dbh_cm=15, height_m=12)
    TreeMeasurementFactory(visit=second, species=caoba, dbh_cm=19, height_m=14)

    period = services.open_period(
        project=project,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 12, 31),
        vintage="2019",
    )
    period = services.close_period(period=period)
    assert period.stock_start_co2e_t.quantize(Decimal("0.001")) == Decimal("34.957")
    assert period.stock_end_co2e_t.quantize(Decimal("0.001")) == Decimal("87.433")
    assert period.net_removals_co2e_t.quantize(Decimal("0.001")) == Decimal("52.477")
    assert (period.issuable_credits, period.buffer_credits) == (41, 11)
    assert selectors.member_ledger(plot.member)["credits_attributed"] == Decimal("41")

    services.issue_credits(period=period)
    sale = services.sell_credits(
        period=period,
        buyer=BuyerFactory(),
        quantity=10,
        unit_price=Decimal("15.00"),
        sold_on=datetime.date(2024, 1, 10),
    )
    services.distribute_revenue(sale=sale)
    assert (sale.revenue, sale.producers_pool) == (Decimal("150.00"), Decimal("90.00"))
    assert ProducerShare.objects.get(member=plot.member).amount == Decimal("90.00")
