"""Do the summaries kept on write agree with a rebuild from the raw rows? Nothing is changed.

`manage.py rebuild_summaries --check` prints what this finds. The writes keep the summaries
(credits/summaries.py) and a test proves they equal a rebuild after random histories, one write
at a time; the load benchmark (bench/load/run.sh) runs the check after 40 users have written for
minutes side by side, where a lost update between two writers would show.
"""

from django.db import transaction

from core import locks
from credits import summaries
from credits.models.summaries import (
    CohortSummary,
    MemberSummary,
    PlotSpeciesSummary,
    PlotYearSummary,
    StratumSummary,
)

# The kinds of summary row, by the name the check prints.
KINDS = {
    "cohorts": CohortSummary,
    "plots and species": PlotSpeciesSummary,
    "plots, species and years": PlotYearSummary,
    "strata": StratumSummary,
    "members": MemberSummary,
}


def _fields(model) -> list[str]:
    # Without the surrogate key: a rebuild numbers rows anew.
    return [field.attname for field in model._meta.concrete_fields if field.attname != "id"]


def _rows(model) -> set[tuple]:
    """Every row as plain values; floats to 9 significant digits (a rebuild adds the same
    figures in another order)."""
    fields = _fields(model)
    return {
        tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)
        for row in model.objects.values_list(*fields)
    }


def differences() -> dict[str, int]:
    """For each kind of summary, how many stored rows a rebuild would change, add or remove."""
    with transaction.atomic():
        # Taken first, as a rebuild takes it: no writer is between its reads and its writes, so
        # the stored rows read here are the ones the rebuild replaces (core/locks.py).
        locks.hold("everything", [0])
        stored = {name: _rows(model) for name, model in KINDS.items()}
        summaries.rebuild()
        rebuilt = {name: _rows(model) for name, model in KINDS.items()}
        transaction.set_rollback(True)  # a check: the stored rows stay as they were
    # A row whose figures moved is in both differences: count it once, by its key.
    return {name: len(_keys(stored[name] ^ rebuilt[name], KINDS[name])) for name in KINDS}


def _keys(rows: set[tuple], model) -> set[tuple]:
    positions = [_fields(model).index(name) for name in _key_fields(model)]
    return {tuple(row[i] for i in positions) for row in rows}


def _key_fields(model) -> list[str]:
    """The fields naming one row: the primary key when it means something, else the unique set."""
    if model._meta.pk.attname != "id":
        return [model._meta.pk.attname]
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fields:
            return [model._meta.get_field(name).attname for name in fields]
    raise LookupError(f"{model.__name__} has no unique key")
