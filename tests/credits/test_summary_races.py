"""Two field writes at the same moment keep the summaries true (PostgreSQL).

Each write refreshes, in its own transaction, the summaries of what it touched: its plot, the
strata (species x planting year) its sample trees pool into, its member. Two technicians' visits
on plots that share a stratum, or on two plots of one member, both rewrite that stratum's or that
member's row. Each thread below waits for the other at the start of those writes, so that, were
nothing to serialize them, both would have read the rows as they were before either wrote: the
second to commit then fails on the row's unique key (a 500 for the technician), or leaves figures
that miss the first one's trees. With the writers serialized, the first one's wait times out
while the second waits for its turn, and both save.

SQLite serializes every write on the whole database, so the race cannot be staged there.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from credits import summaries
from plantings import services
from plantings.models import MonitoringVisit
from tests.credits.test_summaries import rebuilt, snapshot
from tests.factories import MemberFactory, PlantingFactory, PlotFactory, SpeciesFactory

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after the test must not drop the migrations' reference rows.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent connections and row locks of PostgreSQL (set DATABASE_URL)",
    ),
]
MEETING_S = 3  # how long a writer waits for the other before going on alone


def meet_before(monkeypatch, name, barrier):
    """Make both writers wait for each other when they reach credits.summaries.<name>."""
    original = getattr(summaries, name)

    def wait_then_write(*args, **kwargs):
        try:
            barrier.wait(timeout=MEETING_S)
        except threading.BrokenBarrierError:
            pass  # the other writer is held back until this one commits
        return original(*args, **kwargs)

    monkeypatch.setattr(summaries, name, wait_then_write)


def visits_at_once(plots, species):
    """One visit with a sample tree on each plot, each in its own thread and transaction."""
    outcomes = []

    def record(plot, index):
        try:
            services.record_visit(
                plot=plot,
                visited_on=datetime.date(2024, 6, 1 + index),
                technician="Edwin Ríos",
                counts=[{"species": species, "trees_alive": 90, "trees_dead": 10}],
                measurements=[
                    {"species": species, "dbh_cm": Decimal(12 + index), "height_m": Decimal(9)}
                ],
            )
            outcomes.append("saved")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts on
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(p, i)) for i, p in enumerate(plots)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_visits_pooling_into_one_stratum_both_save_and_pool_both_trees(monkeypatch):
    caoba = SpeciesFactory()
    plots = [PlotFactory(member=MemberFactory()) for _ in range(2)]
    for plot in plots:
        PlantingFactory(plot=plot, species=caoba, planted_on=datetime.date(2016, 2, 1))
    meet_before(monkeypatch, "_write_strata", threading.Barrier(2))

    outcomes = visits_at_once(plots, caoba)

    assert outcomes == ["saved", "saved"]
    assert MonitoringVisit.objects.count() == 2
    stored = snapshot()
    assert [(s["planted_year"], s["sample_n"]) for s in stored["strata"]] == [(2016, 2)]
    with transaction.atomic():
        assert stored == rebuilt()


def test_two_visits_on_two_plots_of_one_member_both_count_in_the_member_summary(monkeypatch):
    ana = MemberFactory()
    plots = [PlotFactory(member=ana), PlotFactory(member=ana)]
    bolaina = SpeciesFactory()
    for plot, year in zip(plots, (2014, 2015), strict=True):  # no stratum shared, one member
        PlantingFactory(plot=plot, species=bolaina, planted_on=datetime.date(year, 5, 1))
    meet_before(monkeypatch, "_write_members", threading.Barrier(2))

    outcomes = visits_at_once(plots, bolaina)

    assert outcomes == ["saved", "saved"]
    stored = snapshot()
    [member] = stored["members"]
    assert member["latest_alive"] == 180  # both plots' counts
    with transaction.atomic():
        assert stored == rebuilt()


def test_two_visits_on_one_plot_both_count_in_its_summaries(monkeypatch):
    caoba = SpeciesFactory()
    plot = PlotFactory(member=MemberFactory())
    PlantingFactory(plot=plot, species=caoba, planted_on=datetime.date(2016, 2, 1))
    meet_before(monkeypatch, "_write", threading.Barrier(2))

    outcomes = visits_at_once([plot, plot], caoba)  # two days' sheets typed at once

    assert outcomes == ["saved", "saved"]
    stored = snapshot()
    [species] = stored["species"]
    assert species["latest_visit_on"] == datetime.date(2024, 6, 2)  # the later of the two
    with transaction.atomic():
        assert stored == rebuilt()
