"""Formula injection (OWASP "CSV injection"): the one function every export path runs.

A text cell starting with = + - @, a tab or a carriage return is read by a spreadsheet as a
formula (`=HYPERLINK(...)`, `+1+cmd|' /C calc'!A0`); a leading apostrophe keeps it text. The
report exports (reports/exports.py) and the admin's django-import-export exports
(imports/resources/base.py) both go through `neutralise_formula()`. Numbers and dates are written
as numbers and dates, never altered.
"""

import datetime
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Written as they are; checked by exact type first, the commonest cells (an export of 18,000
# members has 200,000 of them), before the isinstance() checks below.
AS_IS = frozenset({int, float, Decimal, datetime.date})


def neutralise_formula(text: str) -> str:
    """text, with a leading apostrophe when a spreadsheet would take it for a formula."""
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def safe_cell(value):
    """A value ready for a spreadsheet: numbers and dates as they are, risky text neutralised."""
    kind = type(value)
    if kind in AS_IS:
        return value
    if kind is str:
        return neutralise_formula(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | datetime.date):
        return value
    return neutralise_formula(str(value))
