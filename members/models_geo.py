"""What the plots' boundaries reveal: overlaps between plots, and deforestation screening results.

Imported by members/models.py (same app); the foreign keys name "members.Plot" so this module
needs nothing from it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from core.models import recorded_by_field


class PlotOverlap(models.Model):
    """Two plots whose boundaries overlap beyond PLOT_OVERLAP_TOLERANCE_M2.

    One row per pair (the lower plot id first), kept by members.services whenever a boundary
    changes, so the plot problems page lists overlaps without recomputing any geometry.
    """

    plot = models.ForeignKey(
        "members.Plot", on_delete=models.CASCADE, related_name="+", verbose_name=_("plot")
    )
    other_plot = models.ForeignKey(
        "members.Plot", on_delete=models.CASCADE, related_name="+", verbose_name=_("other plot")
    )
    overlap_m2 = models.DecimalField(_("overlap (m²)"), max_digits=12, decimal_places=1)
    found_at = models.DateTimeField(_("found at"), auto_now=True)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-overlap_m2"]
        verbose_name = _("plot overlap")
        verbose_name_plural = _("plot overlaps")
        constraints = [
            models.UniqueConstraint(fields=["plot", "other_plot"], name="plot_overlap_once"),
            models.CheckConstraint(
                condition=Q(plot__lt=F("other_plot")), name="plot_overlap_ordered_pair"
            ),
        ]

    def __str__(self):
        return f"{self.plot_id} ∩ {self.other_plot_id}: {self.overlap_m2} m²"

    @property
    def overlap_ha(self):
        return self.overlap_m2 / 10_000


class ScreeningResult(models.Model):
    """Deforestation-free evidence for a plot from an external tool (e.g. a Whisp CSV row)."""

    class Result(models.TextChoices):
        NO_LOSS = "no_loss", _("no forest loss after 2020")
        LOSS = "loss", _("forest loss after 2020")
        INCONCLUSIVE = "inconclusive", _("inconclusive")

    plot = models.ForeignKey(
        "members.Plot",
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("plot"),
    )
    screened_on = models.DateField(_("screened on"))
    source = models.CharField(
        _("source"), max_length=100, help_text=_("Tool and version, e.g. Whisp 2.0.")
    )
    result = models.CharField(_("result"), max_length=15, choices=Result.choices)
    details = models.TextField(_("details"), blank=True)
    recorded_by = recorded_by_field(
        on_delete=models.PROTECT, blank=True, verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["plot", "-screened_on"]
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        constraints = [
            models.UniqueConstraint(
                fields=["plot", "screened_on", "source"], name="screening_once_per_day_and_source"
            )
        ]

    def __str__(self):
        return f"{self.screened_on} {self.source}: {self.get_result_display()}"
