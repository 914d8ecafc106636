"""Report rows cached under the generations of the data they read, so a saved change shows on
the next request, and only in the reports it concerns.

Every write of domain data moves its topic's generation in the same transaction (core/changes.py:
"members", "plantings", "visits", "credits", "parameters"). A cached value is keyed by the
generations of the topics it reads, read in one small query per request: a new planting moves
"plantings", so the plantings, survival and carbon reports are computed again while the credits
report stays cached; a visit leaves the plantings report and the projected stock cached; a sale
moves "credits" and leaves the field reports alone. Bulk paths (QuerySet.update, bulk_create) move
generations too (core.changes.TrackedQuerySet); raw SQL writes are not allowed in app code
(tests/core/test_changes.py). The timeout bounds anything else. Today's date is part of the key
because "to date" figures move with it, the language because some rows hold translated labels.
Field reports read the summaries kept on write (reports/latest.py), so even a computation after
a change reads a few thousand rows.
"""

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.utils import timezone, translation

from core import changes
from core.changes import (  # noqa: F401 (the topic groups, named once in core, used from here)
    CARBON_TOPICS,
    FIELD_TOPICS,
    PAYMENT_TOPICS,
    PLANTED_TOPICS,
    PROJECTED_TOPICS,
    READINGS_TOPICS,
    REGISTRY_TOPICS,
    TOPICS,
)

TIMEOUT_S = changes.CACHE_TIMEOUT_S
# How long a request waits for the worker already computing the same value before computing it
# itself (that worker died, or is slower than this).
WAIT_S = 15
POLL_S = 0.01
VERSION = "4"  # raise when the shape of cached rows changes
_pinned: ContextVar[dict | None] = ContextVar("reports_generations", default=None)


def data_stamp() -> dict[str, int]:
    """The generation of every topic (pinned for the request inside one_stamp())."""
    return _pinned.get() or changes.generations()


@contextmanager
def one_stamp():
    """Within the block, every cached() call reuses one read of the generations (a block
    inside another keeps the outer one's)."""
    token = _pinned.set(_pinned.get() or changes.generations())
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(
    name: str,
    params: str,
    compute,
    *,
    topics: tuple[str, ...] = TOPICS,
    stamp: dict | None = None,
    translated=True,
    as_of=None,
):
    """`compute()` once per generation of `topics`, day, language and parameters; pass `stamp`
    (data_stamp()) to reuse one read; `translated=False` for values without translated text;
    `as_of` (a date) for a value computed from rows dated up to that day only
    (core.changes.generations_key)."""
    stamp = stamp if stamp is not None else data_stamp()
    generations = changes.generations_key(topics, stamp, as_of=as_of)
    # The language too: some rows hold translated labels (a member's status, a land use).
    language = translation.get_language() if translated else ""
    day = timezone.localdate().isoformat()
    key = f"reports:{VERSION}:{name}:{day}:{language}:{generations}:{params}"
    key = "reports:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    value = cache.get(key)
    if value is None:
        value = _compute_once(key, compute)
    return value


def _compute_once(key: str, compute):
    """Compute the value and store it, or wait for the worker already doing so. After a save
    every manager's next report misses at once; without this, each worker computed the same
    report at the same time, on the same two cores (bench/README.md, "Load"). The lock is a
    cache key: with Redis it holds across workers and containers."""
    lock = key + ":computing"
    mine = cache.add(lock, 1, WAIT_S)
    if not mine:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            value = cache.get(key)
            if value is not None:
                return value
            if cache.get(lock) is None:
                # The first worker stores its value before it drops the lock, so read the value
                # once more: it may have landed between the two reads above. Still missing, the
                # first worker failed (or its value was evicted): compute it here.
                value = cache.get(key)
                if value is not None:
                    return value
                break
    try:
        value = compute()
        cache.set(key, value, TIMEOUT_S)
    finally:
        if mine:
            cache.delete(lock)
    return value
