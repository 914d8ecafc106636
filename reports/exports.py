"""One export helper for every report table: CSV, XLSX and PDF, with units in the headers.

Text cells that a spreadsheet would read as a formula (starting with = + - @, or a tab / carriage
return) get a leading apostrophe, so a member named "=HYPERLINK(...)" stays text (OWASP CSV
injection): core.spreadsheets.safe_cell, shared with the admin's exports. Numbers are written as
numbers and never altered.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.numbers import format_plain
from core.spreadsheets import safe_cell
from reports.tables import Column, Table

FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def export_response(
    tables: list[Table], fmt: str, name: str, *, subtitle: str = "", **pdf_options
) -> HttpResponse:
    """The tables as a download named `<name>-<date>.<fmt>`; `pdf_options` go to to_pdf."""
    return file_response(*export_file(tables, fmt, name, subtitle=subtitle, **pdf_options), fmt)


def file_response(filename: str, body: bytes, fmt: str) -> HttpResponse:
    """A download of `body` under `filename`."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_file(
    tables: list[Table], fmt: str, name: str, *, subtitle: str = "", **pdf_options
) -> tuple[str, bytes]:
    """The file name `<name>-<date>.<fmt>` and the bytes: what a download or a job keeps."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "pdf":
        body = to_pdf(tables, subtitle=subtitle, **pdf_options)
    else:
        body = {"csv": to_csv, "xlsx": to_xlsx}[fmt](tables, subtitle=subtitle)
    return f"{slugify(name)}-{timezone.localdate().isoformat()}.{fmt}", body


def row_count(tables: list[Table]) -> int:
    return sum(len(table.rows) for table in tables)


def to_csv(tables: list[Table], *, subtitle: str = "") -> bytes:
    """One table per file is the norm; several are separated by a blank line and their title."""
    out = io.StringIO()
    writer = csv.writer(out)
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([safe_cell(str(table.title))])
        writer.writerow([safe_cell(c.header) for c in table.columns])
        keys = [c.key for c in table.columns]
        writer.writerows([safe_cell(row.get(key)) for key in keys] for row in table.rows)
    # A BOM lets Excel open accented names (Núñez) correctly; csv readers skip it with utf-8-sig.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX_MAX_WIDTH = 60


def xlsx_number_format(value) -> str | None:
    """Excel's format for a number as the pages write it: counts grouped, decimals as held."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        return None
    if isinstance(value, int):
        return "#,##0"
    exponent = Decimal(str(value)).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0." + "0" * places if places else "#,##0"


def to_xlsx(tables: list[Table], *, subtitle: str = "") -> bytes:
    """One sheet per table: bold frozen header row, columns as wide as their text, numbers kept
    as numbers with the number format of the page (1,234.56; 3 decimals stay 3)."""
    workbook = Workbook(write_only=True)
    used = set()
    for table in tables:
        title = _sheet_title(str(table.title), used)
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        rows = table.cells()
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _xlsx_width(
                column, [row[index - 1] for row in rows]
            )
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=safe_cell(column.header))
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            cells = zip(table.columns, row, strict=True)
            sheet.append([_xlsx_cell(sheet, column, value) for column, value in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, column: Column, value):
    value = safe_cell(value)
    number_format = xlsx_number_format(value) if column.numeric else None
    if number_format is None:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _xlsx_width(column: Column, values: list) -> float:
    longest = max([len(column.header)] + [len(plain_text(column, v)) for v in values[:2000]])
    return min(longest + 2, XLSX_MAX_WIDTH)


def _sheet_title(title: str, used: set) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:28] or "Sheet"
    candidate, number = clean, 2
    while candidate in used:
        candidate, number = f"{clean[:25]} {number}", number + 1
    used.add(candidate)
    return candidate


def plain_text(column: Column | None, value) -> str:
    """A cell as the page writes it: numbers of numeric columns grouped in the user's language
    (core.numbers), everything else (years, codes, vintages) as it is: 2008, not "2,008"."""
    if value is None:
        return ""
    if isinstance(value, datetime.date) or (
        column is not None and column.numeric and not isinstance(value, bool)
    ):
        return str(format_plain(value))
    return str(value)


def _latin1(value, column: Column | None = None) -> str:
    # The PDF core fonts cover Latin-1 (Spanish and French accents); anything else becomes "?".
    text = plain_text(column, value).replace("\u202f", "\xa0")
    return text.replace("₂", "2").encode("latin-1", "replace").decode("latin-1")


def to_pdf(
    tables: list[Table],
    *,
    subtitle: str = "",
    orientation: str = "landscape",
    signatures: tuple[str, ...] = (),
    signature_note: str = "",
) -> bytes:
    """The tables on A4; `signatures` adds a line to sign for each label after the tables (a
    receipt: "recibí conforme"), under `signature_note`."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation=orientation, format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    if subtitle:
        pdf.multi_cell(0, 5, _latin1(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        5,
        _latin1(_("Printed on %(date)s") % {"date": plain_text(None, timezone.localdate())}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for table in tables:
        pdf.ln(3)
        pdf.set_font("Helvetica", style="B", size=11)
        pdf.cell(0, 7, _latin1(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=8)
        aligns = ["RIGHT" if c.numeric else "LEFT" for c in table.columns]
        with pdf.table(
            text_align=aligns,
            headings_style=FontFace(emphasis="BOLD"),
            first_row_as_headings=True,
        ) as pdf_table:
            pdf_table.row([_latin1(c.header) for c in table.columns])
            for row in table.cells():
                pdf_table.row([_latin1(v, c) for c, v in zip(table.columns, row, strict=True)])
    if signatures:
        _signature_block(pdf, signatures, signature_note)
    return bytes(pdf.output())


def _signature_block(pdf, labels: tuple[str, ...], note: str) -> None:
    # Kept together on one page: room for the note and a line to sign per label.
    needed = 14 + 14 * len(labels)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    if note:
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.multi_cell(0, 5, _latin1(note), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    for label in labels:
        pdf.ln(10)
        y = pdf.get_y()
        pdf.line(pdf.l_margin + 35, y + 4, pdf.l_margin + 35 + width, y + 4)
        pdf.cell(35, 5, _latin1(label), new_x="LMARGIN", new_y="NEXT")
