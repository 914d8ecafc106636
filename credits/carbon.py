"""The carbon model: pure functions from tree size to tonnes of CO2 equivalent.

Units: D = diameter at breast height (1.3 m) in cm, H = height in m, rho = wood density in g/cm³.

- Chave et al. 2014, Glob. Change Biol. 20:3177-3190, eq. 4 (pantropical, with height):
  AGB_kg = 0.0673 × (rho · D² · H) ^ 0.976
- Chave et al. 2005, Oecologia 145:87-99, moist forest stands with height:
  AGB_kg = 0.0509 × rho · D² · H
- Below-ground biomass: BGB = R × AGB, R the root-to-shoot ratio (IPCC 2006 GL vol. 4 table 4.4).
- Tree stock: tCO2e = (AGB + BGB) × CF × 44/12 / 1000, CF the carbon fraction (IPCC 2006: 0.47).
- Ex-ante growth (stated assumption per species, see plantings.reference_data): a monomolecular
  curve D(t) = Dmax (1 − e^(−k t)), H(t) = Hmax (1 − e^(−k t)), t the age in years.

Floats inside the formulas; results that are stored or summed as tonnes are Decimals, quantized.
The equations are valid for D ≥ 5 cm: smaller trees are counted, not measured, and carry the
project's default stock (`CarbonProject.small_tree_co2e_t`).
"""

import math
from decimal import Decimal

CO2_PER_C = 44 / 12
EQUATIONS = ("chave2014", "chave2005_moist")
# Tonnes are kept to the gram: enough to sum two million trees without losing a tonne.
TONNES = Decimal("0.000001")


def _positive(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}.") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive number, not {value!r}.")
    return number


def tree_agb_kg(dbh_cm, height_m, wood_density_g_cm3, equation: str = "chave2014") -> float:
    """Above-ground biomass of one tree in kg, by the named allometric equation.

    chave2014: 0.0673 × (rho D² H)^0.976; chave2005_moist: 0.0509 × rho D² H.
    Raises ValueError on a non-positive size or density, or an unknown equation.
    """
    dbh = _positive("DBH (cm)", dbh_cm)
    height = _positive("height (m)", height_m)
    rho = _positive("wood density (g/cm³)", wood_density_g_cm3)
    product = rho * dbh * dbh * height
    if equation == "chave2014":
        return 0.0673 * product**0.976
    if equation == "chave2005_moist":
        return 0.0509 * product
    raise ValueError(f"Unknown biomass equation {equation!r}; use one of {', '.join(EQUATIONS)}.")


def _check_shares(root_shoot_ratio, carbon_fraction) -> tuple[float, float]:
    try:
        ratio, fraction = float(root_shoot_ratio), float(carbon_fraction)
    except (TypeError, ValueError):
        raise ValueError("The root-to-shoot ratio and carbon fraction must be numbers.") from None
    if not math.isfinite(ratio) or ratio < 0:
        raise ValueError(f"The root-to-shoot ratio must be zero or more, not {root_shoot_ratio!r}.")
    if not math.isfinite(fraction) or not 0 < fraction <= 1:
        raise ValueError(f"The carbon fraction must be in (0, 1], not {carbon_fraction!r}.")
    return ratio, fraction


def tree_co2e_float(
    dbh_cm,
    height_m,
    wood_density_g_cm3,
    root_shoot_ratio,
    carbon_fraction=0.47,
    equation="chave2014",
) -> float:
    """tree_co2e_t as a float, for loops that sum many trees before quantizing once."""
    ratio, fraction = _check_shares(root_shoot_ratio, carbon_fraction)
    agb = tree_agb_kg(dbh_cm, height_m, wood_density_g_cm3, equation)
    return agb * (1 + ratio) * fraction * CO2_PER_C / 1000


def tree_co2e_t(
    dbh_cm,
    height_m,
    wood_density_g_cm3,
    root_shoot_ratio,
    carbon_fraction=0.47,
    equation: str = "chave2014",
) -> Decimal:
    """Tonnes CO2e held by one tree above and below ground: (AGB + R·AGB) × CF × 44/12 / 1000."""
    return Decimal(
        repr(
            tree_co2e_float(
                dbh_cm, height_m, wood_density_g_cm3, root_shoot_ratio, carbon_fraction, equation
            )
        )
    ).quantize(TONNES)


def growth_curve(size_max, rate_per_year, age_years) -> float:
    """Monomolecular growth: size(t) = size_max × (1 − e^(−k t)); 0 at planting (t = 0)."""
    size = _positive("asymptotic size", size_max)
    rate = _positive("growth rate (1/year)", rate_per_year)
    age = float(age_years)
    if not math.isfinite(age) or age < 0:
        raise ValueError(f"The age must be zero or more years, not {age_years!r}.")
    return size * (1 - math.exp(-rate * age))


def projected_tree_co2e_float(
    *, age_years, dbh_max_cm, height_max_m, rate_per_year, **tree_parameters
) -> float:
    """Expected stock of one living tree at an age, from its species' growth curve: the stock
    of a tree measured at the projected DBH and height (`tree_parameters` are the other
    arguments of measured_tree_co2e_float), so a small projected tree counts the same."""
    return measured_tree_co2e_float(
        dbh_cm=growth_curve(dbh_max_cm, rate_per_year, age_years),
        height_m=growth_curve(height_max_m, rate_per_year, age_years),
        **tree_parameters,
    )


def measured_tree_co2e_float(
    *,
    dbh_cm,
    height_m,
    wood_density_g_cm3,
    root_shoot_ratio,
    carbon_fraction,
    equation,
    small_tree_co2e_t,
    min_dbh_cm=5,
) -> float:
    """Stock of one measured sample tree; under `min_dbh_cm` it carries the small-tree default."""
    if float(dbh_cm) < float(min_dbh_cm):
        return float(small_tree_co2e_t)
    return tree_co2e_float(
        dbh_cm, height_m, wood_density_g_cm3, root_shoot_ratio, carbon_fraction, equation
    )


def to_tonnes(value: float) -> Decimal:
    """A float sum of tonnes as a Decimal to the gram."""
    return Decimal(repr(value)).quantize(TONNES)
