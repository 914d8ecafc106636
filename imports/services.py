"""The one import service behind the staff pages, the Django admin and `manage.py import_data`.

`import_table()` takes a table read from a file, validates every row with the models' own rules
(`full_clean()`), and writes all rows or none: one bad row and nothing is saved, and the report
lists every bad row with its column and the reason. Existing records are found by their natural
keys (DNI or member code, plot code, plot + species + date, plot + visit date) and updated only
when a value differs, so importing the same file twice changes nothing and adds no history.
Rows are written in bulk, with their history rows (django-simple-history's bulk helpers).
"""

from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from core import changes
from imports.columns import IGNORE_UNKNOWN_COLUMNS, KIND_COLUMNS
from imports.importers import IMPORTERS
from imports.importers.base import (
    ImportReport,
    Row,
    RowError,
    match_headers,
)
from imports.readers import Table


def import_table(*, kind: str, table: Table, user=None, dry_run: bool = False) -> ImportReport:
    """Validate a table of `kind`; write it in one transaction unless dry_run or a row is bad."""
    columns = KIND_COLUMNS[kind]
    report = ImportReport(kind=kind, total_rows=len(table.rows), dry_run=dry_run)
    positions = match_headers(
        table.headers, columns, report, ignore_unknown=kind in IGNORE_UNKNOWN_COLUMNS
    )
    if report.errors:
        return report
    if not table.rows:
        report.errors.append(RowError(0, "", _("The file has a header but no data rows.")))
        return report
    numbers = table.row_numbers or range(
        table.first_row_number, table.first_row_number + len(table.rows)
    )
    # A table read from a field-form export names, row by row, the column each value came from.
    row_headers = getattr(table, "row_headers", None) or [None] * len(table.rows)
    rows = [
        Row(
            number,
            {name: (values[pos] if pos < len(values) else None) for name, pos in positions.items()},
            headers,
        )
        for number, values, headers in zip(numbers, table.rows, row_headers, strict=False)
    ]
    headers = {name: table.headers[pos] for name, pos in positions.items()}
    importer = IMPORTERS[kind](report=report, headers=headers, columns=columns, user=user)
    with changes.batch():  # all or nothing, and one summary refresh at the end
        try:
            importer.run(rows)
        except (IntegrityError, DatabaseError) as exc:
            # The models' rules should have caught it; the database's constraints are the net.
            report.errors.append(
                RowError(0, "", _("The database refused the data: %(error)s") % {"error": exc})
            )
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report
