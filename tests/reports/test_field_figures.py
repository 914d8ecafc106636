"""Field report figures against the counts made by hand in conftest.py (not the same queries)."""

import datetime
from decimal import Decimal

import pytest

from reports import field, member_lists
from reports.dashboard import field_figures
from reports.filters import ReportFilter

pytestmark = pytest.mark.django_db
D = datetime.date


def rows_by(table, key):
    return {row[key]: row for row in table.rows}


def tables(report):
    return {t.slug: t for t in report}


def test_plantings_by_year_species_and_community(known):
    report = tables(field.plantings_report(ReportFilter()))
    by_year = [
        (r["year"], r["plantings"], r["trees"], r["cumulative"]) for r in report["by-year"].rows
    ]
    assert by_year == [(2010, 2, 900, 900), (2011, 1, 200, 1100), (2012, 1, 300, 1400)]
    assert report["by-year"].rows[-1]["target"] == 2_000_000
    assert report["by-year"].rows[-1]["target_pct"] == Decimal("0.1")  # 1,400 of 2,000,000
    species = rows_by(report["by-species"], "species")
    assert species["Caoba T"]["trees"] == 700 and species["Bolaina T"]["trees"] == 700
    assert species["Caoba T"]["share_pct"] == Decimal("50.0")
    community = rows_by(report["by-community"], "community")
    assert community["Pachiza Test"]["trees"] == 1000
    assert community["Huicungo Test"]["trees"] == 400


@pytest.mark.parametrize(
    "kwargs, expected_total",
    [
        ({}, 1400),
        ({"community_id": "a"}, 1000),
        ({"species_id": "s2"}, 700),
        ({"land_use": "cacao"}, 1200),
        ({"date_from": D(2011, 1, 1), "date_to": D(2012, 12, 31)}, 500),
        ({"land_use": "purma", "species_id": "s2"}, 0),
    ],
)
def test_filters_change_the_plantings(known, kwargs, expected_total):
    kwargs = {k: getattr(known, v).pk if k.endswith("_id") else v for k, v in kwargs.items()}
    report = tables(field.plantings_report(ReportFilter(**kwargs)))
    assert sum(r["trees"] for r in report["by-species"].rows) == expected_total
    assert sum(r["trees"] for r in report["by-year"].rows) == expected_total


def test_survival_at_latest_visits_by_species_and_community(known):
    report = tables(field.survival_report(ReportFilter()))
    species = rows_by(report["by-species"], "species")
    assert (species["Caoba T"]["alive"], species["Caoba T"]["planted"]) == (500, 700)
    assert species["Caoba T"]["survival_pct"] == Decimal("71.4")
    assert (species["Bolaina T"]["alive"], species["Bolaina T"]["planted"]) == (600, 700)
    community = rows_by(report["by-community"], "community")
    assert (community["Pachiza Test"]["alive"], community["Pachiza Test"]["planted"]) == (740, 1000)
    assert community["Huicungo Test"]["survival_pct"] == Decimal("90.0")
    assert community["Huicungo Test"]["last_visit"] == D(2011, 10, 1)


def test_survival_over_time_uses_each_plots_last_visit_of_the_year(known):
    report = tables(field.survival_report(ReportFilter()))
    seen = {(r["year"], r["species"]): (r["alive"], r["planted"]) for r in report["over-time"].rows}
    assert seen == {
        (2011, "Caoba T"): (450, 500),
        (2011, "Bolaina T"): (360, 400),  # P4's October visit, not April's 380
        (2012, "Caoba T"): (100, 200),
        (2013, "Caoba T"): (400, 500),
        (2013, "Bolaina T"): (240, 300),
    }


def test_survival_as_of_an_end_date(known):
    report = tables(field.survival_report(ReportFilter(date_to=D(2012, 12, 31))))
    rows = report["by-community"].rows
    assert sum(r["alive"] for r in rows) == 450 + 100 + 360
    assert sum(r["planted"] for r in rows) == 500 + 200 + 400  # S2 on P1 was not yet visited


def test_visit_list_puts_the_lowest_survival_first(known):
    rows = member_lists.visit_list_report(ReportFilter())[0].rows
    assert [(r["code"], r["survival_pct"]) for r in rows] == [
        ("K-002", Decimal("50.0")),
        ("K-001", Decimal("80.0")),
        ("K-003", Decimal("90.0")),
    ]
    only_a = member_lists.visit_list_report(ReportFilter(community_id=known.a.pk))[0].rows
    assert [r["code"] for r in only_a] == ["K-002", "K-001"]


def test_members_report_totals(known):
    rows = {r["code"]: r for r in member_lists.members_report(ReportFilter())[0].rows}
    assert rows["K-003"]["plots"] == 2 and rows["K-003"]["area_ha"] == Decimal("1.50")
    assert rows["K-001"]["trees"] == 800 and rows["K-001"]["alive"] == 640
    assert rows["K-002"]["survival_pct"] == Decimal("50.0")


def test_dashboard_field_figures(known):
    figures = field_figures()
    assert figures["members_active"] == 2 and figures["members_total"] == 3
    by_use = {r["land_use"]: (r["plots"], r["area_ha"]) for r in figures["by_land_use"]}
    assert by_use == {
        "cacao": (2, Decimal("3.00")),
        "purma": (1, Decimal("1.50")),
        "sugarcane": (1, Decimal("0.50")),
    }
    assert figures["trees_planted"] == 1400
    assert figures["trees_alive"] == 1100
    assert figures["survival_pct"] == Decimal("78.6")
