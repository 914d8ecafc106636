"""seed_demo at a small scale: counts, invariants, determinism, and the demo accounts."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone

from core import changes
from credits import year_ends
from credits.models import (
    CreditEvent,
    MonitoringPeriod,
    Payment,
    PlotSpeciesSummary,
    ProjectedStamp,
    ProjectedStock,
    Retirement,
    Sale,
    YearEndStamp,
    YearEndStock,
)
from members.models import Member, Plot
from plantings.models import (
    MonitoringVisit,
    Planting,
    Programme,
    Species,
    SurvivalCount,
    TreeMeasurement,
)
from plantings.reference_data import SPECIES

pytestmark = pytest.mark.django_db
UNTIL = datetime.date(2026, 6, 30)


def seed(members=30, seed=7):
    out = StringIO()
    call_command("seed_demo", members=members, seed=seed, until=UNTIL, stdout=out)
    return out.getvalue()


def test_counts_and_scale():
    output = seed(members=36)
    assert Member.objects.count() == 36
    plots = Plot.objects.count()
    assert 36 <= plots <= 36 * 3
    trees = Planting.objects.total_trees()
    # 2,000,000 trees for 1,800 members, scaled: 40,000 for 36, within rounding of capacity caps.
    assert 36_000 <= trees <= 40_100
    assert "36 members" in output and "visits" in output


def test_invariants_hold():
    seed()
    programme = Programme.current()
    dates = Planting.objects.aggregate(first=Min("planted_on"), last=Max("planted_on"))
    assert dates["first"] >= programme.started_on and dates["last"].year <= 2013
    over_capacity = (
        Plot.objects.annotate(trees=Sum("plantings__trees_planted"))
        .filter(trees__gt=F("area_ha") * programme.max_trees_per_ha)
        .count()
    )
    assert over_capacity == 0
    # No count finds more trees alive than were planted of its species on its plot by then.
    assert SurvivalCount.objects.with_planted().filter(trees_alive__gt=F("planted")).count() == 0
    assert MonitoringVisit.objects.filter(visited_on__gt=UNTIL).count() == 0
    assert TreeMeasurement.objects.filter(dbh_cm__lte=0).count() == 0
    assert Member.objects.filter(search_text="").count() == 0
    # Semi-annual visits: about two a year on every planted plot.
    visits_per_plot = MonitoringVisit.objects.values("plot").annotate(n=Count("id"))
    assert all(row["n"] >= 20 for row in visits_per_plot)


def test_no_member_has_the_same_given_name_twice():
    call_command(
        "seed_demo", members=150, seed=7, until=UNTIL, without_credits=True, stdout=StringIO()
    )
    for first_name in Member.objects.values_list("first_name", flat=True):
        given = first_name.split()
        assert len(given) == len(set(given)), first_name  # no "Marisol Marisol"


def test_a_deleted_species_catalogue_is_loaded_again():
    Species.objects.all().delete()  # as a flush between transactional tests leaves it
    seed(members=5)
    assert Species.objects.count() == len(SPECIES) and Planting.objects.exists()


def test_trees_grow_with_age():
    seed()
    early = TreeMeasurement.objects.filter(visit__visited_on__year__lte=2012)
    late = TreeMeasurement.objects.filter(visit__visited_on__year__gte=2024)
    mean = lambda qs: sum(m.dbh_cm for m in qs) / len(qs)  # noqa: E731
    assert mean(late) > mean(early) * 2


class Rollback(Exception):
    pass


def snapshot():
    return {
        "members": list(Member.objects.order_by("code").values_list("dni", "last_name")),
        "trees": Planting.objects.total_trees(),
        "sales": list(
            Sale.objects.order_by("sold_on", "pk").values_list(
                "sold_on", "buyer__name", "quantity", "unit_price"
            )
        ),
        "payments": list(
            Payment.objects.order_by("paid_on", "member__code").values_list(
                "paid_on", "member__code", "amount", "method"
            )
        ),
    }


def test_same_seed_same_data():
    with pytest.raises(Rollback), transaction.atomic():
        seed(seed=11)
        first = snapshot()
        raise Rollback
    assert not Member.objects.exists()
    seed(seed=11)
    assert snapshot() == first
    assert first["sales"] and first["payments"]


def test_credit_history_follows_the_field_data_and_the_rules():
    output = seed(members=30)
    assert "credits: 4 periods" in output
    periods = list(MonitoringPeriod.objects.order_by("start_date"))
    assert [p.vintage for p in periods] == ["2008-2011", "2012-2015", "2016-2019", "2020-2023"]
    assert all(p.is_closed and p.end_date < UNTIL for p in periods)
    for period in periods:
        issued = period.blocks.aggregate(n=Sum(F("serial_end") - F("serial_start") + 1))["n"] or 0
        assert issued == period.issuable_credits + period.buffer_credits
        sold = period.sales.aggregate(n=Sum("quantity"))["n"] or 0
        assert sold <= period.issuable_credits
    for sale in Sale.objects.all():
        assert sale.sold_on <= UNTIL and sale.distributed_at is not None
        assert sum(s.amount for s in sale.shares.all()) == sale.producers_pool
    # Every payment settles exactly the shares it carries; the latest sale is still owed.
    for payment in Payment.objects.prefetch_related("shares"):
        assert payment.amount == sum(s.amount for s in payment.shares.all())
        assert payment.paid_on <= UNTIL
    latest = Sale.objects.order_by("-sold_on").first()
    assert latest.sold_on.year == UNTIL.year
    assert latest.shares.filter(payment=None, amount__gt=0).exists()
    assert Payment.objects.exists() and Retirement.objects.exists()
    assert CreditEvent.objects.filter(action="pay").count() == Payment.objects.count()


def test_the_year_ends_of_carbon_over_time_are_stored_with_the_data():
    output = seed(members=12)
    first = Planting.objects.earliest("planted_on").planted_on.year
    drawn = year_ends.drawn_years(first, datetime.date.today().year)
    assert f"year ends stored: {', '.join(map(str, drawn))}" in output
    stamps = {(stamp.year, stamp.kind): stamp.generations for stamp in YearEndStamp.objects.all()}
    assert set(stamps) == {(year, kind) for year in drawn for kind in YearEndStock.Kind}
    for year, kind in stamps:  # stored as of every write of the load: nothing to compute again
        key = changes.generations_key(year_ends.TOPICS[kind], as_of=datetime.date(year, 12, 31))
        assert stamps[year, kind] == key
    assert YearEndStock.objects.filter(year=drawn[-1], kind="verified").exists()
    # and today's projection (credits/projected_today.py)
    assert ProjectedStamp.objects.get().day == timezone.localdate()
    assert (
        ProjectedStock.objects.count()
        == PlotSpeciesSummary.objects.filter(trees_planted__gt=0).count()
    )


def test_without_credits_loads_the_field_data_only():
    out = StringIO()
    call_command("seed_demo", members=5, seed=3, until=UNTIL, without_credits=True, stdout=out)
    assert Member.objects.count() == 5
    assert not MonitoringPeriod.objects.exists() and not Sale.objects.exists()
    assert "credits:" not in out.getvalue()


def test_refuses_a_database_with_members_unless_if_empty():
    seed(members=3)
    with pytest.raises(CommandError):
        seed(members=3)
    out = StringIO()
    call_command("seed_demo", if_empty=True, stdout=out)
    assert "nothing loaded" in out.getvalue()
    assert Member.objects.count() == 3


def test_demo_accounts(monkeypatch, rf):
    monkeypatch.setenv("DEMO_PASSWORD", "río-claro-2026")
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    for username, group in (("staff", "Staff"), ("manager", "Manager"), ("admin", "Admin")):
        # django-axes needs the request a login comes with (it keys lockouts on its address).
        user = authenticate(rf.post("/"), username=username, password="río-claro-2026")
        assert user is not None and user.groups.get().name == group
    assert authenticate(rf.post("/"), username="admin", password="río-claro-2026").is_superuser
    assert "río-claro-2026" in out.getvalue()


def test_most_plots_get_a_valid_boundary_and_the_problems_page_has_something():
    from demo.boundaries import check_demo_boundaries
    from members.models import Community, PlotOverlap

    seed(members=120)
    plots = Plot.objects.count()
    with_boundary = Plot.objects.exclude(boundary_area_ha=None).count()
    assert with_boundary >= 0.7 * plots
    assert check_demo_boundaries() == 0
    assert Plot.objects.filter(area_ha__gt=4).exclude(boundary_area_ha=None).exists()
    assert Plot.objects.filter(area_ha__gt=4, boundary_area_ha=None).exists()  # needs a polygon
    assert 1 <= PlotOverlap.objects.count() <= 12
    assert not Community.objects.filter(ubigeo="").exists()
    # Most communities are ready for the EUDR export.
    blocked = Plot.objects.blocking_eudr_export().values("member__community").distinct().count()
    assert blocked <= 3 < Community.objects.count()
