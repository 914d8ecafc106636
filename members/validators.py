"""Validators for producer and plot data, shared by models, forms and imports."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from members.text import invisible_characters

validate_dni = RegexValidator(
    regex=r"^\d{8}$",
    message=_("A DNI has exactly 8 digits."),
    code="invalid_dni",
)

# Peru's bounding box, a little generous: a plot outside it is a typing error (swapped
# latitude/longitude, a missing minus sign), not a real place.
PERU_LAT_MIN, PERU_LAT_MAX = Decimal("-18.40"), Decimal("0.05")
PERU_LON_MIN, PERU_LON_MAX = Decimal("-81.40"), Decimal("-68.60")


def validate_visible_text(value: str) -> None:
    """Codes and names: refuse invisible formatting characters rather than strip them (a value
    is never silently changed). Forms, the admin, imports and the API all run it."""
    found = invisible_characters(value or "")
    if found:
        raise ValidationError(
            _(
                "Remove the invisible characters (%(characters)s): zero-width spaces, direction "
                "marks and other formatting characters are not allowed here."
            ),
            code="invisible_characters",
            params={"characters": ", ".join(found)},
        )
