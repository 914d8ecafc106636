"""rebuild_summaries --check: the stored summaries compared with a rebuild, nothing changed."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from credits import summary_check
from credits.models import CohortSummary, MemberSummary, StratumSummary
from tests.credits.test_summaries import field, visit, young_caoba  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_summaries_kept_on_write_pass_the_check(field):  # noqa: F811
    caoba = field["species"][0]
    visit(field["plots"][0], datetime.date(2024, 6, 1), [(caoba, 900)], [(caoba, "14.0", "9.0")])
    out = StringIO()
    call_command("rebuild_summaries", "--check", stdout=out)
    assert "cohorts: 0 rows differ from a rebuild" in out.getvalue()
    assert "Summaries agree with the raw rows" in out.getvalue()


def test_the_check_counts_each_stale_row_once_and_changes_nothing(field):  # noqa: F811
    caoba = field["species"][0]
    tree = [(caoba, "14.0", "9.0")]
    visit(field["plots"][0], datetime.date(2024, 6, 1), [(caoba, 900)], tree, young_caoba(field))
    assert StratumSummary.objects.filter(species=caoba, planted_year=2016).exists()
    ana = field["members"][0]
    # As a lost update between two writers would leave them: one figure moved, one row gone.
    MemberSummary.objects.filter(member=ana).update(trees_alive=1)
    StratumSummary.objects.filter(species=caoba).delete()
    stale_cohort = CohortSummary.objects.filter(plot=field["plots"][2]).get()
    CohortSummary.objects.filter(pk=stale_cohort.pk).update(co2e_t=stale_cohort.co2e_t + 1.0)

    assert summary_check.differences() == {
        "cohorts": 1,
        "plots and species": 0,
        "plots, species and years": 0,
        "strata": 1,
        "members": 1,
    }
    # Nothing was rebuilt: the stale rows are still there for the command to report.
    assert MemberSummary.objects.get(member=ana).trees_alive == 1
    assert not StratumSummary.objects.filter(species=caoba).exists()
    out = StringIO()
    with pytest.raises(CommandError, match="3 summary rows differ"):
        call_command("rebuild_summaries", "--check", stdout=out)
    assert "members: 1 rows differ from a rebuild" in out.getvalue()
