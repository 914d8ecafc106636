"""The verified stock runs its formula in the database: same numbers as credits/carbon.py."""

import datetime
from decimal import Decimal

import pytest

from credits import carbon
from credits.selectors import stock_rows
from credits.stock import Parameters, measured_tree_co2e_expression
from plantings.models import TreeMeasurement
from tests.credits.conftest import START
from tests.factories import (
    MonitoringVisitFactory,
    SpeciesFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db

SIZES = [("3.0", "2.5"), ("4.9", "4.0"), ("5.0", "4.0"), ("12.5", "9.0"), ("48.7", "27.3")]


@pytest.mark.parametrize("equation", carbon.EQUATIONS)
def test_expression_matches_the_python_formula_per_tree(project, equation):
    project.equation = equation
    params = Parameters.of(project)
    species = SpeciesFactory(wood_density_g_cm3=Decimal("0.450"))
    visit = MonitoringVisitFactory()
    for dbh, height in SIZES:
        TreeMeasurementFactory(visit=visit, species=species, dbh_cm=dbh, height_m=height)
    rows = TreeMeasurement.objects.annotate(co2e_t=measured_tree_co2e_expression(params))
    assert rows.count() == len(SIZES)
    for row in rows:
        expected = carbon.measured_tree_co2e_float(
            dbh_cm=row.dbh_cm,
            height_m=row.height_m,
            wood_density_g_cm3=species.wood_density_g_cm3,
            root_shoot_ratio=params.root_shoot_ratio,
            carbon_fraction=params.carbon_fraction,
            equation=equation,
            small_tree_co2e_t=params.small_tree_co2e_t,
            min_dbh_cm=params.min_dbh_cm,
        )
        assert row.co2e_t == pytest.approx(expected, rel=1e-12)
    small = [r for r in rows if r.dbh_cm < Decimal(params.min_dbh_cm)]
    assert small and all(r.co2e_t == params.small_tree_co2e_t for r in small)


def test_two_visits_on_one_plot_the_later_one_counts_whole(project, programme):
    """Every sample tree of the latest measuring visit is averaged, none of the earlier one."""
    plot_a, _plot_b = programme["plots"]
    species = programme["species"]
    later = MonitoringVisitFactory(plot=plot_a, visited_on=datetime.date(2018, 12, 20))
    SurvivalCountFactory(visit=later, species=species, trees_alive=790, trees_dead=0)
    for dbh in ("20.0", "22.0", "24.0"):
        TreeMeasurementFactory(visit=later, species=species, dbh_cm=dbh, height_m="12.0")
    row = next(r for r in stock_rows(on_date=START, kind="verified") if r.plot_id == plot_a.pk)
    per_tree = [
        carbon.tree_co2e_float(d, 12, 0.6, project.root_shoot_ratio, project.carbon_fraction)
        for d in (20, 22, 24)
    ]
    assert row.trees_alive == 790
    assert float(row.co2e_t) == pytest.approx(790 * sum(per_tree) / 3, abs=1e-6)
