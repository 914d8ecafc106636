"""The stock at past year ends is stored (credits/year_ends.py): the rows equal the stock
computed afresh from the raw rows, after any write; a write that cannot change a year (a visit
of a later year, a member's phone) leaves it stored, and a cache loss reads it back without
reading the field data again."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits import selectors, year_ends
from credits.models import YearEndStamp, YearEndStock
from members.models import Plot
from tests.credits.test_summaries import field, visit  # noqa: F401 (the fixture)
from tests.factories import PlantingFactory

pytestmark = pytest.mark.django_db
D = datetime.date
KINDS = ("verified", "projected")


def stored(year, kind):
    return sorted(
        (row.plot_id, row.species_id, row.trees_alive, Decimal(row.co2e_g).scaleb(-6))
        for row in year_ends.year_end_stock(year, kind)
    )


def fresh(year, kind):
    return sorted(
        (row.plot_id, row.species_id, row.trees_alive, row.co2e_t)
        for row in selectors.stock_rows(on_date=D(year, 12, 31), kind=kind)
    )


def sql_of(captured) -> str:
    return " ".join(q["sql"] for q in captured)


@pytest.fixture
def visited(field):  # noqa: F811
    caoba = field["species"][0]
    visit(field["plots"][0], D(2016, 6, 1), [(caoba, 900)], [(caoba, "12.0", "8.0")] * 3)
    visit(field["plots"][2], D(2019, 6, 1), [(caoba, 450)], [(caoba, "15.0", "9.0")] * 2)
    return field


def test_the_stored_rows_are_the_stock_computed_from_the_raw_rows(visited):
    for year in (2015, 2016, 2019, 2020):
        for kind in KINDS:
            assert stored(year, kind) == fresh(year, kind), (year, kind)
    assert stored(2020, "verified") and stored(2020, "projected")  # not a sum of nothing
    assert YearEndStamp.objects.count() == 8


def test_a_stored_year_is_read_back_without_the_field_data(visited):
    stored(2019, "verified")
    cache.clear()  # a deploy or a cache loss
    with CaptureQueriesContext(connection) as captured:
        stored(2019, "verified")
    assert "plantings_survivalcount" not in sql_of(captured)
    assert "plantings_treemeasurement" not in sql_of(captured)
    assert len(captured) == 3  # the generations, the stamp, the rows


def test_writes_that_cannot_change_a_year_leave_it_stored(visited):
    caoba = visited["species"][0]
    before = {kind: stored(2019, kind) for kind in KINDS}
    stamps = dict(YearEndStamp.objects.values_list("kind", "computed_at"))
    member = visited["members"][0]
    member.phone = "987654321"
    member.save()
    visit(visited["plots"][1], D(2021, 5, 1), [(visited["species"][1], 300)])
    for kind in KINDS:
        assert stored(2019, kind) == before[kind] == fresh(2019, kind)
    assert dict(YearEndStamp.objects.values_list("kind", "computed_at")) == stamps
    # A visit dated in that year changes it.
    visit(visited["plots"][0], D(2019, 9, 1), [(caoba, 800)], [(caoba, "14.0", "9.0")] * 3)
    assert stored(2019, "verified") == fresh(2019, "verified") != before["verified"]


@pytest.mark.parametrize("bulk", [False, True], ids=["save", "queryset update"])
def test_a_plots_new_area_values_its_years_again(visited, bulk):
    before = stored(2019, "verified")
    plot = visited["plots"][2]
    if bulk:
        Plot.objects.filter(pk=plot.pk).update(area_ha=Decimal("0.05"))
    else:
        plot.area_ha = Decimal("0.05")
        plot.save()
    # The root ratio goes by biomass per hectare: a smaller plot, another ratio.
    assert stored(2019, "verified") == fresh(2019, "verified") != before


def test_a_deleted_plot_leaves_its_years(visited):
    stored(2020, "projected")
    plot = visited["plots"][1]
    plot.plantings.all().delete()
    plot.delete()
    assert not YearEndStock.objects.filter(plot_id=plot.pk).exists()
    assert stored(2020, "projected") == fresh(2020, "projected")


def test_this_year_is_not_stored(visited):
    with pytest.raises(ValueError):
        year_ends.year_end_stock(datetime.date.today().year, "verified")


def test_a_late_planting_rewrites_only_the_rows_it_changes(visited):
    caoba = visited["species"][0]
    for kind in KINDS:
        stored(2019, kind)

    def ids(rows):
        return {
            (plot_id, species): pk
            for plot_id, species, pk in rows.values_list("plot_id", "species_id", "pk")
        }

    before = {kind: ids(YearEndStock.objects.filter(year=2019, kind=kind)) for kind in KINDS}
    late = visited["plots"][1]  # bolaina so far: its caoba row is new
    PlantingFactory(plot=late, species=caoba, planted_on=D(2019, 7, 1), trees_planted=40)
    for kind in KINDS:
        assert stored(2019, kind) == fresh(2019, kind), kind
        kept = YearEndStock.objects.filter(year=2019, kind=kind).exclude(plot=late)
        assert ids(kept) == {key: pk for key, pk in before[kind].items() if key[0] != late.pk}
    assert YearEndStock.objects.filter(year=2019, kind="projected", plot=late).count() == 2


def test_the_verified_year_is_valued_from_the_readings_given(visited):
    stored(2019, "verified")
    PlantingFactory(
        plot=visited["plots"][2], species=visited["species"][0], planted_on=D(2019, 8, 1)
    )
    readings = selectors.field_readings(D(2019, 12, 31))  # as the reports keep them cached
    with CaptureQueriesContext(connection) as captured:
        rows = year_ends.year_end_stock(2019, "verified", readings=lambda: readings)
        assert YearEndStamp.objects.get(year=2019, kind="verified").generations  # stored
    assert "plantings_survivalcount" not in sql_of(captured)
    assert "plantings_treemeasurement" not in sql_of(captured)
    assert sorted(
        (r.plot_id, r.species_id, r.trees_alive, Decimal(r.co2e_g).scaleb(-6)) for r in rows
    ) == fresh(2019, "verified")


def test_drawn_years_are_every_past_year_or_five_evenly_spaced():
    assert year_ends.drawn_years(2021, 2026) == [2021, 2022, 2023, 2024, 2025]
    assert year_ends.drawn_years(2026, 2026) == []
    # 2008 to 2025: the first and the last, and three between, whatever the span
    assert year_ends.drawn_years(2008, 2026) == [2008, 2012, 2016, 2021, 2025]
    assert len(year_ends.drawn_years(1990, 2026)) == year_ends.MAX_DRAWN_YEARS


def no_stock_computed(year, kind) -> bool:
    with CaptureQueriesContext(connection) as captured:
        list(year_ends.year_end_stock(year, kind))
    return "plantings_planting" not in sql_of(captured)


@pytest.mark.parametrize("store", ["function", "rebuild_summaries"])
def test_the_drawn_years_are_stored_ahead_of_the_first_reader(visited, store):
    drawn = year_ends.drawn_years(2012, datetime.date.today().year)  # the first planting's year
    if store == "function":
        assert year_ends.store_drawn_years() == drawn
    else:
        call_command("rebuild_summaries", stdout=StringIO())
    assert YearEndStamp.objects.count() == len(drawn) * 2
    for year in drawn:
        for kind in KINDS:
            assert no_stock_computed(year, kind), (year, kind)
            assert stored(year, kind) == fresh(year, kind)


def test_nothing_planted_nothing_stored(db):
    assert year_ends.store_drawn_years() == []
    assert not YearEndStamp.objects.exists()
