"""Property tests over random histories: the cumulative cap always holds, no credit is issued
while a loss is uncovered, counts are conserved across cohorts, serials never overlap or change."""

import datetime
import math
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits import services
from credits.models import CarbonProject, CreditBlock
from credits.periods import Ledger, issuance
from credits.stock import stock_at
from plantings.models import Planting, SurvivalCount
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

tonnes = st.decimals(min_value=-800, max_value=800, places=3)
leakages = st.decimals(min_value=0, max_value=40, places=3)
shares = st.decimals(min_value=0, max_value=Decimal("0.5"), places=3)


def cap(cumulative_net: Decimal, share: Decimal) -> int:
    return max(math.floor(cumulative_net * (1 - share)), 0)


@settings(max_examples=400)
@given(history=st.lists(st.tuples(tonnes, leakages), min_size=1, max_size=15), share=shares)
def test_the_cumulative_cap_holds_for_any_sequence_of_periods(history, share):
    ledger = Ledger()
    for gross, leakage in history:
        net = gross - leakage
        result = issuance(ledger, gross=gross, net=net, buffer_share=share)
        assert result.tradable >= 0 and result.buffer >= 0
        assert 0 <= result.reversal_cancel <= ledger.live_buffer
        ledger = Ledger(
            gross_co2e_t=ledger.gross_co2e_t + gross,
            net_co2e_t=ledger.net_co2e_t + net,
            tradable_issued=ledger.tradable_issued + result.tradable,
            buffer_issued=ledger.buffer_issued + result.buffer,
            buffer_cancelled=ledger.buffer_cancelled + result.reversal_cancel,
        )
        if result.tradable:
            # Never a tradable credit beyond floor(cumulative net × (1 − buffer)).
            assert ledger.tradable_issued <= cap(ledger.net_co2e_t, share)
        if result.uncovered_loss_co2e_t > 0:
            # No credit at all while a loss is uncovered.
            assert result.tradable == result.buffer == 0
        else:
            # Every live credit is backed by the cumulative net.
            assert ledger.tradable_issued + ledger.live_buffer <= max(ledger.net_co2e_t, 0)
        assert ledger.live_buffer >= 0


YEARS = list(range(2016, 2022))
histories = st.fixed_dictionaries(
    {
        # (plot index, species index, planting year, trees planted)
        "plantings": st.lists(
            st.tuples(
                st.integers(0, 1),
                st.integers(0, 1),
                st.integers(2010, 2017),
                st.integers(20, 300),
            ),
            min_size=1,
            max_size=4,
        ),
        # per year, per plot and species: share of the planted trees alive (a fire: near 0)
        "survival": st.lists(
            st.lists(st.floats(0, 1), min_size=4, max_size=4), min_size=6, max_size=6
        ),
        # per year: sample trees' DBH (cm), the planting named or not
        "samples": st.lists(
            st.lists(st.tuples(st.floats(2, 40), st.booleans()), max_size=3),
            min_size=6,
            max_size=6,
        ),
    }
)


def build(history):
    plots = [PlotFactory(area_ha=Decimal("5.00")) for _ in range(2)]
    species = [SpeciesFactory(scientific_name=f"Prop species {i}") for i in range(2)]
    plantings = [
        PlantingFactory(
            plot=plots[p],
            species=species[s],
            planted_on=datetime.date(year, 2, 1),
            trees_planted=trees,
        )
        for p, s, year, trees in history["plantings"]
    ]
    for index, year in enumerate(YEARS):
        day = datetime.date(year, 11, 15)
        for p, plot in enumerate(plots):
            visit = None
            for s, sp in enumerate(species):
                cohorts = [c for c in plantings if c.plot == plot and c.species == sp]
                planted = sum(c.trees_planted for c in cohorts if c.planted_on <= day)
                if not planted:
                    continue
                visit = visit or MonitoringVisitFactory(plot=plot, visited_on=day)
                alive = round(planted * history["survival"][index][p * 2 + s])
                SurvivalCountFactory(visit=visit, species=sp, trees_alive=alive, trees_dead=0)
                for dbh, tagged in history["samples"][index]:
                    planting = cohorts[-1] if tagged and cohorts[-1].planted_on <= day else None
                    TreeMeasurementFactory(
                        visit=visit,
                        species=sp,
                        planting=planting,
                        dbh_cm=Decimal(f"{dbh:.1f}"),
                        height_m=Decimal(f"{max(dbh * 0.6, 1.0):.1f}"),
                    )
    return plantings


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=histories, share=shares)
def test_random_field_histories_never_over_issue(history, share):
    sid = transaction.savepoint()
    try:
        project = CarbonProject.current()
        project.buffer_share = share
        project.save()
        build(history)
        serials = {}
        for year in YEARS[1:]:
            period = services.open_period(
                project=project,
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year, 12, 31),
                vintage=str(year),
            )
            period = services.close_period(period=period)
            if period.issuable_credits or period.buffer_credits:
                for block in services.issue_credits(period=period):
                    serials[block.pk] = block.serial
            closed = project.periods.filter(status="closed")
            tradable = sum(p.issuable_credits for p in closed)
            if period.issuable_credits:
                assert tradable <= cap(period.cumulative_net_co2e_t, share)
            if period.uncovered_loss_co2e_t > 0:
                assert period.issuable_credits == period.buffer_credits == 0
            check_counts_conserved(project, period.end_date)
        blocks = list(CreditBlock.objects.order_by("serial_start"))
        for before, after in zip(blocks, blocks[1:], strict=False):
            assert before.serial_end < after.serial_start
        issued = {serial.split("-")[0]: serial.split("-")[3:] for serial in serials.values()}
        for block in blocks:
            # Only the range of a split block moves; every other field is as issued.
            fields = block.serial.split("-")
            assert fields[1:3] == [str(block.serial_start), str(block.serial_end)]
            assert fields[3:] == issued[fields[0]]
    finally:
        transaction.savepoint_rollback(sid)


def check_counts_conserved(project, on_date):
    """Survivors attributed to cohorts add up to the latest count, never above a planting."""
    stock = stock_at(on_date=on_date, project=project)
    planted = dict(Planting.objects.values_list("pk", "trees_planted"))
    by_group: dict[tuple, int] = {}
    for row in stock.cohorts:
        assert 0 <= row.trees_alive <= planted[row.cohort.planting_id]
        key = (row.cohort.plot_id, row.cohort.species_id)
        by_group[key] = by_group.get(key, 0) + row.trees_alive
    latest = {}
    for count in SurvivalCount.objects.filter(visit__visited_on__lte=on_date).order_by(
        "visit__visited_on"
    ):
        latest[(count.visit.plot_id, count.species_id)] = count.trees_alive
    assert by_group == latest
