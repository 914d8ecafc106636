"""Issue 16: PDFs and XLSX write the figures as the pages do (Peru: 1,234.56; years as years),
and XLSX sheets have widths, number formats and a frozen header row."""

import datetime
import io
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from reports.exports import plain_text, to_xlsx
from reports.field import YEAR
from reports.tables import Column, Table

AREA = Column("area_ha", "area", "ha")
NAME = Column("name", "name", numeric=False)
TREES = Column("trees", "trees planted")


def table():
    rows = [
        {
            "year": 2008,
            "name": "Cárdenas Ruiz, Rosa",
            "area_ha": Decimal("3555.16"),
            "trees": 24000,
        },
        {"year": 2009, "name": "Chávez", "area_ha": Decimal("1.50"), "trees": 7},
    ]
    return Table("t", "Members", [YEAR, NAME, AREA, TREES], rows)


def test_pdf_and_page_text_keep_years_and_group_numbers_the_peruvian_way():
    with translation.override("es"):
        assert plain_text(YEAR, 2008) == "2008"  # was "2,008"
        assert plain_text(AREA, Decimal("3555.16")) == "3,555.16"
        assert plain_text(TREES, 24000) == "24,000"
        assert plain_text(NAME, datetime.date(2024, 4, 1)) == "01/04/2024"


def test_xlsx_has_a_frozen_bold_header_widths_and_number_formats():
    workbook = load_workbook(io.BytesIO(to_xlsx([table()])))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width >= len("Cárdenas Ruiz, Rosa")
    assert sheet["C2"].value == Decimal("3555.16") or sheet["C2"].value == 3555.16
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].number_format == "#,##0"
    assert sheet["A2"].value == 2008 and sheet["A2"].number_format == "General"
