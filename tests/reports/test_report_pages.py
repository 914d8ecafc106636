"""The members, visit list and carbon pages read only the rows they show of their member tables
(reports.member_lists.member_page): those rows, and their count, are the download's first rows."""

import datetime
from decimal import Decimal

import pytest

from reports import catalogue, member_lists
from reports.filters import ReportFilter
from tests.factories import (
    CommunityFactory,
    MemberFactory,
    PlantingFactory,
    PlotFactory,
    SpeciesFactory,
    TreeMeasurementFactory,
)
from tests.reports.conftest import visit

SHOWN = 3
# report slug -> the slug of its table listing members
MEMBER_TABLES = {"members": "members", "visit-list": "lowest-survival", "carbon": "by-member"}


@pytest.fixture
def members(project):  # noqa: F811 (the carbon project of tests/credits/conftest.py)
    """Members of two communities; some alike to the tree (ties broken by code), two whose
    survival rounds to the same 6.2 % (1 of 16 is 6.25 %, 31 of 500 is 6.2 %)."""
    a, b = CommunityFactory(name="Alto"), CommunityFactory(name="Bajo")
    species = SpeciesFactory(wood_density_g_cm3=Decimal("0.550"))
    # code, community, planted, alive at the visit, dbh of a sample tree (None: no sample)
    spec = [
        ("T-01", a, 500, 400, "12"),
        ("T-02", a, 800, 200, "20"),
        ("T-03", a, 300, 270, "15"),
        ("T-04", b, 900, 450, "9"),
        ("T-05", a, 300, 270, "15"),  # as T-03
        ("T-06", a, 1600, 100, "11"),
        ("T-07", b, 500, 31, "30"),
        ("T-08", a, 400, None, None),  # never counted: not on the visit list
    ]
    made = {}
    for code, community, planted, alive, dbh in spec:
        member = MemberFactory(community=community, code=code)
        plot = PlotFactory(member=member, area_ha=Decimal("1.00"))
        PlantingFactory(
            plot=plot, species=species, planted_on=datetime.date(2015, 2, 1), trees_planted=planted
        )
        if alive is not None:
            v = visit(plot, datetime.date(2020, 5, 4), [(species, alive)])
            TreeMeasurementFactory(
                visit=v, species=species, dbh_cm=Decimal(dbh), height_m=Decimal("9")
            )
        made[code] = plot
    return {"a": a, "b": b, "species": species, "plots": made}


def tables_of(slug: str, f: ReportFilter):
    report = catalogue.get(slug)
    wanted = MEMBER_TABLES[slug]
    (page,) = [t for t in report.page(f) if t.slug == wanted]
    (whole,) = [t for t in report.build(f) if t.slug == wanted]
    return page, whole


@pytest.mark.parametrize("slug", MEMBER_TABLES)
def test_a_page_holds_the_first_rows_of_the_download_and_their_count(slug, members, monkeypatch):
    monkeypatch.setattr(member_lists, "PAGE_ROWS", SHOWN)
    for f in (ReportFilter(), ReportFilter(community_id=members["a"].pk)):
        page, whole = tables_of(slug, f)
        assert len(whole.rows) > SHOWN  # the page is cut
        assert page.rows == whole.rows[:SHOWN]
        assert page.total_rows == page.row_count == len(whole.rows)
        assert page.truncated and page.page_rows == SHOWN
        assert whole.total_rows is None


def test_the_orders_are_the_exact_shares_then_the_code(members):
    _page, whole = tables_of("visit-list", ReportFilter())
    # T-07 (31/500 = 0.062) before T-06 (1/16 = 0.0625), though both round to 6.2 %.
    assert [r["code"] for r in whole.rows] == ["T-07", "T-06", "T-02", "T-04", "T-01"] + [
        "T-03",
        "T-05",
    ]
    assert {r["code"]: r["survival_pct"] for r in whole.rows}["T-06"] == Decimal("6.2")
    _page, whole = tables_of("carbon", ReportFilter())
    stock = [(r["co2e_t"], r["code"]) for r in whole.rows]
    assert stock == sorted(stock, key=lambda pair: (-pair[0], pair[1])) and len(stock) == 7
    tied = [r for r in whole.rows if r["code"] in ("T-03", "T-05")]
    assert [r["code"] for r in tied] == ["T-03", "T-05"] and tied[0]["co2e_t"] > 0
    assert tied[0]["co2e_t"] == tied[1]["co2e_t"]


@pytest.mark.parametrize("slug", MEMBER_TABLES)
def test_filters_the_summaries_do_not_hold_build_the_table_whole(slug, members):
    for f in (
        ReportFilter(species_id=members["species"].pk),
        ReportFilter(date_to=datetime.date(2021, 1, 1)),
    ):
        page, whole = tables_of(slug, f)
        assert page.total_rows is None and page.rows == whole.rows


def test_the_page_follows_a_saved_visit_and_says_how_many_rows_there_are(
    members, manager_client, monkeypatch
):
    monkeypatch.setattr(member_lists, "PAGE_ROWS", SHOWN)
    html = manager_client.get("/reports/visit-list/").content.decode()
    assert "The first 3 of 7 rows are shown" in html
    assert "T-07" in html and "T-06" in html and "T-02" in html and "T-04" not in html
    species = members["species"]
    visit(members["plots"]["T-04"], datetime.date(2021, 3, 1), [(species, 9)])  # 1 % alive
    html = manager_client.get("/reports/visit-list/").content.decode()
    assert "T-04" in html and "T-02" not in html
    csv = manager_client.get("/reports/visit-list/?format=csv").content.decode()
    assert csv.index("T-04") < csv.index("T-07") < csv.index("T-05")
