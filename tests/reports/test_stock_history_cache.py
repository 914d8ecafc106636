"""The stock at a past day is cached under the "since" counters of the years up to it
(core/changes.py): a write dated after the day leaves it cached, any write dated up to it (or
moved away from it, or of unknown date) computes it again, and the cached stock always equals
the stock computed from the raw rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import changes
from credits import selectors
from plantings.models import MonitoringVisit, Planting, SurvivalCount
from reports.credit_reports import projected_groups
from reports.filters import ReportFilter
from reports.stock_figures import StockTotal, stock_point, stock_totals
from reports.tables import tonnes
from tests.credits.test_summaries import field, visit  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
D = datetime.date
DAYS = [D(2014, 12, 31), D(2017, 12, 31), D(2020, 12, 31), D(2023, 12, 31)]


def history_key(day):
    return changes.generations_key(("members", "plantings", "visits"), as_of=day)


def fresh(day, kind):
    return [
        StockTotal._make(getattr(r, name) for name in StockTotal._fields)
        for r in selectors.stock_rows(on_date=day, kind=kind)
    ]


def fresh_groups(day):
    """Projected (trees, tCO2e) per community and species, summed afresh from the stock rows."""
    groups = {"community_id": {}, "species_id": {}}
    for row in selectors.stock_rows(on_date=day, kind="projected"):
        for index, totals in groups.items():
            trees, co2e_t = totals.get(getattr(row, index), (0, Decimal("0")))
            totals[getattr(row, index)] = (trees + row.trees_alive, co2e_t + row.co2e_t)
    return groups


def fresh_point(day, kind, f: ReportFilter):
    return tonnes(sum(r.co2e_t for r in f.stock(selectors.stock_rows(on_date=day, kind=kind))))


def test_the_points_of_carbon_over_time_follow_every_write(field):  # noqa: F811
    """The report's points are cached as figures (reports.stock_figures.stock_point), per
    day and place filter: each equals the stock rows summed afresh after writes of every year,
    today's verified point included (summed from the summaries)."""
    plot, other = field["plots"][0], field["plots"][2]
    caoba = field["species"][0]
    today = timezone.localdate()
    filters = [ReportFilter(), ReportFilter(community_id=plot.member.community_id)]
    filters.append(ReportFilter(species_id=caoba.pk))
    writes = [
        lambda: visit(plot, D(2016, 6, 1), [(caoba, 900)], [(caoba, "12.0", "8.0")] * 3),
        lambda: visit(other, D(2022, 6, 1), [(caoba, 500)], [(caoba, "16.0", "10.0")] * 3),
        lambda: visit(plot, today, [(caoba, 700)]),
        lambda: SurvivalCount.objects.filter(visit__plot=other).update(trees_alive=450),
    ]
    for write in [lambda: None] + writes:
        write()
        for f in filters:
            for day in DAYS + [today]:
                for kind in ("verified", "projected"):
                    assert stock_point(f, day, kind) == fresh_point(day, kind, f), (f, day, kind)
    # Not a sum of nothing: the visits gave the cooperative verified stock on every later day.
    assert stock_point(ReportFilter(), D(2023, 12, 31), "verified") > 0
    assert stock_point(ReportFilter(), today, "verified") > 0


def test_a_write_after_the_day_leaves_its_key_and_one_before_moves_it(field):  # noqa: F811
    plot = field["plots"][0]
    caoba = field["species"][0]
    before = {day: history_key(day) for day in DAYS}
    visit(plot, D(2022, 6, 1), [(caoba, 300)])
    assert history_key(D(2017, 12, 31)) == before[D(2017, 12, 31)]
    assert history_key(D(2020, 12, 31)) == before[D(2020, 12, 31)]
    assert history_key(D(2023, 12, 31)) != before[D(2023, 12, 31)]
    # The undated key moves with every visit, the reason for keys by day.
    assert changes.generations_key(("visits",)) != "visits=0"

    middle = history_key(D(2020, 12, 31))
    Planting.objects.create(plot=plot, species=caoba, planted_on=D(2019, 4, 1), trees_planted=10)
    assert history_key(D(2020, 12, 31)) != middle
    assert history_key(D(2017, 12, 31)) == before[D(2017, 12, 31)]


def test_a_visit_moved_to_a_later_date_moves_the_stock_of_the_days_it_left(field):  # noqa: F811
    plot, caoba = field["plots"][0], field["species"][0]
    moved = visit(plot, D(2015, 6, 1), [(caoba, 400)])
    warm = stock_totals(D(2017, 12, 31), "verified")
    assert [row.trees_alive for row in warm if row.plot_id == plot.pk] == [400]
    moved.visited_on = D(2024, 6, 1)
    moved.save()
    assert [
        row for row in stock_totals(D(2017, 12, 31), "verified") if row.plot_id == plot.pk
    ] == []


def test_a_visit_leaves_the_projected_stock_of_its_year_cached(field):  # noqa: F811
    plot, caoba = field["plots"][0], field["species"][0]
    day = D(2020, 12, 31)
    projected = changes.generations_key(("members", "plantings", "parameters"), as_of=day)
    verified = history_key(day)
    visit(plot, D(2019, 6, 1), [(caoba, 300)])
    assert history_key(day) != verified
    assert changes.generations_key(("members", "plantings", "parameters"), as_of=day) == projected


def test_a_bulk_update_and_a_species_change_recompute_past_days(field):  # noqa: F811
    plot, caoba = field["plots"][0], field["species"][0]
    visit(plot, D(2015, 6, 1), [(caoba, 400)], [(caoba, "14.0", "9.0")] * 3)
    day = D(2017, 12, 31)
    assert sum(r.trees_alive for r in stock_totals(day, "verified")) == 400
    SurvivalCount.objects.filter(visit__plot=plot).update(trees_alive=350)
    assert sum(r.trees_alive for r in stock_totals(day, "verified")) == 350
    co2e = sum(r.co2e_t for r in stock_totals(day, "projected"))
    verified = sum(r.co2e_t for r in stock_totals(day, "verified"))
    caoba.wood_density_g_cm3 = Decimal("0.900")
    caoba.save()
    assert sum(r.co2e_t for r in stock_totals(day, "projected")) > co2e
    assert stock_totals(day, "projected") == fresh(day, "projected")
    # The sample trees' biomass (cached field readings) follows the wood density too.
    assert sum(r.co2e_t for r in stock_totals(day, "verified")) > verified > 0
    assert stock_totals(day, "verified") == fresh(day, "verified")


def test_a_late_planting_recomputes_its_years_stock_without_reading_the_field_data(field):  # noqa: F811
    """A planting dated in a past year computes that year's stock again, but the latest counts
    and sample trees of the day (most of the time) are read from the cache."""
    plot, caoba = field["plots"][0], field["species"][0]
    visit(plot, D(2016, 6, 1), [(caoba, 900)], [(caoba, "12.0", "8.0")] * 3)
    day = D(2017, 12, 31)
    stock_totals(day, "verified")  # warm
    Planting.objects.create(plot=plot, species=caoba, planted_on=D(2016, 1, 5), trees_planted=300)
    with CaptureQueriesContext(connection) as captured:
        after = stock_totals(day, "verified")
    sql = " ".join(q["sql"] for q in captured)
    assert "plantings_planting" in sql  # computed again
    assert "plantings_survivalcount" not in sql and "plantings_treemeasurement" not in sql
    assert after == fresh(day, "verified")
    # A visit of that year reads the field data again.
    visit(plot, D(2017, 6, 1), [(caoba, 800)])
    with CaptureQueriesContext(connection) as captured:
        assert stock_totals(day, "verified") == fresh(day, "verified")
    assert "plantings_survivalcount" in " ".join(q["sql"] for q in captured)


days = st.dates(min_value=D(2013, 1, 1), max_value=D(2025, 12, 31))
step = st.one_of(
    st.tuples(st.just("visit"), st.integers(0, 2), days, st.integers(0, 900), st.integers(0, 3)),
    st.tuples(st.just("plant"), st.integers(0, 2), st.integers(0, 1), days, st.integers(1, 900)),
    st.tuples(st.just("redate_visit"), st.integers(0, 2), days),
    st.tuples(st.just("redate_planting"), st.integers(0, 2), days),
    st.tuples(st.just("update_counts"), st.integers(0, 2), st.integers(0, 900)),
    st.tuples(st.just("delete_visit"), st.integers(0, 2)),
)


def apply(field, action, args):  # noqa: F811
    species, plots = field["species"], field["plots"]
    if action == "visit":
        plot, day, alive, trees = args
        if MonitoringVisit.objects.filter(plot=plots[plot], visited_on=day).exists():
            return
        sp = species[plot % 2]
        try:
            visit(plots[plot], day, [(sp, alive)], [(sp, "14.0", "9.0")] * trees)
        except Exception:  # refused (more alive than planted...): nothing saved
            pass
    elif action == "plant":
        plot, which, day, trees = args
        Planting.objects.create(
            plot=plots[plot], species=species[which], planted_on=day, trees_planted=trees
        )
    elif action in ("redate_visit", "redate_planting"):
        model = MonitoringVisit if action == "redate_visit" else Planting
        row = model.objects.filter(plot=plots[args[0]]).order_by("pk").first()
        if row is not None:
            setattr(row, "visited_on" if model is MonitoringVisit else "planted_on", args[1])
            row.save()
    elif action == "update_counts":
        SurvivalCount.objects.filter(visit__plot=plots[args[0]]).update(trees_alive=args[1])
    elif action == "delete_visit":
        latest = MonitoringVisit.objects.filter(plot=plots[args[0]]).first()
        if latest is not None:
            with changes.batch():
                latest.survival_counts.all().delete()
                latest.measurements.all().delete()
                latest.delete()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(step, min_size=1, max_size=6))
def test_the_cached_stock_of_past_days_equals_the_raw_rows_after_any_history(field, history):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    sid = transaction.savepoint()
    try:
        for day in DAYS:  # warm
            for kind in ("verified", "projected"):
                stock_totals(day, kind)
                stock_point(ReportFilter(), day, kind)
            projected_groups(ReportFilter(), day)
        for action, *args in history:
            apply(field, action, args)
            for day in DAYS:
                for kind in ("verified", "projected"):
                    rows = fresh(day, kind)
                    assert stock_totals(day, kind) == rows, (action, args, day, kind)
                    point = tonnes(sum(r.co2e_t for r in rows))
                    assert stock_point(ReportFilter(), day, kind) == point, (action, args, day)
                assert projected_groups(ReportFilter(), day) == fresh_groups(day), (action, args)
    finally:
        transaction.savepoint_rollback(sid)
        cache.clear()
