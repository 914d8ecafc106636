"""Locks a writer holds until its transaction ends, on things that are not one row of a table.

The summaries a field write refreshes (credits/summaries.py) are shared: two technicians'
visits on plots whose trees pool into one stratum (species x planting year), or on two plots of
one member, both rewrite that stratum's or that member's summary row from what they read. Were
they to run side by side, each would read the rows as they were before the other wrote, and the
second to commit would fail on the row's unique key, or leave figures missing the first one's
trees. A stratum with no sample trees yet has no row to lock with `select_for_update()`, so the
writers lock the *names* of what they recompute instead.

On PostgreSQL these are transaction-level advisory locks (`pg_advisory_xact_lock`: Django has no
API for them), released at COMMIT or ROLLBACK, taken in one order (by kind, as the caller takes
them, then by key), so that two writers never wait on each other in a cycle. A rebuild of every
summary takes the exclusive form of one key that each ordinary refresh holds shared. SQLite
serializes every write on the whole database, so there is nothing to do there.
"""

from collections.abc import Iterable

from django.db import connection

# One range of keys per kind of thing locked; a key is KIND << 48 | the thing's own number.
KINDS = {"everything": 1, "plot": 2, "stratum": 3, "member": 4}
_SHIFT = 48


def _key(kind: str, thing) -> int:
    if isinstance(thing, tuple):  # a stratum: (species id, planting year)
        species_id, year = thing
        thing = species_id << 16 | year
    return KINDS[kind] << _SHIFT | thing


def hold(kind: str, things: Iterable, *, shared: bool = False) -> None:
    """Lock these things (ids, or (species, year) strata) until the transaction ends."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({_key(kind, thing) for thing in things})
    if not keys:
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        # WITH ORDINALITY keeps the sorted order: the locks are taken one after the other in it.
        cursor.execute(
            f"SELECT {function}(key) FROM unnest(%s::bigint[]) WITH ORDINALITY AS k(key, n) "
            "ORDER BY n",
            [keys],
        )
