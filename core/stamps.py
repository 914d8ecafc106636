"""Stamps: one cheap query whose answer changes whenever the rows of some tables change.

A cache keyed by a stamp never serves an answer computed from older rows: the next request after
a change reads a new stamp, misses, and computes again. Used for report figures
(reports/cache.py).
"""

import hashlib

from django.db import connection


def digest(values) -> str:
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).hexdigest()


def stamp(sql: str) -> str:
    """A short digest of the one row `sql` returns."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        values = cursor.fetchone()
    return digest(values)
