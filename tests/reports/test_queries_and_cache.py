"""Query counts do not grow with the data; cached figures follow every saved change."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantings.models import Planting
from reports.dashboard import field_figures
from tests.factories import PlantingFactory, PlotFactory
from tests.reports.conftest import add_more_data

pytestmark = pytest.mark.django_db

URLS = [
    reverse("home"),
    reverse("reports:map_geojson"),
    reverse("reports:chart", args=["survival", "over-time"]),
] + [
    reverse("reports:report", args=[slug])
    for slug in (
        "plantings",
        "survival",
        "visit-list",
        "members",
        "carbon",
        "carbon-over-time",
        "credits",
        "follow-up",
        "payday",
    )
]


# Queries a page runs on a cold cache beyond those of a warm one (session, user, stamp...). A
# report page's filters list the communities and species (2), cached with the page.
# Stock computations (credits.selectors) run a few queries each (verified stock one more since it
# is per cohort, issue 12): the dashboard needs two (today, verified and projected), carbon over
# time eleven (six dates; today's verified point is one sum over the summaries), each given the
# project read once. Carbon over time also stores each past year end it computes (check, lock,
# compute, read the stored rows and write those that differ, and for a verified year its
# cohorts' own sample trees, one more: about 16 queries a year and kind, credits/year_ends.py; 3
# a year once stored, tests/credits/test_year_ends.py). Survival over
# time sums the past years and this year apart (the past years stay cached after a visit of this
# year). Today's projected stock is stored (credits/projected_today.py): the first page that
# reads it on a day, or after a species or parameter change, stores it (about ten queries: the
# dashboard here, it comes first); after that it is one stamp check and a sum or two grouped
# sums. The members, visit list and carbon pages read only the first rows of their member tables
# from the member summaries, and count them (one query more than building the table whole).
# None grows with the data.
PINNED = {
    "/": 35,
    "/reports/follow-up/": 5,
    "/reports/payday/": 4,
    "/reports/map/plots.geojson": 2,
    "/reports/survival/chart/over-time.svg": 4,
    "/reports/plantings/": 6,
    "/reports/survival/": 6,
    "/reports/visit-list/": 4,
    "/reports/members/": 4,
    "/reports/carbon/": 13,
    "/reports/carbon-over-time/": 168,
    "/reports/credits/": 4,
}

# The user's and the groups' permissions: read once, then cached (core.backends).
PERMISSION_QUERIES = 2


def counts(client, url):
    cache.clear()
    result = []
    for _attempt in ("cold", "warm"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result.append(len(queries))
    return result


def test_query_counts_are_the_same_with_more_data(manager_client, known):
    before = {url: counts(manager_client, url) for url in URLS}
    add_more_data(8)
    after = {url: counts(manager_client, url) for url in URLS}
    assert after == before
    # The report's own queries (cold minus warm, less the user's permission sets that a cold
    # cache reads again) are pinned, so a new query shows up here.
    own = {url: cold - warm - PERMISSION_QUERIES for url, (cold, warm) in before.items()}
    assert own == PINNED


def test_cached_figures_follow_inserts_edits_and_deletes(known):
    assert field_figures()["trees_planted"] == 1400
    planting = PlantingFactory(
        plot=known.p2, species=known.s2, planted_on=datetime.date(2013, 1, 5), trees_planted=50
    )
    assert field_figures()["trees_planted"] == 1450  # insert
    planting.trees_planted = 70
    planting.save()
    assert field_figures()["trees_planted"] == 1470  # edit through save(): a history row
    planting.delete()
    assert field_figures()["trees_planted"] == 1400  # delete
    count = known.p1.visits.get(visited_on=datetime.date(2013, 6, 1)).survival_counts.first()
    count.trees_alive -= 10
    count.save()
    assert field_figures()["trees_alive"] == 1090


def test_cached_figures_follow_an_inactive_member_and_a_new_plot(known):
    assert field_figures()["members_active"] == 2
    known.m1.status = "inactive"
    known.m1.save()
    assert field_figures()["members_active"] == 1
    PlotFactory(member=known.m2, land_use="forest")
    assert {r["land_use"] for r in field_figures()["by_land_use"]} >= {"forest"}


def test_bulk_created_rows_change_the_stamp_too(known):
    assert field_figures()["trees_planted"] == 1400
    Planting.objects.bulk_create(
        [
            Planting(
                plot=known.p2,
                species=known.s1,
                planted_on=datetime.date(2013, 2, 1),
                trees_planted=5,
            )
        ]
    )
    assert field_figures()["trees_planted"] == 1405
