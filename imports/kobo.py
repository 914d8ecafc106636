"""Read a KoboToolbox export of the monitoring form: XLSX (every sheet) or CSV.

Kobo's XLSX export has the submissions on its first sheet and one sheet per repeat group; the
`trees` sheet's `_parent_index` points at the submission's `_index`. Column names are the form's
paths joined with `/` (`visit/plot`, `sp3/sp3_alive`, `trees/dbh_cm`); the submission's instance
ID is in `meta/instanceID` (or `_uuid`). Kobo's CSV export holds the submissions only (no trees).
"""

from django.utils.translation import gettext as _

from imports.fieldform import FieldExport, cell, last_segment, open_archive
from imports.readers import (
    MAX_ROWS,
    DataFileError,
    Table,
    open_workbook,
    read_table,
    sheet_table,
    too_many_rows,
)

KOBO_KIND = "kobo"
TREES_SHEET = "trees"


def read_kobo(content: bytes) -> FieldExport:
    """A Kobo XLSX export (submissions + trees) or a CSV export of the submissions."""
    if content[:4] != b"PK\x03\x04":
        return FieldExport(read_table(content))
    sheets = read_sheets(content)
    if not sheets:
        raise DataFileError(_("The workbook has no sheets."))
    (main_name, submissions), *others = sheets.items()
    trees_name, trees = next(
        (
            (name, table)
            for name, table in others
            if "_parent_index" in map(last_segment, table.headers)
            and "dbh_cm" in map(last_segment, table.headers)
        ),
        (TREES_SHEET, None),
    )
    parents = []
    if trees is not None:
        index_at = _position(submissions.headers, "_index")
        by_index = {}
        for offset, values in enumerate(submissions.rows):
            key = cell(values, index_at) if index_at is not None else offset + 1
            by_index[_key(key)] = offset
        parent_at = _position(trees.headers, "_parent_index")
        parents = [by_index.get(_key(cell(values, parent_at))) for values in trees.rows]
    return FieldExport(submissions, trees, parents, main_name, trees_name)


def _position(headers, name) -> int | None:
    return next((i for i, h in enumerate(headers) if last_segment(h) == name), None)


def _key(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value or "").strip()


def read_sheets(content: bytes) -> dict[str, Table]:
    """Every sheet of a workbook as a table (header row + data rows), in the workbook's order,
    read with the same limits as any spreadsheet (imports.readers.open_workbook)."""
    open_archive(content).close()  # refuses a zip bomb before openpyxl inflates it
    workbook = open_workbook(content)
    tables, total = {}, 0
    try:
        for sheet in workbook.worksheets:
            try:
                table = sheet_table(sheet, "")
            except DataFileError:  # an empty sheet (Kobo adds none, a person may)
                continue
            total += len(table.rows)
            if total > MAX_ROWS:
                raise too_many_rows()
            if any(str(h or "").strip() for h in table.headers):
                table.headers = [str(h or "").strip() for h in table.headers]
                tables[sheet.title] = table
    finally:
        workbook.close()
    return tables
