"""A member's plot: its area, place, land use, boundary and deforestation-free evidence (the
boundary's geometry in members/geometry.py, overlaps in members/overlaps.py)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members import geometry, overlaps
from members.geometry import POLYGON_REQUIRED_ABOVE_HA
from members.models_geo import PlotOverlap
from members.querysets import PlotQuerySet
from members.validators import (
    PERU_LAT_MAX,
    PERU_LAT_MIN,
    PERU_LON_MAX,
    PERU_LON_MIN,
    validate_visible_text,
)

DERIVED_BOUNDARY_FIELDS = (
    "boundary_area_ha",
    "boundary_min_lon",
    "boundary_min_lat",
    "boundary_max_lon",
    "boundary_max_lat",
)


def point_in_peru_constraints(prefix: str) -> list[models.CheckConstraint]:
    """`latitude` and `longitude` empty or inside Peru's bounds, for every model with a point
    (named `<prefix>_latitude_in_peru`, `<prefix>_longitude_in_peru`)."""
    bounds = {"latitude": (PERU_LAT_MIN, PERU_LAT_MAX), "longitude": (PERU_LON_MIN, PERU_LON_MAX)}
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True})
            | Q(**{f"{name}__gte": low, f"{name}__lte": high}),
            name=f"{prefix}_{name}_in_peru",
        )
        for name, (low, high) in bounds.items()
    ]


class Plot(models.Model):
    """A parcel farmed by a member, where trees are planted."""

    # Smallholders in the programme farm a few hectares; more than this is possible but usually a
    # slip of the decimal mark, so forms ask for confirmation (core.forms.PlausibilityMixin).
    AREA_HA_PLAUSIBLE_MAX = Decimal("50")

    class LandUse(models.TextChoices):
        CACAO = "cacao", _("cacao")
        SUGARCANE = "sugarcane", _("sugarcane")
        PURMA = "purma", _("purma (fallow)")
        FOREST = "forest", _("forest")

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="plots", verbose_name=_("member")
    )
    code = models.CharField(
        _("plot code"), max_length=30, unique=True, validators=[validate_visible_text]
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, validators=[validate_visible_text]
    )
    land_use = models.CharField(_("land use"), max_length=10, choices=LandUse.choices)
    area_ha = models.DecimalField(
        _("area (ha)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0.01)],
        help_text=_("Area in hectares."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    boundary_geojson = models.JSONField(
        _("boundary (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_(
            "Polygon of the plot, as a GeoJSON geometry in WGS84 longitude/latitude with at "
            "least 6 decimals. Needed for plots over 4 ha (EUDR)."
        ),
    )
    altitude_m = models.PositiveIntegerField(
        _("altitude (m)"), null=True, blank=True, help_text=_("Metres above sea level.")
    )
    land_use_2020 = models.CharField(
        _("land use on 31 Dec 2020"),
        max_length=10,
        choices=LandUse.choices,
        blank=True,
        help_text=_("EUDR cut-off date: what the land was on 31 December 2020."),
    )
    land_use_2020_declared_by = models.CharField(
        _("land use 2020 declared by"), max_length=100, blank=True
    )
    land_use_2020_declared_on = models.DateField(
        _("land use 2020 declared on"), null=True, blank=True
    )
    # Kept in step with boundary_geojson by save(): pages filter on them in the database and
    # the overlap check finds its candidates by bounding box without reading every polygon.
    boundary_area_ha = models.DecimalField(
        _("polygon area (ha)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    boundary_min_lon = models.FloatField(null=True, editable=False)
    boundary_min_lat = models.FloatField(null=True, editable=False)
    boundary_max_lon = models.FloatField(null=True, editable=False)
    boundary_max_lat = models.FloatField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=list(DERIVED_BOUNDARY_FIELDS))

    objects = PlotQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        constraints = [
            models.CheckConstraint(condition=Q(area_ha__gt=0), name="plot_area_positive"),
            *point_in_peru_constraints("plot"),
            models.CheckConstraint(
                condition=Q(altitude_m__isnull=True) | Q(altitude_m__lte=6800),
                name="plot_altitude_plausible",
            ),
        ]
        indexes = [
            models.Index(
                fields=["boundary_min_lon", "boundary_max_lon"], name="plot_boundary_lon_idx"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def save(self, *args, **kwargs):
        boundary_changed = getattr(self, "_loaded_boundary", None) != self.boundary_geojson
        if boundary_changed or self._state.adding:
            self.sync_boundary_fields()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = set(update_fields) | set(DERIVED_BOUNDARY_FIELDS)
        super().save(*args, **kwargs)
        if boundary_changed:
            overlaps.refresh_plot_overlaps(plot=self)
        self._loaded_boundary = self.boundary_geojson

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_boundary = instance.__dict__.get("boundary_geojson")
        return instance

    def sync_boundary_fields(self) -> None:
        """Set the polygon's area and bounding box from boundary_geojson (None if broken)."""
        shape = geometry.shape_or_none(self.boundary_geojson) if self.boundary_geojson else None
        if shape is None:
            values = (None,) * len(DERIVED_BOUNDARY_FIELDS)
        else:
            values = (geometry.geodesic_area_ha(shape), *shape.bounds)
        for name, value in zip(DERIVED_BOUNDARY_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def needs_polygon(self) -> bool:
        """Over 4 ha without a usable polygon: the EUDR refuses a point for it."""
        return self.area_ha > POLYGON_REQUIRED_ABOVE_HA and self.boundary_area_ha is None

    @property
    def area_differs(self) -> bool:
        return geometry.area_differs(self.boundary_area_ha, self.area_ha)

    def overlapping_plots(self) -> list[dict]:
        """The other plots this boundary overlaps, with the shared m² (one query)."""
        rows = PlotOverlap.objects.filter(Q(plot=self) | Q(other_plot=self)).select_related(
            "plot__member", "other_plot__member"
        )
        return [
            {
                "plot": row.other_plot if row.plot_id == self.pk else row.plot,
                "overlap_m2": row.overlap_m2,
            }
            for row in rows
        ]

    def clean(self):
        errors = {}
        if self.latitude is not None and not (PERU_LAT_MIN <= self.latitude <= PERU_LAT_MAX):
            errors["latitude"] = _(
                "Latitude %(value)s is outside Peru (between %(min)s and %(max)s)."
            ) % {"value": self.latitude, "min": PERU_LAT_MIN, "max": PERU_LAT_MAX}
        if self.longitude is not None and not (PERU_LON_MIN <= self.longitude <= PERU_LON_MAX):
            errors["longitude"] = _(
                "Longitude %(value)s is outside Peru (between %(min)s and %(max)s)."
            ) % {"value": self.longitude, "min": PERU_LON_MIN, "max": PERU_LON_MAX}
        if (self.latitude is None) != (self.longitude is None):
            errors.setdefault("longitude", _("Give both latitude and longitude, or neither."))
        if self.altitude_m is not None and self.altitude_m > 6800:
            errors["altitude_m"] = _("No farm in Peru lies above 6,800 m.")
        if self.boundary_geojson not in (None, ""):
            try:
                geometry.check_boundary(
                    self.boundary_geojson,
                    latitude=None if "latitude" in errors else self.latitude,
                    longitude=None if "longitude" in errors else self.longitude,
                )
            except ValidationError as exc:
                errors["boundary_geojson"] = exc.messages
        declared = (self.land_use_2020, self.land_use_2020_declared_by)
        if any(declared) or self.land_use_2020_declared_on:
            if not all(declared) or not self.land_use_2020_declared_on:
                errors["land_use_2020"] = _(
                    "Give the land use on 31 Dec 2020, who declared it and when, or none of them."
                )
            elif self.land_use_2020_declared_on > timezone.localdate():
                errors["land_use_2020_declared_on"] = _(
                    "The declaration date cannot be in the future."
                )
        if errors:
            raise ValidationError(errors)
