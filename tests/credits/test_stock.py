"""Stock of plots at a date, verified and projected, against hand-worked numbers."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits.selectors import StockRow, stock_rows
from tests.credits.conftest import END, START
from tests.factories import (
    CommunityFactory,
    MonitoringVisitFactory,
    PlantingFactory,
    PlotFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db


def tree_t(dbh, height, rho=0.6):
    """Chave 2014 with R = 0.20, CF = 0.47 (the default project), written out."""
    return 0.0673 * (rho * dbh * dbh * height) ** 0.976 * 1.2 * 0.47 * 44 / 12 / 1000


def by_plot(rows):
    return {row.plot_id: row for row in rows}


def test_verified_uses_plot_samples_then_stratum_mean(project, programme):
    plot_a, plot_b = programme["plots"]
    rows = by_plot(stock_rows(on_date=START, kind="verified"))
    # 800 alive × one 10 cm × 8 m sample on A; B has no sample: its stratum's mean (A's).
    assert rows[plot_a.pk].trees_alive == 800
    assert float(rows[plot_a.pk].co2e_t) == pytest.approx(800 * tree_t(10, 8), abs=1e-6)
    assert float(rows[plot_b.pk].co2e_t) == pytest.approx(400 * tree_t(10, 8), abs=1e-6)
    row = rows[plot_a.pk]
    assert isinstance(row, StockRow) and isinstance(row.co2e_t, Decimal)
    assert (row.member_id, row.community_id, row.land_use) == (
        programme["members"][0].pk,
        programme["community"].pk,
        "cacao",
    )


def test_verified_takes_the_latest_visit_on_or_before_the_date(project, programme):
    plot_a, _plot_b = programme["plots"]
    rows = by_plot(stock_rows(on_date=END, kind="verified"))
    expected = 780 * (tree_t(12, 10) + tree_t(14, 10)) / 2
    assert rows[plot_a.pk].trees_alive == 780
    assert float(rows[plot_a.pk].co2e_t) == pytest.approx(expected, abs=1e-6)
    # Before any visit there is nothing verified.
    assert stock_rows(on_date=datetime.date(2018, 1, 1), kind="verified") == []


def test_stratum_mean_pools_every_measured_cohort(project, programme):
    species = programme["species"]
    other = PlotFactory(member__community=programme["community"])
    PlantingFactory(plot=other, species=species, trees_planted=10)
    visit = MonitoringVisitFactory(plot=other, visited_on=datetime.date(2018, 11, 1))
    SurvivalCountFactory(visit=visit, species=species, trees_alive=10, trees_dead=0)
    TreeMeasurementFactory(visit=visit, species=species, dbh_cm=30, height_m=20)
    rows = by_plot(stock_rows(on_date=START, kind="verified"))
    plot_a, plot_b = programme["plots"]
    # A keeps its own sample; B takes the mean of every sample tree of its stratum (species and
    # planting year), wherever it was measured.
    assert float(rows[plot_a.pk].co2e_t) == pytest.approx(800 * tree_t(10, 8), abs=1e-6)
    stratum_mean = (tree_t(10, 8) + tree_t(30, 20)) / 2
    assert float(rows[plot_b.pk].co2e_t) == pytest.approx(400 * stratum_mean, abs=1e-6)


def test_a_cohort_without_samples_in_its_stratum_is_unmeasured(project, programme):
    project.unmeasured_tree_co2e_t = Decimal("0.010000")
    project.save()
    plot = PlotFactory(member__community=CommunityFactory(name="Lejos"))
    planted_on = datetime.date(2012, 3, 1)  # another age class than the measured 2010 trees
    PlantingFactory(
        plot=plot, species=programme["species"], trees_planted=300, planted_on=planted_on
    )
    visit = MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2018, 6, 1))
    SurvivalCountFactory(visit=visit, species=programme["species"], trees_alive=250)
    row = by_plot(stock_rows(on_date=START, kind="verified"))[plot.pk]
    # Its default stock is shown apart and never counts towards credits.
    assert (row.co2e_t, row.unmeasured_trees) == (Decimal("0"), 250)
    assert row.unmeasured_co2e_t == Decimal("2.5")


def test_projected_is_planted_times_survival_times_curve(project, programme):
    plot_a, _ = programme["plots"]
    row = by_plot(stock_rows(on_date=END, kind="projected"))[plot_a.pk]
    age = (END - datetime.date(2010, 3, 1)).days / 365.25
    factor = 1 - 2.718281828459045 ** (-0.05 * age)
    assert row.trees_alive == 800  # 1,000 planted × 0.8 expected survival
    assert float(row.co2e_t) == pytest.approx(800 * tree_t(60 * factor, 30 * factor), abs=1e-5)
    with pytest.raises(ValueError, match="Unknown stock kind"):
        stock_rows(on_date=END, kind="guessed")


def grow(programme, plots: int):
    species = programme["species"]
    for _ in range(plots):
        plot = PlotFactory(member__community=programme["community"])
        PlantingFactory(plot=plot, species=species, trees_planted=100)
        for day in (datetime.date(2018, 6, 1), datetime.date(2019, 6, 1)):
            visit = MonitoringVisitFactory(plot=plot, visited_on=day)
            SurvivalCountFactory(visit=visit, species=species, trees_alive=90)
            TreeMeasurementFactory(visit=visit, species=species)


@pytest.mark.parametrize("kind", ["verified", "projected"])
def test_query_count_does_not_grow_with_the_data(project, programme, kind):
    with CaptureQueriesContext(connection) as small:
        small_rows = stock_rows(on_date=END, kind=kind, project=project)
    grow(programme, plots=15)
    with CaptureQueriesContext(connection) as large:
        large_rows = stock_rows(on_date=END, kind=kind, project=project)
    assert len(large_rows) == len(small_rows) + 15
    assert len(small.captured_queries) == len(large.captured_queries) <= 5
