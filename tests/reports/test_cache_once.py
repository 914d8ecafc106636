"""A value asked for by several workers at once is computed once (reports/cache.py): the others
wait for it, and compute it themselves only if the first one fails."""

import threading

import pytest
from django.core.cache import cache

from reports import cache as report_cache


@pytest.fixture(autouse=True)
def _clear():
    cache.clear()
    yield
    cache.clear()


def test_concurrent_requests_for_one_missing_value_compute_it_once():
    started, release = threading.Event(), threading.Event()
    calls, results = [], []

    def compute():
        calls.append(1)
        started.set()
        release.wait(5)
        return ["rows"]

    def ask():
        results.append(report_cache.cached("once", "p", compute, stamp={}, translated=False))

    first = threading.Thread(target=ask)
    first.start()
    assert started.wait(5)
    others = [threading.Thread(target=ask) for _ in range(3)]
    for thread in others:
        thread.start()
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    assert results == [["rows"]] * 4
    assert len(calls) == 1


class _FinishesBetweenTheWaitersReads:
    """The real cache, with the first worker finishing (value stored, then lock dropped) right
    after the waiter's read of the value and before its read of the lock: the interleaving that
    made CI compute the value twice (tests of stop 23, on Redis)."""

    def __init__(self, real, key_of_value):
        self.real, self.value_key, self.finished = real, key_of_value, False

    def __getattr__(self, name):
        return getattr(self.real, name)

    def get(self, key, default=None):
        found = self.real.get(key, default)
        if key == self.value_key and found is None and not self.finished:
            self.finished = True
            self.real.set(key, ["rows"])
            self.real.delete(key + ":computing")
        return found


def test_a_value_stored_between_the_waiters_two_reads_is_not_computed_again(monkeypatch):
    key = "reports:the-value"
    calls = []
    cache.add(key + ":computing", 1, 60)  # another worker is computing it
    monkeypatch.setattr(report_cache, "cache", _FinishesBetweenTheWaitersReads(cache, key))

    def compute():
        calls.append(1)
        return ["mine"]

    assert report_cache._compute_once(key, compute) == ["rows"]
    assert calls == []


def test_a_waiting_request_computes_the_value_itself_when_the_first_one_fails():
    started, release = threading.Event(), threading.Event()
    outcome = {}

    def failing():
        started.set()
        release.wait(5)
        raise RuntimeError("worker lost its database")

    def ask_failing():
        try:
            report_cache.cached("once", "p", failing, stamp={}, translated=False)
        except RuntimeError as exc:
            outcome["first"] = str(exc)

    first = threading.Thread(target=ask_failing)
    first.start()
    assert started.wait(5)
    second = threading.Thread(
        target=lambda: outcome.setdefault(
            "second", report_cache.cached("once", "p", lambda: "mine", stamp={}, translated=False)
        )
    )
    second.start()
    release.set()
    first.join(10)
    second.join(10)
    assert outcome == {"first": "worker lost its database", "second": "mine"}
    # The lock is gone: the next request does not wait.
    assert report_cache.cached("once", "p", lambda: "again", stamp={}, translated=False) == "mine"
