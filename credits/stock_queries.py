"""The database side of the stock (credits/stock.py): the latest survival count per plot and
species, and the above-ground biomass of the latest sample trees, summed in the database with the
allometric formula as an expression, so Python sees one row per group, not every tree.

`params` is a credits.stock.Parameters (not imported: stock imports this module)."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, DenseRank, Power, RowNumber

from credits import carbon
from credits.cohorts import Sums
from plantings.models import SurvivalCount, TreeMeasurement

COLLAR_HEIGHT_M = 1.3  # shorter trees are measured at the collar, not at breast height


def _latest_counts(
    on_date: datetime.date, member=None, plot_ids=None
) -> dict[tuple[int, int], tuple]:
    """(trees alive, visit date) per (plot, species) at the latest visit on or before the date
    that counted it.

    The database ranks each plot and species' counts by visit date (then visit id, for two
    visits on one day) and returns the first: one row per plot and species, not every count.
    """
    counts = SurvivalCount.objects.filter(visit__visited_on__lte=on_date)
    if member is not None:
        counts = counts.filter(visit__plot__member=member)
    if plot_ids is not None:
        counts = counts.filter(visit__plot_id__in=plot_ids)
    latest = (
        counts.annotate(rank=_latest_first(plot="visit__plot_id", visit="visit_id"))
        .filter(rank=1)
        .values_list("visit__plot_id", "species_id", "trees_alive", "visit__visited_on")
    )
    return {(plot_id, species_id): (alive, day) for plot_id, species_id, alive, day in latest}


def _latest_first(*, plot: str, visit: str, function=RowNumber) -> Window:
    """1 for the latest visit of each plot and species (by date, then visit id), 2, 3... after."""
    return Window(
        function(),
        partition_by=[F(plot), F("species_id")],
        order_by=[F("visit__visited_on").desc(), F(visit).desc()],
    )


def _equation_agb_kg_expression(equation: str):
    """Above-ground biomass (kg) of a TreeMeasurement row by the allometric equation of
    credits/carbon.py (Chave 2014 or Chave 2005 moist), as a database expression."""
    dbh = Cast("dbh_cm", FloatField())
    product = (
        Cast("species__wood_density_g_cm3", FloatField())
        * dbh
        * dbh
        * Cast("height_m", FloatField())
    )
    if equation == "chave2014":
        return Value(0.0673) * Power(product, Value(0.976))
    if equation == "chave2005_moist":
        return Value(0.0509) * product
    raise ValueError(f"Unknown biomass equation {equation!r}.")


def measured_tree_co2e_expression(params):
    """carbon.measured_tree_co2e_float as a database expression over TreeMeasurement rows.

    The same formula (the functions of credits/carbon.py, tested against hand-worked values),
    in floats, so the database sums sample trees instead of Python converting every row.
    """
    agb_kg = _equation_agb_kg_expression(params.equation)
    per_kg_agb = (1 + params.root_shoot_ratio) * params.carbon_fraction * carbon.CO2_PER_C / 1000
    return Case(
        When(dbh_cm__lt=params.min_dbh_cm, then=Value(params.small_tree_co2e_t)),
        default=agb_kg * Value(per_kg_agb),
        output_field=FloatField(),
    )


def measured_tree_agb_expression(params):
    """Above-ground biomass (kg) of a sample tree as a database expression: the equation of
    credits/carbon.py, or the small-tree value under the smallest DBH or at the collar."""
    agb_kg = _equation_agb_kg_expression(params.equation)
    small = Q(dbh_cm__lt=params.min_dbh_cm) | Q(height_m__lt=COLLAR_HEIGHT_M)
    return Case(
        When(small, then=Value(params.small_tree_agb_kg)),
        default=agb_kg,
        output_field=FloatField(),
    )


def _latest_sample_sums(on_date: datetime.date, params, plot_ids=None):
    """Rows (plot, species, planting or None, visit date, Sums) of the sample trees of the latest
    measuring visit on or before the date per plot, species and planting named. With
    `plot_ids`, those the cohorts of these plots can own: measured on them, and tagged with one
    of their plantings though measured on another plot (a planting moved after its trees were
    tagged keeps them, as in the full computation). Each partition is read whole or not at all."""
    rows = TreeMeasurement.objects.filter(visit__visited_on__lte=on_date)
    if plot_ids is None:
        return _latest_sums_of(rows, params)
    # Two queries: one OR over both keys was ten times slower on PostgreSQL (49 against 4 ms
    # for a plot at full scale), as it scanned every sample tree.
    measured_here = rows.filter(visit__plot_id__in=plot_ids)
    tagged_elsewhere = rows.filter(planting__plot_id__in=plot_ids).exclude(
        visit__plot_id__in=plot_ids
    )
    return _latest_sums_of(measured_here, params) + _latest_sums_of(tagged_elsewhere, params)


def _latest_sums_of(rows, params):
    ranked = rows.annotate(
        rank=Window(
            DenseRank(),
            partition_by=[F("visit__plot_id"), F("species_id"), F("planting_id")],
            order_by=[F("visit__visited_on").desc(), F("visit_id").desc()],
        )
    ).filter(rank=1)
    agb = measured_tree_agb_expression(params)
    latest = (
        TreeMeasurement.objects.filter(pk__in=ranked.values("pk"))
        .values("visit__plot_id", "species_id", "planting_id", "visit__visited_on")
        .annotate(n=Count("id"), agb=Sum(agb), agb2=Sum(agb * agb))
        .order_by()
        .values_list(
            "visit__plot_id", "species_id", "planting_id", "visit__visited_on", "n", "agb", "agb2"
        )
    )
    return [
        (plot_id, species_id, planting_id, day, Sums(n, agb or 0.0, agb2 or 0.0))
        for plot_id, species_id, planting_id, day, n, agb, agb2 in latest
    ]
