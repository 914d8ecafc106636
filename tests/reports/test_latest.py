"""Today's survival figures read from the summaries equal those ranked from the raw counts, for
every grouping and filter the reports use (reports/latest.py)."""

import datetime

import pytest

from members.models import Member
from plantings.models import SurvivalCount
from reports import latest
from reports.filters import ReportFilter
from tests.reports.conftest import visit

pytestmark = pytest.mark.django_db

GROUPINGS = [
    ("species__local_name",),
    ("plot__member__community__name",),
    ("plot_id", "plot__code", "plot__member__last_name"),
    ("plot__member_id", "plot__member__code"),
]


def filters(known):
    return [
        ReportFilter(),
        ReportFilter(community_id=known.a.pk),
        ReportFilter(species_id=known.s2.pk),
        ReportFilter(land_use="cacao"),
    ]


def raw_latest(f, fields):
    counts = f.survival(SurvivalCount.objects.all(), dates=False).at_latest_visit()
    raw = [latest._raw_path(field) for field in fields]
    return [
        {field: row[path] for field, path in zip(fields, raw, strict=True)}
        | {name: row[name] for name in latest.FIGURES}
        for row in counts.survival_by(*raw)
    ]


@pytest.mark.parametrize("fields", GROUPINGS)
def test_latest_survival_from_summaries_equals_the_raw_counts(known, fields):
    # A later visit that counts only one species: the other is not at the plot's latest visit.
    visit(known.p1, datetime.date(2014, 6, 1), [(known.s1, 390)])
    for f in filters(known):
        assert latest.survival_by(f, *fields) == raw_latest(f, fields), f
        assert latest.survival_by(f, *fields), f  # not two empty lists


def test_survival_by_year_from_summaries_equals_the_raw_counts(known):
    visit(known.p1, datetime.date(2013, 9, 1), [(known.s1, 395), (known.s2, 230)])
    for f in filters(known):
        raw = SurvivalCount.objects.all()
        expected = [
            {k: row[k] for k in ("year", "species__local_name", "alive", "planted")}
            for row in f.survival(raw)
            .at_last_visit_of_year()
            .survival_by("year", "species__local_name")
        ]
        assert latest.survival_by_year(f, "year", "species__local_name") == expected, f
    # The 2013 row of P1's caoba is its September visit, the year's last.
    rows = latest.survival_by_year(ReportFilter(), "year", "species__local_name")
    assert {"year": 2013, "species__local_name": "Caoba T", "alive": 395, "planted": 500} in rows


def test_totals_from_summaries_equal_the_raw_counts(known):
    raw = SurvivalCount.objects.all().at_latest_visit().survival_totals()
    assert latest.survival_totals(ReportFilter()) == raw == {"alive": 1100, "planted": 1400}


def test_members_report_rows_from_summaries_equal_the_raw_rows(known):
    from reports import member_lists

    visit(known.p1, datetime.date(2014, 6, 1), [(known.s1, 390)])
    members_by_code = Member.objects.order_by("code")
    for community in (None, known.a.pk, known.b.pk):
        f = ReportFilter(community_id=community)
        from_summaries = member_lists._members_rows_from_summaries(f.members(members_by_code))
        # A start date before any planting changes no figure but takes the raw path.
        before_all = datetime.date(1990, 1, 1)
        raw = member_lists.members_rows(ReportFilter(community_id=community, date_from=before_all))
        assert from_summaries == raw
        assert from_summaries
    rows = member_lists._members_rows_from_summaries(members_by_code)
    k1 = next(r for r in rows if r["code"] == "K-001")
    assert (k1["plots"], k1["trees"], k1["alive"], k1["planted"]) == (1, 800, 390, 500)
