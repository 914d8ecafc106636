"""Validators for producer and plot data, shared by models, forms and imports."""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

validate_dni = RegexValidator(
    regex=r"^\d{8}$",
    message=_("A DNI has exactly 8 digits."),
    code="invalid_dni",
)

# Peru's bounding box, a little generous: a plot outside it is a typing error (swapped
# latitude/longitude, a missing minus sign), not a real place.
PERU_LAT_MIN, PERU_LAT_MAX = Decimal("-18.40"), Decimal("0.05")
PERU_LON_MIN, PERU_LON_MAX = Decimal("-81.40"), Decimal("-68.60")

validate_ubigeo = RegexValidator(
    regex=r"^\d{6}$",
    message=_("An ubigeo has exactly 6 digits."),
    code="invalid_ubigeo",
)
