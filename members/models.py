"""Producers, their communities and their plots."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from members import geometry, overlaps
from members.geometry import POLYGON_REQUIRED_ABOVE_HA
from members.models_geo import PlotOverlap, ScreeningResult  # noqa: F401 (models of this app)
from members.querysets import MemberQuerySet, PlotQuerySet
from members.text import search_key
from members.validators import (
    PERU_LAT_MAX,
    PERU_LAT_MIN,
    PERU_LON_MAX,
    PERU_LON_MIN,
    normalize_dni,
    validate_dni,
    validate_ubigeo,
    validate_visible_text,
)

# Text that folds (search_key) to more letters than its own column holds: a name of 20 ligatures
# such as U+FDFA folds to 360 and would overflow `search_text` (a DataError on PostgreSQL).
FOLDS_TOO_LONG = _(
    "This text grows too long once its letters are decomposed for searching; "
    "type it with plain letters."
)


class District(models.TextChoices):
    JUANJUI = "juanjui", "Juanjuí"
    HUICUNGO = "huicungo", "Huicungo"
    PACHIZA = "pachiza", "Pachiza"
    CAMPANILLA = "campanilla", "Campanilla"
    PAJARILLO = "pajarillo", "Pajarillo"


# INEI ubigeo of each district (department 22 San Martín, province 06 Mariscal Cáceres).
DISTRICT_UBIGEO = {
    District.JUANJUI: "220601",
    District.CAMPANILLA: "220602",
    District.HUICUNGO: "220603",
    District.PACHIZA: "220604",
    District.PAJARILLO: "220605",
}


class Community(models.Model):
    """A community or sector ("comité") of the valley, where members live."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[validate_visible_text]
    )
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    ubigeo = models.CharField(
        _("ubigeo"),
        max_length=6,
        blank=True,
        validators=[validate_ubigeo],
        help_text=_("INEI code of the district (6 digits); filled from the district when empty."),
    )
    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.ubigeo:
            self.ubigeo = DISTRICT_UBIGEO.get(self.district, "")
        super().save(*args, **kwargs)

    def clean(self):
        expected = DISTRICT_UBIGEO.get(self.district)
        if not self.ubigeo and expected:
            self.ubigeo = expected  # for the imports, which bulk-create communities
        elif expected and self.ubigeo != expected:
            raise ValidationError(
                {
                    "ubigeo": _("The ubigeo of %(district)s is %(code)s.")
                    % {"district": self.get_district_display(), "code": expected}
                }
            )


# The fields a person records for a member, in the order forms, imports and the API show them.
MEMBER_RECORD_FIELDS = (
    "code",
    "dni",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "phone",
    "community",
    "joined_on",
    "status",
    "organic_certified",
    "organic_certified_on",
    "fairtrade_certified",
    "fairtrade_certified_on",
)


class Member(models.Model):
    """A producer of the cooperative."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("female")
        MALE = "M", _("male")
        OTHER = "X", _("other / not stated")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        WITHDRAWN = "withdrawn", _("withdrawn")

    code = models.CharField(
        _("member code"), max_length=20, unique=True, validators=[validate_visible_text]
    )
    dni = models.CharField(_("DNI"), max_length=8, unique=True, validators=[validate_dni])
    first_name = models.CharField(
        _("first names"), max_length=100, validators=[validate_visible_text]
    )
    last_name = models.CharField(
        _("last names"), max_length=100, validators=[validate_visible_text]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="members", verbose_name=_("community")
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    organic_certified = models.BooleanField(_("organic certified"), default=False)
    organic_certified_on = models.DateField(_("organic certified on"), null=True, blank=True)
    fairtrade_certified = models.BooleanField(_("fair-trade certified"), default=False)
    fairtrade_certified_on = models.DateField(_("fair-trade certified on"), null=True, blank=True)
    # Folded copy of names, DNI and code: lets SQLite and PostgreSQL alike search without
    # accents ("Nuñez" finds "Núñez") with a plain LIKE. Kept in step by save().
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        # search_text starts with the folded surname and first names: accents do not reorder.
        ordering = ["search_text"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(dni__regex=r"^[0-9]{8}$"), name="member_dni_8_digits"
            ),
            models.CheckConstraint(
                condition=Q(organic_certified=True) | Q(organic_certified_on__isnull=True),
                name="member_organic_date_needs_certification",
            ),
            models.CheckConstraint(
                condition=Q(fairtrade_certified=True) | Q(fairtrade_certified_on__isnull=True),
                name="member_fairtrade_date_needs_certification",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def sort_name(self) -> str:
        """ "Surname, First names", the way lists are sorted and pickers label a member."""
        return f"{self.last_name}, {self.first_name}"

    def picker_label(self) -> str:
        """ "Cárdenas Ruiz, Rosa — M-0001 — 12345678": what every member picker shows."""
        return f"{self.sort_name} — {self.code} — {self.dni}"

    def build_search_text(self) -> str:
        # Surname first: the folded key also sorts lists ("Cárdenas" before "Chávez").
        return search_key(self.last_name, self.first_name, self.dni, self.code)

    def clean_fields(self, exclude=None):
        # "12 345 678" is a DNI written with separators, not a wrong DNI.
        self.dni = normalize_dni(self.dni)
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("The birth date cannot be in the future.")
        if self.joined_on and self.joined_on > today:
            errors["joined_on"] = _("The joining date cannot be in the future.")
        if self.birth_date and self.joined_on and self.joined_on < self.birth_date:
            errors["joined_on"] = _("The joining date cannot be before the birth date.")
        for flag, date_field in (
            ("organic_certified", "organic_certified_on"),
            ("fairtrade_certified", "fairtrade_certified_on"),
        ):
            if getattr(self, date_field) and not getattr(self, flag):
                errors[date_field] = _("A certification date needs the certification ticked.")
        # Each part of search_text within its own column's length keeps the whole within 300.
        for name in ("code", "first_name", "last_name"):
            value = getattr(self, name)
            if value and len(search_key(value)) > self._meta.get_field(name).max_length:
                errors[name] = FOLDS_TOO_LONG
        if errors:
            raise ValidationError(errors)

    def validate_unique(self, exclude=None):
        # Name the member who already holds a DNI, so staff can find the duplicate record.
        try:
            super().validate_unique(exclude)
        except ValidationError as exc:
            if "dni" in exc.error_dict and self.dni:
                holder = Member.objects.exclude(pk=self.pk).filter(dni=self.dni).first()
                if holder:
                    exc.error_dict["dni"] = [
                        ValidationError(
                            _("DNI %(dni)s is already registered to %(member)s."),
                            code="unique",
                            params={"dni": self.dni, "member": str(holder)},
                        )
                    ]
            raise


DERIVED_BOUNDARY_FIELDS = (
    "boundary_area_ha",
    "boundary_min_lon",
    "boundary_min_lat",
    "boundary_max_lon",
    "boundary_max_lat",
)


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
        Member, on_delete=models.PROTECT, related_name="plots", verbose_name=_("member")
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
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=PERU_LAT_MIN, latitude__lte=PERU_LAT_MAX),
                name="plot_latitude_in_peru",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=PERU_LON_MIN, longitude__lte=PERU_LON_MAX),
                name="plot_longitude_in_peru",
            ),
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
