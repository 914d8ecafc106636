"""Writes of the plantings area that touch several rows and must be all-or-nothing."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Plot
from plantings.models import (
    FieldDataLock,
    LateDataEntry,
    MonitoringVisit,
    SurvivalCount,
    TreeMeasurement,
)


@dataclass
class VisitErrors(Exception):
    """Why a visit was refused, row by row, so a form can show each error at its field.

    visit: field -> messages of the visit itself; counts / measurements: row index -> (field ->
    messages), indexes as in the lists given to record_visit.
    """

    visit: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    measurements: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.visit or self.counts or self.measurements)


def _check(obj, **kwargs) -> dict:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def record_visit(
    *,
    plot: Plot,
    visited_on: datetime.date,
    technician: str,
    counts: list[dict],
    measurements: list[dict],
    recorded_by=None,
    notes: str = "",
    external_id: str | None = None,
    late_reason: str = "",
) -> MonitoringVisit:
    """Record a monitoring visit with its survival counts and sample-tree measurements.

    counts: dicts of species, trees_alive, trees_dead, trees_replanted, loss_cause.
    measurements: dicts of species, dbh_cm, height_m and optionally tree_tag, latitude, longitude.
    Every row goes through full_clean (trees alive never above trees planted by the visit date,
    physical bounds...). Any bad row raises VisitErrors and nothing is saved.
    """
    errors = VisitErrors()
    if not counts and not measurements:
        errors.visit[NON_FIELD_ERRORS] = [
            _("Enter the trees alive of at least one species, or one sample tree.")
        ]
    with transaction.atomic():
        late_entry = None
        closed_through = FieldDataLock.closed_through_date()
        late_reason = (late_reason or "").strip()
        if late_reason and closed_through and visited_on and visited_on <= closed_through:
            late_entry = LateDataEntry.objects.create(
                plot=plot, field_date=visited_on, reason=late_reason[:300], recorded_by=recorded_by
            )
        visit = MonitoringVisit(
            late_entry=late_entry,
            plot=plot,
            visited_on=visited_on,
            technician=technician,
            notes=notes,
            external_id=external_id,
            recorded_by=recorded_by,
        )
        existing = MonitoringVisit.objects.filter(plot=plot, visited_on=visited_on).first()
        if existing:
            errors.visit["visited_on"] = [
                _("Plot %(plot)s already has a visit on %(date)s (technician: %(technician)s).")
                % {
                    "plot": plot.code,
                    "date": visited_on.isoformat(),
                    "technician": existing.technician,
                }
            ]
        # The one-visit-per-day constraint is checked just above, with a clearer message.
        for name, messages in _check(visit, validate_constraints=False).items():
            errors.visit.setdefault(name, []).extend(messages)
        if errors.visit:
            raise errors
        try:
            # A savepoint: a visit saved concurrently for the same plot and day is a clean error.
            with transaction.atomic():
                visit.save()
        except IntegrityError:
            errors.visit["visited_on"] = [_("This plot already has a visit on that day.")]
            raise errors from None
        species_counted = set()
        for index, row in enumerate(counts):
            count = SurvivalCount(visit=visit, **row)
            row_errors = _check(count)
            if count.species_id in species_counted:
                row_errors.setdefault("species", []).append(_("This species is counted twice."))
            species_counted.add(count.species_id)
            if row_errors:
                errors.counts[index] = row_errors
            else:
                count.save()
        for index, row in enumerate(measurements):
            measurement = TreeMeasurement(visit=visit, **row)
            row_errors = _check(measurement)
            if row_errors:
                errors.measurements[index] = row_errors
            else:
                measurement.save()
        if errors:
            # Leaving the atomic block with an exception rolls back the visit and every row.
            raise errors
    return visit


@transaction.atomic
def lock_field_data(*, through: datetime.date, note: str = "") -> FieldDataLock:
    """Lock field data dated on or before `through` (called when a monitoring period closes)."""
    lock, _created = FieldDataLock.objects.get_or_create(
        closed_through=through, defaults={"note": note[:200]}
    )
    return lock


@transaction.atomic
def account_late_data(*, through: datetime.date) -> int:
    """Mark the late entries not yet accounted for as part of the period ending `through`."""
    return LateDataEntry.objects.filter(accounted_through__isnull=True).update(
        accounted_through=through
    )
