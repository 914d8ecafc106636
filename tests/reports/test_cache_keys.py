"""Cached report rows stay right: per language, per data stamp, grouped rows after new data."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.cache import data_stamp
from tests.factories import (
    MonitoringVisitFactory,
    PlantingFactory,
    SurvivalCountFactory,
    TreeMeasurementFactory,
)

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_cached_rows_with_translated_labels_follow_the_language(manager_client, known):
    """The member report's status column is translated: a cached Spanish row is not served
    to an English reader (the cache key holds the language)."""
    spanish = manager_client.get("/reports/members/", HTTP_ACCEPT_LANGUAGE="es")
    english = manager_client.get("/reports/members/", HTTP_ACCEPT_LANGUAGE="en")
    assert "<td>activo</td>" in spanish.content.decode()
    assert "<td>active</td>" in english.content.decode()
    assert "<td>activo</td>" not in english.content.decode()


def test_cached_carbon_rows_follow_a_new_measuring_visit(manager_client, known):
    """The carbon report caches its grouped rows; a saved visit gives new figures at once."""

    def member_k1_trees():
        response = manager_client.get("/reports/carbon/?format=csv&table=by-member")
        rows = {r["member code"]: r for r in csv_rows(response)}
        return int(rows["K-001"]["trees alive (verified)"]), Decimal(rows["K-001"]["CO2e (t)"])

    trees, co2e_t = member_k1_trees()
    assert trees == 640  # latest count on P1: 400 caoba + 240 bolaina
    assert member_k1_trees() == (trees, co2e_t)  # warm: same figures
    visit = MonitoringVisitFactory(plot=known.p1, visited_on=datetime.date(2014, 6, 1))
    SurvivalCountFactory(visit=visit, species=known.s1, trees_alive=390, trees_dead=10)
    SurvivalCountFactory(visit=visit, species=known.s2, trees_alive=240, trees_dead=0)
    TreeMeasurementFactory(visit=visit, species=known.s1, dbh_cm=Decimal("30"))
    new_trees, new_co2e_t = member_k1_trees()
    assert new_trees == 630
    assert new_co2e_t != co2e_t


def test_stamp_is_one_query_and_changes_with_an_insert(known):
    with CaptureQueriesContext(connection) as queries:
        before = data_stamp()
        assert data_stamp() == before
    assert len(queries) == 2
    MonitoringVisitFactory(plot=known.p2, visited_on=datetime.date(2014, 1, 1))
    assert data_stamp() != before


def test_cached_dashboard_html_follows_a_new_planting_and_the_language(manager_client, known):
    """The dashboard's figures are cached as HTML under the data stamp, day and language."""

    def trees_planted(language="en"):
        html = manager_client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        return re.search(r'data-figure="trees_planted">([^<]+)<', html).group(1)

    assert trees_planted() == "1,400"
    assert trees_planted() == "1,400"  # warm
    assert trees_planted("fr") == "1\xa0400"  # French separator: not the English fragment
    assert trees_planted("es") == "1,400"  # Peru groups as English does (core/formats/es_PE)
    PlantingFactory(
        plot=known.p2, species=known.s1, planted_on=datetime.date(2013, 1, 5), trees_planted=50
    )
    assert trees_planted() == "1,450"
