"""Writes of the plantings area that touch several rows and must be all-or-nothing: recording a
monitoring visit with its rows (the visit form, the API, the imports) and updating one (API)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import batch
from members.models import Plot
from plantings.field_lock import lock_error
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


def _visit_errors(visit: MonitoringVisit) -> dict:
    """The visit's own errors, with the one-visit-per-day rule in words naming the other visit."""
    errors = {}
    existing = (
        MonitoringVisit.objects.filter(plot_id=visit.plot_id, visited_on=visit.visited_on)
        .exclude(pk=visit.pk)
        .first()
    )
    if existing:
        errors["visited_on"] = [
            _("Plot %(plot)s already has a visit on %(date)s (technician: %(technician)s).")
            % {
                "plot": visit.plot.code,
                "date": visit.visited_on.isoformat(),
                "technician": existing.technician,
            }
        ]
    # The one-visit-per-day constraint is checked just above, with a clearer message.
    for name, messages in _check(visit, validate_constraints=False).items():
        errors.setdefault(name, []).extend(messages)
    return errors


def _save_visit(visit: MonitoringVisit, errors: VisitErrors) -> None:
    try:
        # A savepoint: a visit saved concurrently for the same plot and day is a clean error.
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        errors.visit["visited_on"] = [_("This plot already has a visit on that day.")]
        raise errors from None


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
    with batch():  # one summary refresh for the whole visit
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
        for name, messages in _visit_errors(visit).items():
            errors.visit.setdefault(name, []).extend(messages)
        if errors.visit:
            raise errors
        _save_visit(visit, errors)
        species_counted = set()
        for index, row in enumerate(counts):
            count = SurvivalCount(visit=visit, **row)
            # The visit was saved just above, and a new visit's only count of a species is the
            # one checked twice below; the counts' check constraints (>= 0) are their fields'
            # validators too. Checking them again in the database cost five queries a row.
            row_errors = _check(count, exclude=["visit"], validate_constraints=False)
            if count.species_id in species_counted:
                row_errors.setdefault("species", []).append(_("This species is counted twice."))
            species_counted.add(count.species_id)
            if row_errors:
                errors.counts[index] = row_errors
            else:
                count.save()
        for index, row in enumerate(measurements):
            measurement = TreeMeasurement(visit=visit, **row)
            row_errors = _check(measurement, exclude=["visit"])  # saved just above
            if row_errors:
                errors.measurements[index] = row_errors
            else:
                measurement.save()
        if errors:
            # Leaving the atomic block with an exception rolls back the visit and every row.
            raise errors
    return visit


# The nested rows of a visit: (argument of update_visit, model, related name, delete permission).
VISIT_ROWS = (
    ("counts", SurvivalCount, "survival_counts", "plantings.delete_survivalcount"),
    ("measurements", TreeMeasurement, "measurements", "plantings.delete_treemeasurement"),
)


def update_visit(
    *,
    visit: MonitoringVisit,
    user,
    changes: dict | None = None,
    counts: list[dict] | None = None,
    measurements: list[dict] | None = None,
) -> MonitoringVisit:
    """Change a visit and its rows in place, all or nothing.

    changes: visit fields (plot, visited_on, technician, notes, external_id) to set.
    counts / measurements: None leaves that list as it is; a list is the visit's new list: a row
    with an `id` of this visit updates that row in place (its history records the change), a row
    without one is added, and the visit's rows left out are deleted, which needs the user's
    permission to delete such rows (PermissionDenied otherwise, before anything is written).
    Bad rows raise VisitErrors, indexes as in the lists given, and nothing is saved.
    """
    with batch():  # one summary refresh for the whole visit
        # The visit's row is locked: two updates of one visit run one after the other.
        MonitoringVisit.objects.select_for_update().filter(pk=visit.pk).exists()
        given = {"counts": counts, "measurements": measurements}
        errors = VisitErrors()
        refused = []
        for key, _model, related, permission in VISIT_ROWS:
            rows = given[key]
            if rows is None:
                continue
            own = set(getattr(visit, related).values_list("pk", flat=True))
            for index, row in enumerate(rows):
                if row.get("id") and row["id"] not in own:
                    getattr(errors, key)[index] = {
                        "id": [_("This row is not one of this visit's rows.")]
                    }
            if own - {row.get("id") for row in rows} and not user.has_perm(permission):
                refused.append(related)
        if errors:
            raise errors
        if refused:
            raise PermissionDenied(
                _(
                    "Rows left out of %(lists)s would be deleted, and you may not delete them. "
                    "Send every row you keep, with its id."
                )
                % {"lists": ", ".join(refused)}
            )
        for name, value in (changes or {}).items():
            setattr(visit, name, value)
        for name, messages in _visit_errors(visit).items():
            errors.visit.setdefault(name, []).extend(messages)
        if errors.visit:
            raise errors
        _save_visit(visit, errors)
        for key, model, related, _permission in VISIT_ROWS:
            rows = given[key]
            if rows is None:
                continue
            existing = {row.pk: row for row in getattr(visit, related).all()}
            sent_ids = {row.get("id") for row in rows if row.get("id")}
            for pk in set(existing) - sent_ids:
                existing.pop(pk).delete()
            found = getattr(errors, key)
            for index, row in enumerate(rows):
                values = {k: v for k, v in row.items() if k != "id"}
                pk = row.get("id")
                record = existing.get(pk) if pk else model(visit=visit)
                if record is None:  # deleted meanwhile by another request
                    found[index] = {"id": [_("This row is not one of this visit's rows.")]}
                    continue
                for name, value in values.items():
                    setattr(record, name, value)
                row_errors = _check(record)
                if row_errors:
                    found[index] = row_errors
                else:
                    record.save()
        if errors:
            raise errors
    return visit


# --- Correcting and cancelling a saved visit -------------------------------------------------


def check_field_data_open(*, plot: Plot, on_date: datetime.date) -> None:
    """The carbon ledger's late-data rule for a correction: a visit dated inside a closed
    monitoring period cannot be moved, changed or cancelled (VisitErrors); it is corrected by a
    late-data entry that the next period accounts for (plantings/field_lock.py)."""
    if message := lock_error(on_date, None):
        raise VisitErrors(visit={"visited_on": [message]})


def correction_days() -> int:
    """How long (days since it was recorded) a technician may correct their own visit."""
    return settings.VISIT_CORRECTION_DAYS


def is_own_recent_visit(*, visit: MonitoringVisit, user) -> bool:
    """The visit was recorded by this user in the last N days (VISIT_CORRECTION_DAYS)."""
    if user is None or not user.is_authenticated or visit.recorded_by_id != user.pk:
        return False
    return timezone.now() - visit.created_at <= datetime.timedelta(days=correction_days())


def can_correct_visit(*, visit: MonitoringVisit, user) -> bool:
    """Managers correct or cancel any visit; staff their own, recorded in the last N days."""
    if user is None or not user.is_authenticated:
        return False
    if user.has_perm("plantings.correct_any_visit"):
        return True
    return user.has_perm("plantings.change_monitoringvisit") and is_own_recent_visit(
        visit=visit, user=user
    )


def _check_may_correct(*, visit: MonitoringVisit, user, reason: str) -> str:
    if not can_correct_visit(visit=visit, user=user):
        raise PermissionDenied(
            _(
                "Only a manager, or the person who recorded it within %(days)s days, can "
                "correct or cancel this visit."
            )
            % {"days": correction_days()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise VisitErrors(visit={"reason": [_("Say why the visit is corrected or cancelled.")]})
    return reason[:100]  # simple_history keeps up to 100 characters


def _stamp(row, user, reason: str) -> None:
    # simple_history reads who and why from these (the user also outside a request).
    row._change_reason = reason
    row._history_user = user


@batch()
def correct_visit(
    *,
    visit: MonitoringVisit,
    user,
    reason: str,
    visited_on: datetime.date,
    technician: str,
    notes: str = "",
    counts: list[dict],
) -> MonitoringVisit:
    """Correct a saved visit: its date, technician, notes and survival counts, with the reason
    kept in the history of every row changed. counts: dicts as for record_visit; a species
    left out keeps its count. Any bad row raises VisitErrors and nothing is saved."""
    reason = _check_may_correct(visit=visit, user=user, reason=reason)
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    check_field_data_open(plot=visit.plot, on_date=visit.visited_on)
    check_field_data_open(plot=visit.plot, on_date=visited_on)
    errors = VisitErrors()
    visit.visited_on, visit.technician, visit.notes = visited_on, technician, notes
    other = (
        MonitoringVisit.objects.filter(plot_id=visit.plot_id, visited_on=visited_on)
        .exclude(pk=visit.pk)
        .first()
    )
    if other:
        errors.visit["visited_on"] = [
            _("Plot %(plot)s already has a visit on %(date)s (technician: %(technician)s).")
            % {
                "plot": visit.plot.code,
                "date": visited_on.isoformat(),
                "technician": other.technician,
            }
        ]
    for name, messages in _check(visit, validate_constraints=False).items():
        errors.visit.setdefault(name, []).extend(messages)
    if errors.visit:
        raise errors
    _stamp(visit, user, reason)
    visit.save()
    existing = {count.species_id: count for count in visit.survival_counts.all()}
    for index, row in enumerate(counts):
        count = existing.get(row["species"].pk) or SurvivalCount(visit=visit)
        for name, value in row.items():
            setattr(count, name, value)
        row_errors = _check(count)
        if row_errors:
            errors.counts[index] = row_errors
            continue
        _stamp(count, user, reason)
        count.save()
    if errors:
        raise errors  # rolls back the visit and every row
    return visit


@batch()
def cancel_visit(*, visit: MonitoringVisit, user, reason: str) -> None:
    """Cancel (delete) a visit recorded by mistake, with its counts and sample trees; the
    history keeps every row as it was, with who cancelled it and why."""
    reason = _check_may_correct(visit=visit, user=user, reason=reason)
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    check_field_data_open(plot=visit.plot, on_date=visit.visited_on)
    for row in [*visit.survival_counts.all(), *visit.measurements.all()]:
        _stamp(row, user, reason)
        row.delete()
    _stamp(visit, user, reason)
    visit.delete()


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
