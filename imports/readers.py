"""Read an uploaded spreadsheet into a header row and data rows, whatever its format.

CSV in UTF-8 (with or without BOM) or Latin-1 / Windows-1252, separated by commas, semicolons
(Spanish-locale Excel) or tabs; or XLSX (first sheet). The format is detected from the content,
not trusted from the file name.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx", ".zip")  # .zip: ODK Central exports


class DataFileError(ValueError):
    """The file cannot be read as a table: the message says why, for the user."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list]  # cell values: str, or int/float/date from XLSX
    first_row_number: int = 2  # spreadsheet line of rows[0] (the header is line 1)
    encoding: str = ""
    delimiter: str = ""
    row_numbers: list[int] | None = None  # when rows do not follow the file's lines one to one


def read_table(content: bytes, filename: str = "") -> Table:
    """Parse the bytes of a CSV or XLSX file; raise DataFileError with a clear message."""
    if not content.strip():
        raise DataFileError(_("The file is empty."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise DataFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(content) / 1e6, 1), "limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DataFileError(
            _("Old Excel files (.xls) are not supported: save the sheet as .xlsx or CSV.")
        )
    elif b"\x00" in content[:4096]:
        raise DataFileError(
            _("This is not a CSV or XLSX file (or it is CSV in UTF-16: save it as UTF-8).")
        )
    else:
        table = _read_csv(content)
    table.headers = [str(h or "").strip() for h in table.headers]
    if not any(table.headers):
        raise DataFileError(_("The first line must hold the column names."))
    # Rows that are entirely blank (trailing lines of a spreadsheet) are not data.
    table.rows = [row for row in table.rows if any(_filled(value) for value in row)]
    if len(table.rows) > MAX_ROWS:
        raise DataFileError(
            _("The file has %(count)s rows; the limit is %(limit)s. Split it into smaller files.")
            % {"count": len(table.rows), "limit": MAX_ROWS}
        )
    return table


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


def decode(content: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 when it decodes, otherwise Windows-1252 / Latin-1."""
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "latin-1"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"


def _read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    first_line = text.split("\n", 1)[0]
    # The separator is the one that splits the header line most; a comma inside a Spanish
    # decimal ("2,5") is never in a header.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DataFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    if not records:
        raise DataFileError(_("The file is empty."))
    return Table(records[0], records[1:], encoding=encoding, delimiter=delimiter)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise DataFileError(
            _("This file is not a readable XLSX workbook (%(error)s).") % {"error": exc}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        records = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not records:
        raise DataFileError(_("The first sheet of the workbook is empty."))
    width = len(records[0])
    rows = [[_xlsx_value(v) for v in (row + [None] * width)[:width]] for row in records[1:]]
    return Table(records[0], rows, encoding="xlsx")


def _xlsx_value(value):
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value
