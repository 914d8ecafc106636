"""Two field writes at the same moment keep the summaries true (PostgreSQL).

Each write refreshes, in its own transaction, the summaries of what it touched: its plot, the
strata (species x planting year) its sample trees pool into, its member. Two technicians' visits
on plots that share a stratum, or on two plots of one member, both rewrite that stratum's or that
member's row. Each thread below waits for the other at the start of those writes, so that, were
nothing to serialize them, both would have read the rows as they were before either wrote: the
second to commit then fails on the row's unique key (a 500 for the technician), or leaves figures
that miss the first one's trees. With the writers serialized, the first one's wait times out
while the second waits for its turn, and both save. Writers that only read a stratum (a
planting, a visit with counts only) share its lock: they do meet.

SQLite serializes every write on the whole database, so the race cannot be staged there.
"""

import datetime
import threading
from decimal import Decimal

from django.db import connection, transaction

from core import changes
from credits import summaries
from credits.models import CohortSummary
from plantings import services
from plantings.models import MonitoringVisit
from tests.credits.test_summaries import rebuilt, snapshot
from tests.factories import MemberFactory, PlantingFactory, PlotFactory, SpeciesFactory
from tests.helpers import RACES_ON_POSTGRESQL

pytestmark = RACES_ON_POSTGRESQL
MEETING_S = 3  # how long a writer waits for the other before going on alone


def meet_before(monkeypatch, name, barrier):
    """Make both writers wait for each other when they reach credits.summaries.<name>; the
    list returned says, for each arrival, whether the other one came (False: it timed out)."""
    original = getattr(summaries, name)
    met = []

    def wait_then_write(*args, **kwargs):
        try:
            barrier.wait(timeout=MEETING_S)
            met.append(True)
        except threading.BrokenBarrierError:
            met.append(False)  # the other writer is held back until this one commits
        return original(*args, **kwargs)

    monkeypatch.setattr(summaries, name, wait_then_write)
    return met


def at_once(*writes):
    """Each write in its own thread and transaction, started together; their outcomes."""
    outcomes = [None] * len(writes)

    def run(index, write):
        try:
            write()
            outcomes[index] = "saved"
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts on
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def visit_with_a_tree(plot, species, index):
    return lambda: services.record_visit(
        plot=plot,
        visited_on=datetime.date(2024, 6, 1 + index),
        technician="Edwin Ríos",
        counts=[{"species": species, "trees_alive": 90, "trees_dead": 10}],
        measurements=[{"species": species, "dbh_cm": Decimal(12 + index), "height_m": Decimal(9)}],
    )


def visits_at_once(plots, species):
    """One visit with a sample tree on each plot, each in its own thread and transaction."""
    return at_once(*(visit_with_a_tree(plot, species, i) for i, plot in enumerate(plots)))


def count_only(plot, species, alive=400):
    return lambda: services.record_visit(
        plot=plot,
        visited_on=datetime.date(2024, 6, 5),
        technician="Edwin Ríos",
        counts=[{"species": species, "trees_alive": alive, "trees_dead": 100}],
        measurements=[],
    )


def planting(plot, species):
    """A planting saved as the planting form saves it: one batch in one transaction."""

    def save():
        with transaction.atomic(), changes.batch():
            PlantingFactory(plot=plot, species=species, planted_on=datetime.date(2016, 3, 1))

    return save


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


def test_a_count_valued_by_a_stratum_that_a_visit_moves_at_once_is_valued_with_the_move(
    monkeypatch,
):
    """The other plot's cohort has no sample trees of its own: it is worth what its stratum's
    trees say. Were its new count valued while a visit's new sample tree moves that stratum,
    one of the two would value it with figures the other had just changed."""
    caoba = SpeciesFactory()
    measured, other = PlotFactory(member=MemberFactory()), PlotFactory(member=MemberFactory())
    for plot in (measured, other):
        PlantingFactory(plot=plot, species=caoba, planted_on=datetime.date(2016, 2, 1))
    meet_before(monkeypatch, "_write_strata", threading.Barrier(2))

    outcomes = at_once(visit_with_a_tree(measured, caoba, 0), count_only(other, caoba))

    assert outcomes == ["saved", "saved"]
    valued = CohortSummary.objects.get(plot=other)
    assert (valued.valued_by, valued.trees_alive) == (CohortSummary.ValuedBy.STRATUM, 400)
    assert valued.co2e_t > 0
    stored = snapshot()
    with transaction.atomic():
        assert stored == rebuilt()


def test_two_plantings_that_only_read_their_stratum_do_not_wait_for_each_other(monkeypatch):
    caoba = SpeciesFactory()
    plots = [PlotFactory(member=MemberFactory()) for _ in range(3)]
    PlantingFactory(plot=plots[0], species=caoba, planted_on=datetime.date(2016, 2, 1))
    visit_with_a_tree(plots[0], caoba, 0)()
    met = meet_before(monkeypatch, "_write_strata", threading.Barrier(2))

    outcomes = at_once(planting(plots[1], caoba), planting(plots[2], caoba))

    assert outcomes == ["saved", "saved"]
    assert met == [True, True]  # both were inside the refresh of the stratum at once
    stored = snapshot()
    assert sorted((c["plot_id"], c["planted_year"]) for c in stored["cohorts"]) == [
        (plot.pk, 2016) for plot in plots
    ]
    with transaction.atomic():
        assert stored == rebuilt()


def test_two_visits_moving_two_strata_of_one_plot_without_trees_value_it_with_both(
    monkeypatch,
):
    """The third plot's two cohorts have no sample trees: each is worth what its stratum's say.
    Each visit moves one of the strata and values that plot again; were they side by side,
    the second to commit would fail on the plot's summary key (seen), or write the plot back
    with the first one's stratum as it was."""
    caoba = SpeciesFactory()
    older, younger, valued = (PlotFactory(member=MemberFactory()) for _ in range(3))
    for plot, year in ((older, 2012), (younger, 2016), (valued, 2012), (valued, 2016)):
        PlantingFactory(plot=plot, species=caoba, planted_on=datetime.date(year, 2, 1))
    count_only(valued, caoba, alive=900)()  # more than one cohort's 500: both have survivors
    meet_before(monkeypatch, "_write", threading.Barrier(2))

    outcomes = at_once(visit_with_a_tree(older, caoba, 0), visit_with_a_tree(younger, caoba, 1))

    assert outcomes == ["saved", "saved"]
    cohorts = CohortSummary.objects.filter(plot=valued)
    assert {c.valued_by for c in cohorts} == {CohortSummary.ValuedBy.STRATUM}
    assert all(c.trees_alive > 0 and c.co2e_t > 0 for c in cohorts)
    stored = snapshot()
    with transaction.atomic():
        assert stored == rebuilt()
