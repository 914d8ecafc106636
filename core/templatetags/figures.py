"""Figures in templates: {{ n|count }}, {{ t|tonnes }}, {{ a|hectares }}, {{ p|percent }},
{{ amount|money:"PEN" }}. The same functions write the PDFs and XLSX (core/numbers.py)."""

from django import template

from core import numbers

register = template.Library()


register.filter("count", numbers.format_count)
register.filter("tonnes", numbers.format_tonnes)
register.filter("hectares", numbers.format_hectares)
register.filter("percent", numbers.format_percent)
register.filter("money", numbers.format_money)


@register.filter
def decimals(value, places=0):
    """A number with `places` decimals, grouped (wood density 0.612, DBH 12.5)."""
    return numbers.format_number(value, int(places))


@register.filter
def figure(value):
    """Any value as written on a page: numbers grouped, with the decimals they really have
    (0.300000 → 0.3, 225000.000000000 → 225,000); anything else unchanged."""
    return numbers.format_plain(value, trim=True)
