"""Stamps: one cheap query whose answer changes whenever the rows of some tables change.

A cache keyed by a stamp never serves an answer computed from older rows: the next request after
a change reads a new stamp, misses, and computes again. Used for report figures
(reports/cache.py) and for each user's permissions (core/auth_backends.py).
"""

import hashlib

from django.conf import settings
from django.db import connection


def prepared(name: str, sql: str, param_types: tuple[str, ...] = ()) -> str:
    """`sql` (parameters as %s) as a statement prepared once per PostgreSQL connection; returns
    what to execute, with the same parameters.

    Planning a query of a few dozen sub-selects costs more than running it; a prepared statement
    keeps its plan for the connection's life. PREPARE survives a rollback; it is sent on the raw
    connection, so query counts do not depend on when the connection was opened. A new
    connection (Django reconnects after an error or CONN_MAX_AGE) is a new object and prepares
    again. (Behind a transaction-pooling proxy such as pgbouncer, set PREPARED_STAMP=0.)
    """
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STAMP", True):
        return sql
    connection.ensure_connection()
    raw = connection.connection
    done = connection.__dict__.setdefault("_acopagro_prepared", {})
    if done.get(name) is not raw:
        numbered = sql
        for position in range(1, len(param_types) + 1):
            numbered = numbered.replace("%s", f"${position}", 1)
        types = f"({', '.join(param_types)})" if param_types else ""
        with raw.cursor() as cursor:
            cursor.execute(f"PREPARE {name}{types} AS {numbered}")
        done[name] = raw
    placeholders = f"({', '.join(['%s'] * len(param_types))})" if param_types else ""
    return f"EXECUTE {name}{placeholders}"


def digest(values) -> str:
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).hexdigest()


def stamp(name: str, sql: str) -> str:
    """A short digest of the one row `sql` returns (run as the prepared statement `name`)."""
    with connection.cursor() as cursor:
        cursor.execute(prepared(name, sql))
        values = cursor.fetchone()
    return digest(values)
