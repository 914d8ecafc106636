"""Report rows cached under a stamp of the data, so a saved change shows on the next request.

The stamp is one cheap query: the highest primary key of every table of the domain apps,
*including their history tables*. Every insert raises a primary key; every save or delete made
through the ORM (forms, admin, services, imports calling save()) writes a history row, which
raises the history table's key. So any such change gives a new stamp and a fresh computation;
tests/reports/test_cache.py proves it for inserts, edits and deletes.

Not seen: raw SQL and QuerySet.update(), which skip history. The timeout bounds how long such a
change can stay unseen. Today's date is part of the key because "to date" figures move with it,
the language because some rows hold translated labels.
"""

import functools
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from core import stamps

DOMAIN_APPS = ("members", "plantings", "credits")
TIMEOUT_S = 600
VERSION = "3"  # raise when the shape of cached rows changes
_pinned: ContextVar[str | None] = ContextVar("reports_stamp", default=None)


@functools.cache
def _stamp_sql() -> str:
    parts = []
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(model._meta.pk.column)
            parts.append(f"(SELECT MAX({column}) FROM {table})")
    return "SELECT " + ", ".join(parts)


def data_stamp() -> str:
    """A short digest that changes whenever a domain row is inserted, saved or deleted."""
    return stamps.stamp(_stamp_sql())


@contextmanager
def one_stamp():
    """Within the block, every cached() call reuses one stamp: one stamp query per request."""
    token = _pinned.set(data_stamp())
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(name: str, params: str, compute, *, stamp: str | None = None, translated=True):
    """`compute()` once per data stamp, day, language and parameters; pass `stamp` to reuse one
    query; `translated=False` for values without any translated text (shared by languages)."""
    stamp = stamp or _pinned.get() or data_stamp()
    # The language too: some rows hold translated labels (a member's status, a land use).
    language = translation.get_language() if translated else ""
    key = f"reports:{VERSION}:{name}:{timezone.localdate().isoformat()}:{language}:{stamp}:{params}"
    key = "reports:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_S)
    return value
