"""Turn spreadsheet cells into typed values, or a translated message saying why not.

Cells come as text (CSV) or as numbers and dates (XLSX). Spanish habits are accepted: dates as
DD/MM/YYYY, a decimal comma ("2,5"), "sí"/"no", and Spanish names of choices.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from members.text import search_key


class CellError(ValueError):
    """A cell that cannot be read; the message is for the user."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # XLSX turns a code like 44556677 or 0001 typed as a number into a float.
        return str(int(value))
    return str(value).strip()


def is_blank(value) -> bool:
    return text(value) == ""


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y")


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if not raw:
        return None
    # Field forms send ISO date-times ("2024-05-01T10:12:00.000-05:00"): the day is enough.
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw):
        raw = raw[:10]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date (use YYYY-MM-DD or DD/MM/YYYY).") % {"value": raw})


def parse_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    raw = text(value).replace(" ", "").replace("\u00a0", "")
    if not raw:
        return None
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")  # decimal comma
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": text(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": text(value)})
    return number


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": text(value)})
    return int(number)


TRUE_WORDS = {"1", "yes", "y", "si", "s", "true", "verdadero", "x", "ok"}
FALSE_WORDS = {"0", "no", "n", "false", "falso", ""}


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = search_key(text(value)).strip()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("“%(value)s” is not yes or no (sí / no).") % {"value": text(value)})


def parse_choice(value, choices, spanish: dict[str, str] | None = None) -> str:
    """A choice by its stored value, its English label or a Spanish word; "" when blank."""
    raw = text(value)
    if not raw:
        return ""
    wanted = search_key(raw).strip()
    for stored, label in choices:
        if wanted in (search_key(stored), search_key(str(label))):
            return stored
    if spanish and wanted in spanish:
        return spanish[wanted]
    allowed = ", ".join(stored for stored, _label in choices if stored)
    raise CellError(
        _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}
    )


SPANISH_CHOICES = {
    "gender": {"mujer": "F", "femenino": "F", "hombre": "M", "masculino": "M", "otro": "X"},
    "status": {"activo": "active", "inactivo": "inactive", "retirado": "withdrawn"},
    "land_use": {
        "cana": "sugarcane",
        "cana de azucar": "sugarcane",
        "purma": "purma",
        "bosque": "forest",
    },
    "arrangement": {
        "disperso": "dispersed",
        "linea": "line",
        "lineas": "line",
        "en lineas": "line",
        "borde": "border",
        "lindero": "border",
    },
    "loss_cause": {
        "ninguna": "",
        "sequia": "drought",
        "inundacion": "flood",
        "plagas": "pests",
        "plaga": "pests",
        "enfermedad": "disease",
        "fuego": "fire",
        "incendio": "fire",
        "talado": "felled",
        "tala": "felled",
        "animales": "animals",
        "otro": "other",
        "otra": "other",
    },
}
