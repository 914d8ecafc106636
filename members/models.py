"""Producers, their communities and their plots."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.changes import TrackedQuerySet
from members.models_geo import PlotOverlap, ScreeningResult  # noqa: F401 (models of this app)
from members.models_plot import DERIVED_BOUNDARY_FIELDS, Plot  # noqa: F401 (models of this app)
from members.querysets import MemberQuerySet
from members.text import search_key
from members.validators import (
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
