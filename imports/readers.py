"""Read an uploaded spreadsheet into a header row and data rows, whatever its format.

CSV in UTF-8 (with or without BOM) or Latin-1 / Windows-1252, separated by commas, semicolons
(Spanish-locale Excel) or tabs; or XLSX (first sheet). The format is detected from the content,
not trusted from the file name.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# The widest real export (a field form with every species group) has a few hundred columns.
MAX_COLUMNS = 1_000
# An XLSX is a zip: its parts are checked before anything is unpacked. Worksheets are streamed
# row by row; every other part (shared strings, styles) is loaded whole, so it is kept small.
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_XLSX_PART_BYTES = 16 * 1024 * 1024
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
    return table


def too_many_rows() -> DataFileError:
    return DataFileError(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": f"{MAX_ROWS:,}"}
    )


def too_many_columns(line: int, count: int) -> DataFileError:
    return DataFileError(
        _("Line %(line)s has %(count)s columns; the limit is %(limit)s.")
        % {"line": line, "count": f"{count:,}", "limit": f"{MAX_COLUMNS:,}"}
    )


def collect(records, *, pad_to_header: bool, empty_message) -> Table:
    """Header and data rows from an iterator of records, refusing oversized tables early.

    Rows that are entirely blank (trailing lines of a spreadsheet) are not data; the line numbers
    of the rows kept are remembered so that errors still name the file's own lines.
    """
    header = None
    rows, numbers = [], []
    for line, record in enumerate(records, start=1):
        if len(record) > MAX_COLUMNS:
            raise too_many_columns(line, len(record))
        if header is None:
            header = list(record)
            continue
        if not any(_filled(value) for value in record):
            continue
        if len(rows) >= MAX_ROWS:
            raise too_many_rows()
        rows.append(record)
        numbers.append(line)
    if header is None:
        raise DataFileError(empty_message)
    if pad_to_header:
        width = len(header)
        rows = [[_xlsx_value(v) for v in (list(row) + [None] * width)[:width]] for row in rows]
    else:
        rows = [list(row) for row in rows]
    return Table(header, rows, row_numbers=numbers)


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
    if first_line.count(delimiter) >= MAX_COLUMNS:
        raise too_many_columns(1, first_line.count(delimiter) + 1)
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        table = collect(records, pad_to_header=False, empty_message=_("The file is empty."))
    except csv.Error as exc:
        raise DataFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    table.encoding, table.delimiter = encoding, delimiter
    return table


def open_workbook(content: bytes):
    """The workbook, opened read-only once its parts and every sheet's rows were checked."""
    from openpyxl.reader.excel import ExcelReader

    try:
        reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
        reader.read_manifest()
        check_xlsx_parts(reader)
        # openpyxl sizes every sheet when it opens the workbook, parsing a whole sheet that
        # declares no dimension: the rows are counted first, quickly.
        reader.read_workbook()
        names = set(reader.archive.namelist())
        for _sheet, rel in reader.parser.find_sheets():
            if rel.target in names:
                count_rows(reader.archive, rel.target)
        reader.read()
    except DataFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError) as exc:
        raise DataFileError(
            _("This file is not a readable XLSX workbook (%(error)s).") % {"error": exc}
        ) from exc
    return reader.wb


def sheet_table(sheet, empty_message) -> Table:
    """One sheet as a table, its declared dimension not trusted (A1:XFD1048576 in a hostile file):
    without it openpyxl yields each row only as wide as its last cell and pads no missing rows."""
    sheet.reset_dimensions()
    table = collect(
        sheet.iter_rows(values_only=True), pad_to_header=True, empty_message=empty_message
    )
    table.encoding = "xlsx"
    return table


def _read_xlsx(content: bytes) -> Table:
    workbook = open_workbook(content)
    empty = _("The first sheet of the workbook is empty.")
    try:
        if not workbook.worksheets:
            raise DataFileError(empty)
        return sheet_table(workbook.worksheets[0], empty)
    finally:
        workbook.close()


ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def count_rows(archive: zipfile.ZipFile, path: str) -> None:
    """Refuse a sheet with too many rows by counting its row tags in the unpacked stream.

    Unpacking and counting takes a fraction of a second where openpyxl needs half a minute to
    build a million rows. A tag cut by a chunk boundary is missed; the reader counts exactly.
    """
    count = 0
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            count += len(ROW_TAG.findall(chunk))
            if count > MAX_ROWS + 1:
                raise too_many_rows()


def check_xlsx_parts(reader) -> None:
    """Refuse a workbook whose unpacked parts would be too big, before unpacking any."""
    from openpyxl.xml.constants import SHARED_STRINGS

    parts = reader.archive.infolist()
    total = sum(info.file_size for info in parts)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise DataFileError(
            _("This workbook unpacks to %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{total / 1e6:,.0f}", "limit": MAX_XLSX_UNCOMPRESSED_BYTES // 2**20}
        )
    strings = reader.package.find(SHARED_STRINGS)
    strings_path = strings.PartName.lstrip("/") if strings is not None else ""
    for info in parts:
        streamed = info.filename.startswith("xl/worksheets/") and info.filename != strings_path
        if not streamed and info.file_size > MAX_XLSX_PART_BYTES:
            raise DataFileError(
                _("The part %(part)s of this workbook unpacks to %(size)s MB; the limit is "
                  "%(limit)s MB (too much text in the cells?).")
                % {"part": info.filename, "size": f"{info.file_size / 1e6:,.0f}",
                   "limit": MAX_XLSX_PART_BYTES // 2**20}
            )  # fmt: skip


def _xlsx_value(value):
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value
