"""Reading what a page or a downloaded file shows, for the browser tests: figures as Peru's
Spanish pages write them, table cells by section, CSV and XLSX downloads (PDFs:
tests/dashboard/pdf.py)."""

import csv
import io
import re
from decimal import Decimal

import openpyxl


def number(text: str) -> Decimal:
    """A figure as Peru's Spanish pages show it: "1,273", "USD 3,521.10", "S/ 12.50"."""
    digits = re.sub(r"[^\d.\-]", "", text)
    assert digits, f"no number in {text!r}"
    return Decimal(digits)


def cells(page, rows_selector: str) -> list[list[str]]:
    """Text of every cell of the rows matched, row by row."""
    return page.locator(rows_selector).evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))"
    )


def table_rows(page, section: str) -> list[list[str]]:
    """The body rows of a report table, by the table's slug (its section id)."""
    return cells(page, f"section#{section} table tbody tr")


def table_headers(page, section: str) -> list[str]:
    return cells(page, f"section#{section} table thead tr")[0]


def row_named(rows: list[list[str]], name: str) -> list[str]:
    matches = [row for row in rows if row[0] == name]
    assert len(matches) == 1, f"{name!r} in {rows}"
    return matches[0]


def follow(page, selector: str):
    """Click a link or a submit button and wait for the page it opens to load. A bare click can
    return while the old page is still shown, and the next read would find the old page's rows."""
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


def apply_filters(page, *, community: str | None = None, date_from=None, date_to=None):
    """Fill the shared report filter form and press its Apply button."""
    if community:
        page.select_option("#id_community", label=community)
    if date_from:
        page.fill("#id_date_from", date_from.isoformat())
    if date_to:
        page.fill("#id_date_to", date_to.isoformat())
    follow(page, "main form:has(#id_community) button[type=submit]")


def download(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(selector)
    got = info.value
    with open(got.path(), "rb") as file:
        return got.suggested_filename, file.read()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
