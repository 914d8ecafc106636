"""Validators for producer and plot data, shared by models, forms and imports."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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


# Phones give 7 or more decimals; the register keeps 6 (about 11 cm), which is more than a
# phone's GPS can tell. Extra decimals are rounded and the user is told, never silently.
COORDINATE_DECIMALS = 6
DNI_SEPARATORS = str.maketrans("", "", " .\u00a0-")


def normalize_dni(value: str | None) -> str | None:
    """A DNI as typed on paper ("12 345 678", "12.345.678") reduced to its digits' string; the
    length and digits are then checked by validate_dni. Letters are kept, so they are refused."""
    if value is None:
        return None
    return str(value).strip().translate(DNI_SEPARATORS)


def round_coordinate(value: Decimal | None) -> Decimal | None:
    """A latitude or longitude with at most 6 decimals (half-up): -7.1234567 -> -7.123457."""
    if value is None:
        return None
    try:
        return value.quantize(Decimal(1).scaleb(-COORDINATE_DECIMALS), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # too many digits to round: max_digits refuses it with a message
        return value


validate_ubigeo = RegexValidator(
    regex=r"^\d{6}$",
    message=_("An ubigeo has exactly 6 digits."),
    code="invalid_ubigeo",
)
