"""Monitoring periods: figures per member and in total, frozen at closing; reversals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from credits import services
from credits.models import CreditBlock, CreditEvent, MemberPeriodResult, MonitoringPeriod
from tests.credits.conftest import END, START, VISIT_2
from tests.credits.test_stock import tree_t
from tests.factories import MonitoringVisitFactory, SurvivalCountFactory

pytestmark = pytest.mark.django_db

STOCK_START = 1200 * tree_t(10, 8)  # (800 + 400) trees × the 2018 sample
STOCK_END = 1180 * (tree_t(12, 10) + tree_t(14, 10)) / 2  # (780 + 400) × the 2019 mean


def test_close_freezes_totals_members_and_parameters(period, programme, manager):
    closed = services.close_period(period=period, user=manager)
    assert closed.status == MonitoringPeriod.Status.CLOSED and closed.closed_by == manager
    assert float(closed.stock_start_co2e_t) == pytest.approx(STOCK_START, abs=1e-5)  # 69.1255
    assert float(closed.stock_end_co2e_t) == pytest.approx(STOCK_END, abs=1e-5)  # 141.8149
    assert float(closed.net_removals_co2e_t) == pytest.approx(STOCK_END - STOCK_START, abs=1e-5)
    # net 72.689 t: buffer ceil(72.689 × 0.2) = ceil(14.54) = 15; tradable floor(72.689 − 15) = 57.
    assert (closed.issuable_credits, closed.buffer_credits) == (57, 15)
    assert closed.parameters["buffer_share"] == "0.200"
    results = {r.member_id: r for r in MemberPeriodResult.objects.filter(period=closed)}
    member_a, member_b = (member.pk for member in programme["members"])
    assert set(results) == {member_a, member_b}
    delta_a = 780 * (tree_t(12, 10) + tree_t(14, 10)) / 2 - 800 * tree_t(10, 8)
    assert float(results[member_a].net_co2e_t) == pytest.approx(delta_a, abs=1e-5)
    assert results[member_a].trees_alive_end == 780
    # Credits attributed ∝ net: 57 × 47.658 / 72.689 = 37.3717 (rounded down to 4 places).
    assert float(results[member_a].credits_attributed) == pytest.approx(
        57 * delta_a / (STOCK_END - STOCK_START), abs=1e-4
    )
    total = sum(r.credits_attributed for r in results.values())
    assert Decimal("56.999") <= total <= 57
    assert results[member_b].trees_alive_end == 400
    assert CreditEvent.objects.filter(action="close", period=closed).count() == 1


def test_later_parameter_changes_do_not_rewrite_a_closed_period(period, project):
    closed = services.close_period(period=period)
    project.buffer_share = Decimal("0.500")
    project.save()
    closed.refresh_from_db()
    assert closed.issuable_credits == 57 and closed.parameters["buffer_share"] == "0.200"


def test_baseline_and_leakage_are_deducted(project, programme):
    period = services.open_period(
        project=project,
        start_date=START,
        end_date=END,
        vintage="2019",
        baseline_co2e_t=Decimal("10"),
        leakage_co2e_t=Decimal("2.5"),
    )
    closed = services.close_period(period=period)
    net = STOCK_END - STOCK_START - 12.5  # 60.189 t
    assert float(closed.net_removals_co2e_t) == pytest.approx(net, abs=1e-5)
    # The buffer is taken before leakage: ceil((60.189 + 2.5) × 0.2) = 13; floor(60.189 − 13) = 47.
    assert (closed.issuable_credits, closed.buffer_credits) == (47, 13)
    deductions = MemberPeriodResult.objects.filter(period=closed).values_list(
        "deduction_co2e_t", flat=True
    )
    assert sum(deductions) == pytest.approx(Decimal("12.5"), abs=Decimal("0.00001"))


@pytest.mark.parametrize(
    "start, end, vintage, field",
    [
        (END, START, "x", "end_date"),
        (START, datetime.date(2999, 1, 1), "x", "end_date"),
        (START, END, "", "vintage"),
    ],
)
def test_open_period_refuses_bad_dates(project, start, end, vintage, field):
    with pytest.raises(ValidationError) as error:
        services.open_period(project=project, start_date=start, end_date=end, vintage=vintage)
    assert field in error.value.message_dict
    assert not MonitoringPeriod.objects.exists()


def test_open_period_refuses_overlap_and_close_twice(period, project):
    with pytest.raises(ValidationError, match="overlaps"):
        services.open_period(
            project=project,
            start_date=datetime.date(2019, 6, 1),
            end_date=datetime.date(2020, 5, 31),
            vintage="2020",
        )
    services.close_period(period=period)
    with pytest.raises(ValidationError, match="already closed"):
        services.close_period(period=period)
    assert MonitoringPeriod.objects.count() == 1


def test_a_fall_in_stock_after_issuance_cancels_buffer(issued, project, programme, manager):
    plot_a, plot_b = programme["plots"]
    species = programme["species"]
    # 2020: a fire kills most trees on both plots.
    for plot in (plot_a, plot_b):
        visit = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2020, 11, 1))
        SurvivalCountFactory(visit=visit, species=species, trees_alive=100, trees_dead=300)
    period = services.open_period(
        project=project,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2020, 12, 31),
        vintage="2020",
    )
    closed = services.close_period(period=period, user=manager)
    # Stock falls from 141.81 t to 200 trees × 0.12018 = 24.04 t: a reversal of 117.78 t,
    # more than the 15 buffer credits: all 15 are cancelled and the shortfall noted.
    assert closed.issuable_credits == 0
    assert float(closed.reversal_co2e_t) == pytest.approx(
        STOCK_END - 200 * (tree_t(12, 10) + tree_t(14, 10)) / 2, abs=1e-5
    )
    assert closed.reversal_cancelled_credits == 15
    buffer = CreditBlock.objects.get(is_buffer=True)
    assert buffer.status == "cancelled" and "short by" in buffer.note
    assert CreditEvent.objects.get(action="reversal").quantity == 15
    assert VISIT_2 < closed.start_date
