"""Survival over time keeps its past years cached as of last 31 December
(reports.field.survival_over_time): a visit of this year sums this year's summaries only, a
write dated in a past year sums the past years again, and the rows always equal the ones summed
afresh from every year's summaries."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from plantings.models import Planting, SurvivalCount
from reports import latest
from reports.field import survival_over_time
from reports.filters import ReportFilter
from tests.credits.test_summaries import field, visit  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
D = datetime.date


def fresh(f: ReportFilter) -> list[dict]:
    return [
        {"year": r["year"], "species": r["species__local_name"]}
        | {"alive": r["alive"], "planted": r["planted"]}
        for r in latest.survival_by_year(f, "year", "species__local_name")
    ]


def year_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "credits_plotyearsummary" in q["sql"]]


@pytest.fixture
def visited(field):  # noqa: F811
    plot, other = field["plots"][0], field["plots"][2]
    caoba = field["species"][0]
    visit(plot, D(2016, 6, 1), [(caoba, 900)])
    visit(other, D(2019, 6, 1), [(caoba, 500)])
    cache.clear()
    yield field
    cache.clear()


def test_a_visit_this_year_sums_this_years_rows_only(visited):
    plot, caoba = visited["plots"][0], visited["species"][0]
    today = timezone.localdate()
    f = ReportFilter()
    assert survival_over_time(f) == fresh(f)  # warm
    visit(plot, today, [(caoba, 700)])
    with CaptureQueriesContext(connection) as captured:
        rows = survival_over_time(f)
    assert rows == fresh(f)
    (sql,) = year_queries(captured)  # the past years came from the cache
    assert f"BETWEEN {today.year} AND {today.year}" in sql
    planted = sum(p.trees_planted for p in Planting.objects.filter(plot=plot, species=caoba))
    this_year = {"year": today.year, "species": caoba.local_name, "alive": 700}
    assert this_year | {"planted": planted} in rows


@pytest.mark.parametrize(
    "write",
    [
        lambda f: visit(f["plots"][1], D(2021, 3, 1), [(f["species"][1], 500)]),
        lambda f: Planting.objects.create(
            plot=f["plots"][0], species=f["species"][0], planted_on=D(2015, 1, 5), trees_planted=80
        ),
        lambda f: SurvivalCount.objects.filter(visit__plot=f["plots"][2]).update(trees_alive=550),
    ],
    ids=["late visit", "late planting", "counts updated in bulk"],
)
def test_a_write_dated_in_a_past_year_sums_the_past_years_again(visited, write):
    f = ReportFilter()
    before = survival_over_time(f)
    write(visited)
    with CaptureQueriesContext(connection) as captured:
        rows = survival_over_time(f)
    assert len(year_queries(captured)) == 2  # the past years, then this year
    assert rows == fresh(f) != before


def test_a_filter_or_an_earlier_end_date_gets_its_own_rows(visited):
    community = visited["plots"][2].member.community_id
    for f in (
        ReportFilter(community_id=community),
        ReportFilter(species_id=visited["species"][0].pk),
        ReportFilter(date_to=D(2018, 12, 31)),
    ):
        assert survival_over_time(f) == fresh(f)
    assert [r["year"] for r in survival_over_time(ReportFilter(date_to=D(2018, 12, 31)))] == [2016]
