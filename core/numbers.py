"""One way to write the figures, used by pages (the `figures` template filters), PDFs and XLSX.

Counts are grouped (1,688), tonnes have 3 decimals, hectares 2, percentages 1, money 2 with its
currency in front ("S/ 1,234.56", "USD 1,234.56"). Separators follow the active language's format
module (Spanish: Peru's, core/formats/es_PE). Values are rounded half-up, never truncated.
"""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, translation

TONNES_DECIMALS = 3
HECTARES_DECIMALS = 2
PERCENT_DECIMALS = 1
MONEY_DECIMALS = 2
CURRENCY_SYMBOLS = {"PEN": "S/"}
# Excel number formats for the same kinds (the file keeps the number; Excel shows it this way).
XLSX_FORMATS = {
    "count": "#,##0",
    "tonnes": "#,##0.000",
    "hectares": "#,##0.00",
    "percent": "0.0",
    "money": "#,##0.00",
    "year": "0",
}
EMPTY = "–"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value, decimals: int | None = 0) -> str:
    """`value` grouped with the language's separators and rounded half-up to `decimals`
    (None: as many decimals as the value has). "–" when there is no number."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    if decimals is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than Decimal's precision: shown as it is
            decimals = None
    decimal_separator, thousand_separator, grouping = _separators(translation.get_language())
    if grouping != 3 or not number.is_finite():
        return formats.number_format(number, decimals, use_l10n=True, force_grouping=True)
    # What formats.number_format writes, from Python's own grouping: a report of 1,000 cells
    # spent 25 ms in number_format's per-call format lookups (bench/README.md, issue 13).
    text = f"{number:,f}"
    return text.replace(",", "\0").replace(".", decimal_separator).replace("\0", thousand_separator)


@functools.lru_cache(maxsize=32)
def _separators(language: str | None) -> tuple[str, str, int]:
    return (
        formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        formats.get_format("NUMBER_GROUPING", language, use_l10n=True),
    )


def format_count(value) -> str:
    return format_number(value, 0)


def format_tonnes(value) -> str:
    return format_number(value, TONNES_DECIMALS)


def format_hectares(value) -> str:
    return format_number(value, HECTARES_DECIMALS)


def format_percent(value) -> str:
    """ "12.5 %" (a space before the sign, as Spanish and French write it)."""
    text = format_number(value, PERCENT_DECIMALS)
    return text if text == EMPTY else f"{text}\xa0%"


def currency_symbol(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(str(currency or "").upper(), str(currency or "").upper())


def format_money(value, currency: str = "") -> str:
    """ "S/ 1,234.56" for soles, "USD 1,234.56" for the others (a no-break space between)."""
    text = format_number(value, MONEY_DECIMALS)
    symbol = currency_symbol(currency)
    if text == EMPTY or not symbol:
        return text
    return f"{symbol}\xa0{text}"


def format_plain(value, *, trim: bool = False):
    """A number grouped with the decimals it holds (1.50 stays 1.50; `trim`: 0.300000 -> 0.3);
    a date as dd/mm/yyyy; anything else as it is."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    number = Decimal(str(value))
    exponent = (number.normalize() if trim else number).as_tuple().exponent
    return format_number(number, max(0, -exponent) if isinstance(exponent, int) else None)


FORMATTERS = {
    "count": format_count,
    "tonnes": format_tonnes,
    "hectares": format_hectares,
    "percent": format_percent,
    "year": lambda value: EMPTY if value is None else str(value),
}
