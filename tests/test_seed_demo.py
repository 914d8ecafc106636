"""seed_demo at a small scale: counts, invariants, determinism, and the demo accounts."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, OuterRef, Subquery, Sum

from members.models import Member, Plot
from plantings.models import MonitoringVisit, Planting, Programme, SurvivalCount, TreeMeasurement

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
    planted = (
        Planting.objects.filter(
            plot_id=OuterRef("visit__plot_id"),
            species_id=OuterRef("species_id"),
            planted_on__lte=OuterRef("visit__visited_on"),
        )
        .values("plot_id")
        .annotate(total=Sum("trees_planted"))
        .values("total")
    )
    assert (
        SurvivalCount.objects.annotate(planted=Subquery(planted))
        .filter(trees_alive__gt=F("planted"))
        .count()
        == 0
    )
    assert MonitoringVisit.objects.filter(visited_on__gt=UNTIL).count() == 0
    assert TreeMeasurement.objects.filter(dbh_cm__lte=0).count() == 0
    assert Member.objects.filter(search_text="").count() == 0
    # Semi-annual visits: about two a year on every planted plot.
    visits_per_plot = MonitoringVisit.objects.values("plot").annotate(n=Count("id"))
    assert all(row["n"] >= 20 for row in visits_per_plot)


def test_trees_grow_with_age():
    seed()
    early = TreeMeasurement.objects.filter(visit__visited_on__year__lte=2012)
    late = TreeMeasurement.objects.filter(visit__visited_on__year__gte=2024)
    mean = lambda qs: sum(m.dbh_cm for m in qs) / len(qs)  # noqa: E731
    assert mean(late) > mean(early) * 2


def test_same_seed_same_data():
    seed(seed=11)
    first = list(Member.objects.order_by("code").values_list("dni", "last_name"))
    trees = Planting.objects.total_trees()
    SurvivalCount.objects.all().delete()
    TreeMeasurement.objects.all().delete()
    MonitoringVisit.objects.all().delete()
    Planting.objects.all().delete()
    Plot.objects.all().delete()
    Member.objects.all().delete()
    seed(seed=11)
    assert list(Member.objects.order_by("code").values_list("dni", "last_name")) == first
    assert Planting.objects.total_trees() == trees


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
