"""Keeping the summaries (credits/models/summaries.py) true on every write.

A write touches keys (core/changes.py): plots, visits, plantings, members, or everything. At the
end of its batch, still inside its transaction, `refresh()` recomputes what those keys decide:
1. the touched plots' counts, cohorts and own sample trees, with the functions the stock itself
   uses (credits/stock.py), filtered to those plots;
2. the strata (species × planting year), pooled from every cohort's own sample trees: the
   touched plots' new sums and the others' stored ones, in planting order;
3. the stock of every cohort of the touched plots and of every plot holding a cohort of a stratum
   whose figures moved without sample trees of its own (a stratum-valued cohort elsewhere is
   worth what its stratum is; one valued by its own trees is not moved by them);
4. the summaries of the members of those plots.
`rebuild()` is step 1 to 4 for every plot; a test proves both give the same rows after random
histories. A change of the carbon parameters (the project's equation, ratio...) or of a
species' wood density revalues everything.
Two writers at once (two technicians' visits on plots of one stratum or one member) would each
read the shared rows before the other wrote them: each refresh locks the plots, strata and
members it recomputes, in that order, until COMMIT (core/locks.py), and `rebuild()` locks all.
A stratum the touched plots' own sample trees leave as it was is only read: its lock is shared;
a refresh that values other writers' plots again (for a stratum it moved) takes turns too.
"""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from core import changes, locks
from credits.models import CarbonProject
from credits.models.summaries import (
    CohortSummary,
    MemberSummary,
)
from credits.stock import (
    Parameters,
    strata_of,
)
from credits.summary_rows import (
    _level_one,
    _pool,
    _stored_cohorts,
    _stored_level_one,
    _stored_pools,
    _write,
    _write_members,
    _write_strata,
)
from members.models import Member, Plot
from plantings.models import MonitoringVisit, Planting, Species, SurvivalCount, TreeMeasurement

# --- what a write touches -------------------------------------------------------------------

# model -> (key name, attribute holding it)
KEYS = {
    Planting: ("plot", "plot_id"),
    MonitoringVisit: ("plot", "plot_id"),
    SurvivalCount: ("visit", "visit_id"),
    TreeMeasurement: ("visit", "visit_id"),
    Plot: ("plot", "pk"),
    Member: ("member", "pk"),
}
# For bulk writes: the plot of each row, read in the database.
PLOT_PATH = {
    Planting: "plot_id",
    MonitoringVisit: "plot_id",
    SurvivalCount: "visit__plot_id",
    TreeMeasurement: "visit__plot_id",
    Plot: "pk",
}
# What a row can move away from (an edit that moves a planting to another plot touches both).
MOVABLE = {Planting: "plot_id", MonitoringVisit: "plot_id", SurvivalCount: "visit_id"}
MOVABLE |= {TreeMeasurement: "visit_id", Plot: "member_id"}


# The date of a dated row: a stock at a day reads only rows dated up to it (core/changes.py).
DATE_PATH = {
    Planting: "planted_on",
    MonitoringVisit: "visited_on",
    SurvivalCount: "visit__visited_on",
    TreeMeasurement: "visit__visited_on",
}


def _date_of(sender, instance):
    """The row's date as written; ALL when it cannot be told (no visit to read it from)."""
    if sender in (Planting, MonitoringVisit):
        day = getattr(instance, DATE_PATH[sender])
    elif sender.visit.is_cached(instance):
        day = instance.visit.visited_on
    else:
        day = (
            MonitoringVisit._base_manager.filter(pk=instance.visit_id)
            .values_list("visited_on", flat=True)
            .first()
        )
    return day if isinstance(day, datetime.date) else changes.ALL


def _written(sender, instance, **kwargs):
    name, attribute = KEYS[sender]
    since = _date_of(sender, instance) if sender in DATE_PATH else None
    changes.touch(
        since=since, dated_topic=changes.topic_of(sender), **{name: getattr(instance, attribute)}
    )
    if sender is Plot:
        changes.touch(member=instance.member_id)


def _moving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    attribute = MOVABLE[sender]
    paths = (attribute, DATE_PATH[sender]) if sender in DATE_PATH else (attribute, attribute)
    old, old_day = sender._base_manager.filter(pk=instance.pk).values_list(*paths).first() or (
        None,
        None,
    )
    name = "member" if sender is Plot else KEYS[sender][0]
    moved = old is not None and old != getattr(instance, attribute)
    if sender in DATE_PATH and old_day is not None:
        # Where the row was in time: an edit of its date moves the stock from the older day.
        # Its place goes with it, moved or not: a flush between this pre_save and the post_save
        # (the history row's own save) must hand the refreshers the old day with its plot.
        changes.touch(
            later=True, since=old_day, dated_topic=changes.topic_of(sender), **{name: old}
        )
    elif moved:
        changes.touch(later=True, **{name: old})


def _revalue_all(sender, **kwargs):
    changes.touch(all=changes.ALL)


def _bulk_written(sender, pks, **kwargs):
    if sender in (Species, CarbonProject) or len(pks) > changes.BULK_LIMIT:
        changes.touch(all=changes.ALL)
    elif sender is Member:
        changes.touch(member=pks)
    elif sender in PLOT_PATH:
        rows = sender._base_manager.filter(pk__in=pks)
        since = None
        if sender in DATE_PATH:
            since = rows.aggregate(day=Min(DATE_PATH[sender]))["day"] or changes.ALL
        changes.touch(
            since=since,
            dated_topic=changes.topic_of(sender),
            plot=set(rows.values_list(PLOT_PATH[sender], flat=True)),
        )
        if sender is Plot:
            changes.touch(member=set(rows.values_list("member_id", flat=True)))


def connect() -> None:
    """Called from CreditsConfig.ready()."""
    for model in KEYS:
        uid = f"summaries-{model._meta.label}"
        post_save.connect(_written, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_written, sender=model, dispatch_uid=uid + "-delete")
        if model in MOVABLE:
            pre_save.connect(_moving, sender=model, dispatch_uid=uid + "-move")
    for model in (Species, CarbonProject):
        post_save.connect(_revalue_all, sender=model, dispatch_uid=f"summaries-{model}-all")
    changes.rows_changed.connect(_bulk_written, dispatch_uid="summaries-bulk")
    changes.register_refresher(refresh_touched)


def refresh_touched(keys: dict[str, set]) -> None:
    if changes.ALL in keys:
        rebuild()
        return
    refresh(plot_ids=touched_plots(keys), member_ids=set(keys.get("member", ())))


def touched_plots(keys: dict[str, set], *, visits: bool = True) -> set[int]:
    """The plots whose field data the touched keys changed (a visit's and a planting's plot;
    with `visits=False`, what was planted only)."""
    plots = set(keys.get("plot", ()))
    if visits and keys.get("visit"):
        rows = MonitoringVisit.objects.filter(pk__in=keys["visit"])
        plots |= set(rows.values_list("plot_id", flat=True))
    if keys.get("planting"):
        plantings = Planting.objects.filter(pk__in=keys["planting"])
        plots |= set(plantings.values_list("plot_id", flat=True))
    return plots


# --- recomputing ----------------------------------------------------------------------------


def _strata_of_samples(items) -> set[tuple]:
    """(stratum, planting, own sample sums) of the cohorts with sample trees of their own."""
    return {
        (cohort.stratum, cohort.planting_id, (sums.n, sums.agb_kg, sums.agb_kg2))
        for cohort, sums in items
        if sums is not None
    }


def missing() -> bool:
    """Plantings without their summaries: a database migrated to them, or restored from a dump
    that wrote rows without the app."""
    return (
        Planting.objects.exists()
        and not CohortSummary.objects.exists()
        or Member.objects.exists()
        and not MemberSummary.objects.exists()
    )


def rebuild() -> None:
    """Every summary row again from the raw rows."""
    refresh(plot_ids=None)


def refresh(*, plot_ids: set[int] | None, member_ids: set[int] = frozenset()) -> None:
    """Bring the summaries of these plots (None: all) and members up to date (see module doc)."""
    project = CarbonProject.objects.order_by("pk").first()
    if plot_ids is not None and not plot_ids and not member_ids:
        return
    if project is None:  # nothing to value with; made again when a project is saved
        return
    if plot_ids is not None and not plot_ids:
        locks.hold("everything", [0], shared=True)
        locks.hold("member", member_ids)
        _write_members(set(member_ids))
        return
    params = Parameters.of(project)
    today = timezone.localdate()
    everything = plot_ids is None
    # Two writers recompute the same plot, stratum or member one after the other (core/locks.py).
    locks.hold("everything", [0], shared=not everything)
    if not everything:
        locks.hold("plot", plot_ids)
    fresh = _level_one(today, params, plot_ids)
    if everything:
        pooled = _pool(fresh.samples)
        revalue = set(fresh.plots)
        _write_strata(pooled, everything=True)
    else:
        # Only the strata of the touched plots' cohorts (before and after) can move: read the
        # cohorts of those strata as stored, not every cohort.
        mine = _stored_cohorts(only_plots=plot_ids)
        affected = {cohort.stratum for cohort in fresh.cohorts} | {c.stratum for c, _ in mine}
        # And of those, only the ones holding touched plots' own sample trees that changed: the
        # others are read, not written (a planting, a visit with counts only), so their lock is
        # shared with the other writers that only read them.
        changed = _strata_of_samples(mine) ^ _strata_of_samples(fresh.samples)
        moving = {stratum for stratum, _planting, _sums in changed}
        locks.hold("stratum", affected, shared=affected - moving)
        stored = _stored_cohorts(strata=affected)
        others = [item for item in stored if item[0].plot_id not in plot_ids]
        before = strata_of(_pool(stored), params)
        new_pools = _pool(others + fresh.samples)
        after = strata_of(new_pools, params)
        moved = {key for key in moving if before.get(key) != after.get(key)}
        # A cohort with sample trees of its own is worth the same whatever its stratum holds:
        # only the plots of the moved strata's other cohorts are valued again (a fifth of them
        # in the demo, where most cohorts have their own).
        revalue = set(fresh.plots)
        revalue |= {c.plot_id for c, sums in others if sums is None and c.stratum in moved}
        if revalue - set(fresh.plots):
            # Other writers' plots, valued again here with every stratum they hold: another
            # writer revaluing one of them for a stratum of its own moves holds no lock of ours,
            # so writers that value others' plots take turns (core/locks.py).
            locks.hold("revaluing", [0])
        _write_strata(new_pools, affected=moving)
        pooled = _stored_pools()
    strata = strata_of(pooled, params)
    extra = revalue - set(fresh.plots)
    level_one = fresh.merged(_stored_level_one(extra)) if extra else fresh
    _write(level_one, strata, params, revalue_plots=revalue, everything=everything)
    if everything:
        _write_members(None)
    else:
        plots_members = Plot.objects.filter(pk__in=revalue).values_list("member_id", flat=True)
        members = set(member_ids) | set(plots_members)
        locks.hold("member", members)
        _write_members(members)
