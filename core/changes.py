"""What changed, said once per write, so summaries follow and caches know what to drop.

Two things hang on every write of domain data:
- **summaries** kept by the apps (credits/summaries.py): a change *touches* keys (a plot, a visit,
  a planting, or everything) and the refreshers the apps registered bring their summary rows up to
  date *in the same transaction*, before it commits;
- **generations**, one counter per *topic* ("members", "field", "credits", "parameters"): a cached
  report is keyed by the counters of the topics it reads (reports/cache.py), so a planting moves
  "field" and leaves the credits report's cache alone, and a sale moves "credits" and leaves the
  survival report's.

Writes say it through `touch()`: model signals do it for save() and delete() (each app connects
its models with `track_models()`), and `TrackedQuerySet` does it for the bulk paths that send no
signals (update, bulk_create, bulk_update). Inside `batch()` the touches are gathered and acted on
once at the end of the block, still inside its transaction: a visit with twenty counts refreshes
its plot once, an import of 5,000 rows refreshes once. Outside a batch each touch acts at once.

A value computed only from rows dated up to a day (the stock at a past year end) can do better:
writes of dated rows say their date and topic too (`touch(since=..., dated_topic=...)`,
credits/summaries.py), and the batch moves one more counter per dated topic,
"since-<topic>-<year of its earliest date>". Such a value is keyed by the counters of its dated
topics for the years up to its day (`generations_key(..., as_of=day)`), so a visit of this year
leaves last year's stock cached, and a visit of any year leaves the projected stock (plantings
only) cached.

The counters are bumped at the end of the batch, the last statements before COMMIT, so the row
lock they take is held for a moment, not for a whole import; topics are bumped in one order, so
two writers cannot deadlock on them.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

ALL = "all"  # a key meaning "every row": refreshers rebuild everything
# Every topic the apps track (members/apps.py, plantings/apps.py, credits/apps.py), and the
# groups of them that cached pages and reports read (reports/cache.py explains each).
TOPICS = ("members", "plantings", "visits", "credits", "parameters")
# A plot's write moves "plots" too (credits/year_ends.py): the stored year-end stock reads the
# plots of the members' data, not the members. Every group naming "members" covers it.
PLANTED_TOPICS = ("members", "plantings")  # what was planted where: not the visits
FIELD_TOPICS = ("members", "plantings", "visits")
CARBON_TOPICS = ("members", "plantings", "visits", "parameters")
PROJECTED_TOPICS = ("members", "plantings", "parameters")  # growth curves of what was planted
# The latest counts and sample trees of a day (credits.stock.Readings): visits, wood densities
# and the equation, plots. Not the plantings.
READINGS_TOPICS = ("members", "visits", "parameters")
REGISTRY_TOPICS = ("credits", "parameters")
PAYMENT_TOPICS = ("members", "credits")  # who was paid what: names, DNIs and payments
# Topics whose rows a stock reads are dated: each write of them says its date (see module doc).
DATED_TOPICS = ("plantings", "visits")
SINCE = "since-"  # + "<topic>-<year>", or + ALL (a write of unknown date: every day moves)
# How long a cached value keyed by generations lives: it bounds what no generation moves (a
# user's name shown beside a record, today's date in "to date" figures).
CACHE_TIMEOUT_S = 600
# Bulk writes of more rows than this touch everything instead of listing them one by one.
BULK_LIMIT = 2000

# sender=model, pks=list of primary keys: rows written by a bulk path (before and after an
# update, after a bulk_create). Apps turn them into keys (plots...) with their own queries.
rows_changed = Signal()

Refresher = Callable[[dict[str, set]], None]
_refreshers: list[Refresher] = []
_topic_of: dict[type[models.Model], str] = {}
_local = threading.local()


class _Pending:
    def __init__(self):
        self.depth = 0
        self.topics: set[str] = set()
        self.keys: dict[str, set] = defaultdict(set)
        self.since: dict[str, datetime.date] = {}  # dated topic -> earliest date written
        self.since_all = False  # a write of unknown date


def _pending() -> _Pending:
    if not hasattr(_local, "pending"):
        _local.pending = _Pending()
    return _local.pending


def register_refresher(refresher: Refresher) -> None:
    """`refresher(keys)` is called with the touched keys ({"plot": {ids}, ...}) at flush time."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def touch(
    topic: str | None = None,
    *,
    later: bool = False,
    since: datetime.date | str | None = None,
    dated_topic: str | None = None,
    **keys,
) -> None:
    """Record that data of `topic` changed, and which keys (plot=..., visit=...; an id, an
    iterable of ids, or ALL), and for dated rows their date (`since`: a date, or ALL when
    unknown) and topic (`dated_topic`, one of DATED_TOPICS). Acts at once outside a batch,
    unless `later` (a pre_save: the post_save that follows acts on both)."""
    pending = _pending()
    if topic:
        pending.topics.add(topic)
    if since == ALL or keys.get("all") == ALL:
        pending.since_all = True
    elif since is not None:
        if dated_topic not in DATED_TOPICS:
            raise ValueError(f"A dated write names its topic, one of {DATED_TOPICS}.")
        earliest = pending.since.get(dated_topic)
        pending.since[dated_topic] = since if earliest is None else min(earliest, since)
    for name, value in keys.items():
        if value is None:
            continue
        if value == ALL:
            pending.keys[ALL].add(True)
        elif isinstance(value, (set, list, tuple, frozenset)):
            pending.keys[name].update(v for v in value if v is not None)
        else:
            pending.keys[name].add(value)
    if pending.depth == 0 and not later:
        _flush()


@contextmanager
def batch():
    """One transaction whose touches are acted on once, at its end (still inside it)."""
    pending = _pending()
    with transaction.atomic():
        pending.depth += 1
        try:
            yield
        except BaseException:
            pending.depth -= 1
            if pending.depth == 0:
                _local.pending = _Pending()  # rolled back: nothing to refresh
            raise
        pending.depth -= 1
        if pending.depth == 0:
            if transaction.get_rollback():  # a dry run: rolled back, nothing to refresh
                _local.pending = _Pending()
            else:
                _flush()


def _flush() -> None:
    pending = _pending()
    if not pending.topics and not pending.keys:
        return
    pending.depth += 1  # refreshers' own writes must not flush again
    try:
        with transaction.atomic():
            # Refreshers may touch more (a refreshed summary is itself a topic's data).
            while pending.keys:
                keys, pending.keys = dict(pending.keys), defaultdict(set)
                for refresher in _refreshers:
                    refresher(keys)
            for topic, day in pending.since.items():
                pending.topics.add(f"{SINCE}{topic}-{day.year}")
            if pending.since_all:
                pending.topics.add(f"{SINCE}{ALL}")
            # One order for every writer: two batches never wait on each other's counters.
            topics, pending.topics = sorted(pending.topics), set()
            for topic in topics:
                bump(topic)
    finally:
        _local.pending = _Pending()


def written_since(topic: str | None = None) -> datetime.date | str | None:
    """For a refresher, during its batch's flush: the earliest date of the dated rows (of one
    dated topic, if given) the batch wrote, before and after an edit; ALL if a date could not be
    told, None if it wrote none. A value of rows dated up to a day before it cannot have moved."""
    pending = _pending()
    if pending.since_all:
        return ALL
    if topic is not None:
        return pending.since.get(topic)
    return min(pending.since.values(), default=None)


def batch_topics() -> frozenset[str]:
    """For a refresher, during its batch's flush: the topics the batch's writes touched."""
    return frozenset(_pending().topics)


def bump(topic: str) -> None:
    from core.models import DataGeneration

    if not DataGeneration.objects.filter(topic=topic).update(value=F("value") + 1):
        DataGeneration.objects.bulk_create(
            [DataGeneration(topic=topic, value=1)], ignore_conflicts=True
        )


def generations() -> dict[str, int]:
    """Every topic's counter: one small query."""
    from core.models import DataGeneration

    return dict(DataGeneration.objects.values_list("topic", "value"))


def generations_key(
    topics: Iterable[str],
    stamp: dict[str, int] | None = None,
    *,
    as_of: datetime.date | None = None,
) -> str:
    """The generations of `topics` as text for a cache key ("members=3,visits=9"); `stamp` is
    a generations() already read. With `as_of`, for a value computed from dated rows up to that
    day only: its dated topics are replaced by their "since" counters of the years up to it."""
    stamp = generations() if stamp is None else stamp
    if as_of is None:
        return ",".join(f"{topic}={stamp.get(topic, 0)}" for topic in topics)
    undated = [topic for topic in topics if topic not in DATED_TOPICS]
    prefixes = tuple(f"{SINCE}{topic}-" for topic in topics if topic in DATED_TOPICS)
    years = sorted(
        name
        for name in stamp
        if name.startswith(prefixes) and int(name.rsplit("-", 1)[1]) <= as_of.year
    )
    parts = undated + [f"{SINCE}{ALL}"] + years
    return ",".join(f"{topic}={stamp.get(topic, 0)}" for topic in parts)


# --- wiring ---------------------------------------------------------------------------------


def topic_of(model: type[models.Model]) -> str | None:
    return _topic_of.get(model)


def track_models(model_classes: Iterable[type[models.Model]], *, topic: str, overrides=None):
    """Connect save/delete signals of these models to `touch(topic)` (per-model `overrides`
    {model: topic}). History models written alongside are tracked under the same topic."""
    overrides = overrides or {}
    for model in model_classes:
        if model._meta.proxy or not model._meta.managed:
            continue
        _topic_of[model] = overrides.get(model, topic)
        post_save.connect(_saved, sender=model, dispatch_uid=f"changes-save-{model._meta.label}")
        post_delete.connect(
            _saved, sender=model, dispatch_uid=f"changes-delete-{model._meta.label}"
        )


def _saved(sender, **kwargs):
    touch(_topic_of.get(sender))


class TrackedQuerySet(models.QuerySet):
    """The bulk writes that send no model signals say what they changed (see module doc)."""

    def _announce(self, pks) -> None:
        pks = list(pks)
        if pks:
            rows_changed.send(sender=self.model, pks=pks)
        touch(topic_of(self.model))

    def update(self, **kwargs):
        with batch():
            pks = list(self.values_list("pk", flat=True))
            self._announce(pks)  # where the rows were
            count = super().update(**kwargs)
            self._announce(pks)  # where they are now
        return count

    def bulk_create(self, objs, *args, **kwargs):
        with batch():
            created = super().bulk_create(objs, *args, **kwargs)
            pks = [obj.pk for obj in created]
            if None in pks:  # a backend that does not return keys: say "everything"
                touch(topic_of(self.model), all=ALL)
            else:
                self._announce(pks)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        with batch():
            pks = [obj.pk for obj in objs]
            self._announce(pks)
            count = super().bulk_update(objs, fields, *args, **kwargs)
            self._announce(pks)
        return count
