"""Issue 12's findings, each reproduced on a fresh database: they failed before the ledger fix.

The shared fixture (tests/credits/conftest.py): one species (rho 0.6) planted 2010-03-01 on
plot A (1,000 trees) and plot B (500), counted in December 2018 and 2019, sample trees on A.
"""

import datetime
import math
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from credits import services
from credits.models import CreditBlock, Sale
from credits.periods import credits_from_net
from credits.selectors import stock_rows
from plantings import services as field_services
from plantings.models import Species
from tests.credits.conftest import END, START
from tests.credits.factories import BuyerFactory
from tests.credits.test_stock import tree_t
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def by_plot(rows):
    return {row.plot_id: row for row in rows}


def count(plot, species, day, alive, **samples):
    visit = MonitoringVisitFactory(plot=plot, visited_on=day)
    SurvivalCountFactory(visit=visit, species=species, trees_alive=alive, trees_dead=0)
    for dbh, height, planting in samples.get("trees", ()):
        TreeMeasurementFactory(
            visit=visit, species=species, dbh_cm=dbh, height_m=height, planting=planting
        )
    return visit


def test_finding_1_unmeasured_seedlings_do_not_take_old_trees_mean(project, programme):
    """950 seedlings 2.5 months old, counted, never measured, beside a measured old plot."""
    species = programme["species"]
    young = PlotFactory(member__community=programme["community"])
    PlantingFactory(plot=young, species=species, trees_planted=950, planted_on=D(2019, 10, 1))
    count(young, species, D(2019, 12, 15), 950)
    rows = by_plot(stock_rows(on_date=END, kind="verified"))
    # Another age class (2019, not 2010): no sample tree of its own stratum, so unmeasured,
    # valued at the project's unmeasured default (0) and never issuable.
    assert rows[young.pk].trees_alive == 950
    assert rows[young.pk].co2e_t == 0
    assert rows[young.pk].unmeasured_trees == 950


def test_finding_2_a_second_planting_is_its_own_cohort(project, programme):
    """450 old trees measured twice; 400 young trees of the same species planted beside them."""
    species = programme["species"]
    plot = PlotFactory(member__community=programme["community"])
    old = PlantingFactory(plot=plot, species=species, trees_planted=500, planted_on=D(2010, 3, 1))
    count(plot, species, D(2018, 6, 1), 450, trees=[(10, 8, None), (12, 9, None)])
    young = PlantingFactory(plot=plot, species=species, trees_planted=400, planted_on=D(2018, 9, 1))
    # 850 counted together; the technician names the planting of the sample trees.
    count(plot, species, D(2019, 12, 1), 850, trees=[(14, 10, old), (16, 11, old)])
    start = by_plot(stock_rows(on_date=START, kind="verified"))[plot.pk]
    end = by_plot(stock_rows(on_date=END, kind="verified"))[plot.pk]
    old_start = 450 * (tree_t(10, 8) + tree_t(12, 9)) / 2
    old_end = 450 * (tree_t(14, 10) + tree_t(16, 11)) / 2
    assert float(start.co2e_t) == pytest.approx(old_start, abs=1e-5)
    # The 400 young trees (youngest first, up to their planting) have no sample: unmeasured.
    assert float(end.co2e_t) == pytest.approx(old_end, abs=1e-5)
    assert end.trees_alive == 850 and end.unmeasured_trees == 400
    assert float(end.co2e_t - start.co2e_t) == pytest.approx(old_end - old_start, abs=1e-5)
    assert young.pk  # the young cohort exists and carries no stock


def open_close(project, start, end, vintage, **deductions):
    period = services.open_period(
        project=project, start_date=start, end_date=end, vintage=vintage, **deductions
    )
    return services.close_period(period=period)


def test_finding_3a_periods_are_contiguous(issued, project, programme):
    plot_a, plot_b = programme["plots"]
    # A fire in 2020, a year no period covers...
    for plot in (plot_a, plot_b):
        count(plot, programme["species"], D(2020, 6, 1), 100)
    with pytest.raises(ValidationError) as error:
        services.open_period(
            project=project, start_date=D(2021, 1, 1), end_date=D(2021, 12, 31), vintage="2021"
        )
    assert "2020-01-01" in str(error.value)


def test_finding_3b_a_loss_beyond_the_buffer_blocks_issuance_until_made_good(
    issued, project, programme
):
    plot_a, plot_b = programme["plots"]
    species = programme["species"]
    assert (issued.issuable_credits, issued.buffer_credits) == (57, 15)
    for plot in (plot_a, plot_b):
        count(plot, species, D(2020, 6, 1), 100)
    fire = open_close(project, D(2020, 1, 1), D(2020, 12, 31), "2020")
    assert fire.issuable_credits == 0 and fire.reversal_cancelled_credits == 15
    assert fire.uncovered_loss_co2e_t > 100
    # Regrowth back to the credited stock.
    count(plot_a, species, D(2021, 6, 1), 780)
    count(plot_b, species, D(2021, 6, 1), 400)
    back = open_close(project, D(2021, 1, 1), D(2021, 12, 31), "2021")
    cumulative = issued.net_removals_co2e_t + fire.net_removals_co2e_t + back.net_removals_co2e_t
    tradable = issued.issuable_credits + fire.issuable_credits + back.issuable_credits
    assert tradable <= math.floor(cumulative * Decimal("0.8"))
    assert back.issuable_credits == 0
    assert back.buffer_credits == 15  # the cancelled buffer is rebuilt first
    assert back.uncovered_loss_co2e_t == 0


def test_finding_3c_a_negative_first_period_is_carried_forward(project, programme):
    first = open_close(project, START, END, "2019", baseline_co2e_t=Decimal("100"))
    assert first.net_removals_co2e_t < 0 and first.issuable_credits == 0
    assert first.uncovered_loss_co2e_t == -first.net_removals_co2e_t
    plot_a, plot_b = programme["plots"]
    species = programme["species"]
    count(plot_a, species, D(2020, 12, 1), 780, trees=[(16, 12, None), (18, 12, None)])
    count(plot_b, species, D(2020, 12, 1), 400)
    second = open_close(project, D(2020, 1, 1), D(2020, 12, 31), "2020")
    cumulative = first.net_removals_co2e_t + second.net_removals_co2e_t
    assert second.cumulative_net_co2e_t == cumulative
    assert second.issuable_credits <= math.floor(cumulative * Decimal("0.8"))
    assert second.issuable_credits == math.floor(cumulative - math.ceil(cumulative * 2 / 10))


def test_finding_3d_field_data_in_a_closed_period_is_locked(issued, programme, manager):
    plot_a, _plot_b = programme["plots"]
    species = programme["species"]
    row = {"species": species, "trees_alive": 700, "trees_dead": 0}
    with pytest.raises(field_services.VisitErrors) as error:
        field_services.record_visit(
            plot=plot_a, visited_on=D(2019, 6, 1), technician="T", counts=[row], measurements=[]
        )
    assert "closed" in str(error.value.visit["visited_on"])
    # Editing a count of a closed period is refused at the model too (admin, imports, API).
    old = plot_a.visits.get(visited_on=D(2019, 12, 15)).survival_counts.get()
    old.trees_alive = 10
    with pytest.raises(ValidationError, match="closed"):
        old.full_clean()
    # A correction goes through a recorded late-data entry, accounted in the next period.
    visit = field_services.record_visit(
        plot=plot_a,
        visited_on=D(2019, 6, 1),
        technician="T",
        counts=[row],
        measurements=[],
        late_reason="Paper form found in the office",
        recorded_by=manager,
    )
    from plantings.models import LateDataEntry

    entry = LateDataEntry.objects.get()
    assert visit.late_entry == entry and entry.accounted_through is None
    assert entry.reason == "Paper form found in the office" and entry.recorded_by == manager


def test_finding_4_seedlings_and_collar_diameters_count_zero(project, programme):
    species = programme["species"]
    plot = PlotFactory(member__community=programme["community"])
    PlantingFactory(plot=plot, species=species, trees_planted=1000, planted_on=D(2010, 3, 1))
    # Under 5 cm DBH, and 6 cm at the collar of a tree shorter than 1.3 m.
    count(plot, species, D(2019, 12, 1), 1000, trees=[(3, 2, None), (6, "1.2", None)])
    row = by_plot(stock_rows(on_date=END, kind="verified"))[plot.pk]
    assert row.trees_alive == 1000 and row.co2e_t == 0


def test_finding_5_gwdd_v2_and_a_bounded_root_shoot_ratio(project):
    caoba = Species.objects.get(scientific_name="Swietenia macrophylla")
    assert caoba.wood_density_g_cm3 == Decimal("0.486") and "v2" in caoba.wood_density_source
    project.root_shoot_ratio = Decimal("2")
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "root_shoot_ratio" in error.value.message_dict


def test_finding_5_root_shoot_ratio_chosen_per_plot_from_agb_per_ha(project, programme):
    species = programme["species"]
    plot = PlotFactory(member__community=programme["community"], area_ha=Decimal("0.50"))
    PlantingFactory(plot=plot, species=species, trees_planted=400, planted_on=D(2010, 3, 1))
    count(plot, species, D(2019, 12, 1), 400, trees=[(30, 20, None)])
    row = by_plot(stock_rows(on_date=END, kind="verified"))[plot.pk]
    agb_kg = 0.0673 * (0.6 * 30 * 30 * 20) ** 0.976
    assert 400 * agb_kg / 1000 / 0.5 > 125  # t/ha: IPCC 2006 Table 4.4 gives R = 0.24
    expected = 400 * agb_kg * 1.24 * 0.47 * 44 / 12 / 1000
    assert float(row.co2e_t) == pytest.approx(expected, abs=1e-5)


def test_finding_6_serials_stored_at_issuance_in_verra_layout(issued, project):
    tradable, buffer = CreditBlock.objects.order_by("serial_start")
    layout = r"^\d+-\d+-\d+-VCS-VCU-\w+-VER-PE-14-0000-01012019-31122019-[01]$"
    assert re.match(layout, tradable.serial) and re.match(layout, buffer.serial)
    assert tradable.serial.split("-")[1:3] == ["1", "57"]
    assert tradable.serial.endswith("-0") and buffer.serial.endswith("-0")  # CCB flag
    assert buffer.is_buffer and not tradable.is_buffer  # the buffer marker is its own field
    before = tradable.serial
    project.registry_project_id = "9999"
    project.save()
    tradable.refresh_from_db()
    assert tradable.serial == before
    services.retire_credits(
        period=issued, quantity=5, beneficiary="B", reason="R", retired_on=D(2024, 1, 1)
    )
    retired = CreditBlock.objects.get(status="retired")
    assert retired.serial.split("-")[1:3] == ["1", "5"] and "-0000-" in retired.serial


def test_finding_7_buffer_rounded_up_and_taken_before_leakage():
    assert credits_from_net(Decimal("10.9"), Decimal("0.2")) == (7, 3)
    # Removals 12 t, leakage 2 t: buffer ceil(12 × 0.2) = 3, tradable floor(10 − 3) = 7.
    assert credits_from_net(Decimal("10"), Decimal("0.2"), leakage_co2e_t=Decimal("2")) == (7, 3)


def test_finding_7_price_to_the_cent_and_pool_never_below_its_share(issued):
    buyer = BuyerFactory()
    with pytest.raises(ValidationError) as error:
        services.sell_credits(
            period=issued, buyer=buyer, quantity=30, unit_price=Decimal("12.345"), sold_on=END
        )
    assert "unit_price" in error.value.message_dict and not Sale.objects.exists()
    sale = services.sell_credits(
        period=issued, buyer=buyer, quantity=30, unit_price=Decimal("12.34"), sold_on=END
    )
    assert sale.revenue == sale.unit_price * 30 == Decimal("370.20")
    tiny = services.sell_credits(
        period=issued, buyer=buyer, quantity=1, unit_price=Decimal("0.07"), sold_on=END
    )
    assert tiny.producers_pool == Decimal("0.05")  # 0.042 rounded up, never below 60 %


def test_finding_7_overlapping_serials_refused_by_the_database(issued, project):
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditBlock.objects.create(
            project=project, period=issued, serial_start=50, serial_end=60, serial_number="x"
        )


def test_late_data_is_accounted_by_the_next_period(issued, project, programme, manager):
    plot_a, _plot_b = programme["plots"]
    row = {"species": programme["species"], "trees_alive": 700, "trees_dead": 0}
    field_services.record_visit(
        plot=plot_a,
        visited_on=D(2019, 6, 1),
        technician="T",
        counts=[row],
        measurements=[],
        late_reason="Found late",
        recorded_by=manager,
    )
    following = open_close(project, D(2020, 1, 1), D(2020, 12, 31), "2020")
    from plantings.models import LateDataEntry

    assert LateDataEntry.objects.get().accounted_through == D(2020, 12, 31)
    assert following.late_entries == 1
    # The next period opens the day after (the form proposes it) and its data is locked next.
    with pytest.raises(field_services.VisitErrors):
        field_services.record_visit(
            plot=plot_a, visited_on=D(2020, 3, 1), technician="T", counts=[row], measurements=[]
        )
