"""Issue 16: Peruvian numbers and money, one set of filters for pages, PDFs and XLSX."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core import numbers


@pytest.fixture
def peru():
    with translation.override("es"):
        yield


def render(text, **context):
    return Template("{% load figures %}" + text).render(Context(context))


def test_spanish_uses_perus_separators_and_dates(peru):
    assert formats.get_format("DECIMAL_SEPARATOR") == "."
    assert formats.get_format("THOUSAND_SEPARATOR") == ","
    assert formats.date_format(datetime.date(2026, 3, 4), "SHORT_DATE_FORMAT") == "04/03/2026"
    # A browser set to es-PE is served the "es" catalogue and the same formats.
    with translation.override("es-pe"):
        assert formats.get_format("DECIMAL_SEPARATOR") == "."


def test_a_localised_decimal_is_never_written_with_a_comma_in_spanish(peru):
    assert render("{{ v }}", v=Decimal("375000.00")) == "375000.00"


@pytest.mark.parametrize(
    ("template", "value", "expected"),
    [
        ("{{ v|hectares }}", Decimal("3555.16"), "3,555.16"),
        ("{{ v|hectares }}", Decimal("2.005"), "2.01"),  # half-up, not truncated
        ("{{ v|count }}", 154865, "154,865"),
        ("{{ v|tonnes }}", Decimal("225000.000000000"), "225,000.000"),
        ("{{ v|tonnes }}", Decimal("0.0004"), "0.000"),
        ("{{ v|percent }}", Decimal("78.04"), "78.0\xa0%"),
        ("{{ v|money:'USD' }}", Decimal("1471133.84"), "USD\xa01,471,133.84"),
        ("{{ v|money:'PEN' }}", Decimal("1234.5"), "S/\xa01,234.50"),
        ("{{ v|figure }}", Decimal("0.300000"), "0.3"),
        ("{{ v|count }}", None, "–"),
    ],
)
def test_filters_write_perus_figures(peru, template, value, expected):
    assert render(template, v=value) == expected


def test_french_keeps_its_own_marks():
    with translation.override("fr"):
        assert numbers.format_hectares(Decimal("3555.16")) == "3\u202f555,16".replace(
            "\u202f", formats.get_format("THOUSAND_SEPARATOR")
        )


def test_a_huge_number_is_shown_not_a_server_error(peru):
    assert numbers.format_tonnes(Decimal("9" * 40)).startswith("9,999,999,999")
