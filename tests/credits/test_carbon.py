"""The equations against numbers worked by hand from the papers' formulas."""

import math
import re
from decimal import Decimal

import pytest

from credits import carbon


def test_chave2014_by_hand():
    # rho D² H = 0.6 × 20² × 15 = 3600; ln 3600 = 8.188689; × 0.976 = 7.992161;
    # e^7.992161 = 2957.68; × 0.0673 = 199.052 kg.
    assert carbon.tree_agb_kg(20, 15, 0.6) == pytest.approx(199.052, abs=0.001)
    assert carbon.tree_agb_kg(20, 15, 0.6, equation="chave2014") == pytest.approx(199.052, abs=1e-3)


def test_chave2005_moist_by_hand():
    # 0.0509 × 0.6 × 20² × 15 = 0.0509 × 3600 = 183.24 kg.
    assert carbon.tree_agb_kg(20, 15, 0.6, equation="chave2005_moist") == pytest.approx(183.24)


def test_tree_co2e_by_hand():
    # AGB 199.052 kg; + BGB (R = 0.20) = 238.862 kg; × CF 0.47 = 112.265 kg C;
    # × 44/12 = 411.64 kg CO2 = 0.411639 t.
    assert carbon.tree_co2e_t(20, 15, 0.6, root_shoot_ratio=0.2) == Decimal("0.411639")
    # 2005 moist: 183.24 × 1.24 × 0.47 × 44/12 / 1000 = 0.391572 t.
    assert carbon.tree_co2e_t(
        20, 15, 0.6, root_shoot_ratio=0.24, carbon_fraction=0.47, equation="chave2005_moist"
    ) == Decimal("0.391572")


def test_growth_curve_by_hand():
    # 60 × (1 − e^(−0.05 × 10)) = 60 × (1 − 0.606531) = 23.6082 cm.
    assert carbon.growth_curve(60, 0.05, 10) == pytest.approx(23.6082, abs=1e-4)
    assert carbon.growth_curve(60, 0.05, 0) == 0


def test_small_trees_carry_the_default_stock():
    common = dict(
        wood_density_g_cm3=0.6,
        root_shoot_ratio=0.2,
        carbon_fraction=0.47,
        equation="chave2014",
        small_tree_co2e_t=0.003,
    )
    assert carbon.measured_tree_co2e_float(dbh_cm=4.9, height_m=4, **common) == 0.003
    assert carbon.measured_tree_co2e_float(dbh_cm=5, height_m=4, **common) > 0.003 * 1.5
    # Age 1: D = 60 (1 − e^−0.05) = 2.93 cm, under 5 cm.
    projected = carbon.projected_tree_co2e_float(
        age_years=1, dbh_max_cm=60, height_max_m=30, rate_per_year=0.05, **common
    )
    assert projected == 0.003
    # Age 10: D = 23.61 cm, H = 11.80 m.
    projected = carbon.projected_tree_co2e_float(
        age_years=10, dbh_max_cm=60, height_max_m=30, rate_per_year=0.05, **common
    )
    d, h = 60 * (1 - math.exp(-0.5)), 30 * (1 - math.exp(-0.5))
    assert projected == pytest.approx(0.0673 * (0.6 * d * d * h) ** 0.976 * 1.2 * 0.47 * 44 / 12e3)


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 10, 0.5), "DBH (cm) must be a positive number"),
        ((-3, 10, 0.5), "DBH (cm) must be a positive number"),
        ((10, 0, 0.5), "height (m) must be a positive number"),
        ((10, 10, -0.5), "wood density (g/cm³) must be a positive number"),
        ((10, float("nan"), 0.5), "height (m) must be a positive number"),
        (("ten", 10, 0.5), "DBH (cm) must be a number"),
    ],
)
def test_bad_sizes_are_refused(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        carbon.tree_agb_kg(*args)


def test_unknown_equation_and_bad_shares_are_refused():
    with pytest.raises(ValueError, match="Unknown biomass equation 'chave2099'"):
        carbon.tree_agb_kg(10, 10, 0.5, equation="chave2099")
    with pytest.raises(ValueError, match="carbon fraction must be in"):
        carbon.tree_co2e_t(10, 10, 0.5, root_shoot_ratio=0.2, carbon_fraction=1.5)
    with pytest.raises(ValueError, match="root-to-shoot ratio must be zero or more"):
        carbon.tree_co2e_t(10, 10, 0.5, root_shoot_ratio=-0.1)
    with pytest.raises(ValueError, match="age must be zero or more"):
        carbon.growth_curve(60, 0.05, -1)
