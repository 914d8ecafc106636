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
summary takes the exclusive form of one key that each ordinary refresh holds shared; a writer
that only reads a stratum (its sample trees in it are as they were) holds it shared too.

A writer whose sample trees move a stratum also values again the other plots holding cohorts of
that stratum without trees of their own. Those plots' own writers wait for the stratum, but a
second writer moving another stratum of one of those plots would not: the writers that value
other writers' plots take turns on one more key ("revaluing", after the strata, before the
members). SQLite serializes every write on the whole database, so there is nothing to do there.
"""

from collections.abc import Collection, Iterable

from django.db import connection

# One range of keys per kind of thing locked; a key is KIND << 48 | the thing's own number.
KINDS = {"everything": 1, "plot": 2, "stratum": 3, "revaluing": 4, "member": 5}
_SHIFT = 48


def _key(kind: str, thing) -> int:
    if isinstance(thing, tuple):  # a stratum: (species id, planting year)
        species_id, year = thing
        thing = species_id << 16 | year
    return KINDS[kind] << _SHIFT | thing


def hold(kind: str, things: Iterable, *, shared: bool | Collection = False) -> None:
    """Lock these things (ids, or (species, year) strata) until the transaction ends.

    `shared`: True holds them all in the shared mode (many holders at once, none beside an
    exclusive holder), or names those among them to hold shared, the others exclusive."""
    if connection.vendor != "postgresql":
        return
    things = set(things)
    held_shared = things if shared is True else set(shared or ())
    modes = {_key(kind, thing): thing in held_shared for thing in things}
    if not modes:
        return
    keys = sorted(modes)
    with connection.cursor() as cursor:
        # WITH ORDINALITY keeps the sorted order: the locks are taken one after the other in it.
        cursor.execute(
            "SELECT CASE WHEN shared THEN pg_advisory_xact_lock_shared(key) "
            "ELSE pg_advisory_xact_lock(key) END "
            "FROM unnest(%s::bigint[], %s::boolean[]) WITH ORDINALITY AS k(key, shared, n) "
            "ORDER BY n",
            [keys, [modes[key] for key in keys]],
        )
