"""Field data of closed monitoring periods is locked; late records go through a recorded entry.

The credits app closes periods, but plantings never imports credits (imports run downward): the
closing writes a FieldDataLock row here (plantings.services.lock_field_data) and every field model
checks it in clean(), so forms, imports, the admin and the API all refuse a record dated inside a
closed period. A correction found later is recorded with a LateDataEntry (who, when, why) that the
next period's closing marks as accounted for: its visit is then part of that period's figures.
"""

import datetime

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from core.models import recorded_by_field


class FieldDataLock(models.Model):
    """Field data dated on or before `closed_through` belongs to a closed monitoring period."""

    closed_through = models.DateField(_("closed through"), unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-closed_through"]
        verbose_name = _("field data lock")
        verbose_name_plural = _("field data locks")

    def __str__(self):
        return str(self.closed_through)

    @classmethod
    def closed_through_date(cls) -> datetime.date | None:
        """The last day of field data that is locked (None while no period is closed)."""
        return cls.objects.aggregate(last=Max("closed_through"))["last"]


class LateDataEntry(models.Model):
    """A field record dated inside a closed period, entered late with its reason."""

    plot = models.ForeignKey(
        "members.Plot", on_delete=models.PROTECT, related_name="+", verbose_name=_("plot")
    )
    field_date = models.DateField(_("date of the field record"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = recorded_by_field(blank=True, verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    accounted_through = models.DateField(
        _("accounted in the period ending"),
        null=True,
        blank=True,
        help_text=_("Set when the next monitoring period is closed."),
    )
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("late data entry")
        verbose_name_plural = _("late data entries")

    def __str__(self):
        return f"{self.field_date}: {self.reason}"


def late_entry_field() -> models.ForeignKey:
    """A field record's LateDataEntry: set only on a record dated inside a closed period."""
    return models.ForeignKey(
        LateDataEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("late data entry"),
    )


def locked_message(closed_through: datetime.date) -> str:
    return _(
        "Field data up to %(date)s belongs to a closed monitoring period and is locked; "
        "record it as late data, with its reason, for the next period."
    ) % {"date": closed_through.isoformat()}


def lock_error(day: datetime.date | None, late_entry_id) -> str | None:
    """The message refusing a record dated `day`, or None when it may be written."""
    if day is None or late_entry_id:
        return None
    closed_through = FieldDataLock.closed_through_date()
    if closed_through is not None and day <= closed_through:
        return locked_message(closed_through)
    return None
