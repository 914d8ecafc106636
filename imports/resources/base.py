"""django-import-export glue: the admin's Import button runs imports.services too.

A resource here keeps import-export's file reading, preview and confirm screens, but hands the
rows to `import_table()`, so the admin obeys the same natural keys, checks, all-or-nothing rule
and bulk writes with history as the staff pages and `manage.py import_data`. Export uses the
same English column names, so an exported file imports back unchanged, except that text a
spreadsheet would run as a formula gets a leading apostrophe (core.spreadsheets, as the report
exports; import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=").
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from import_export import resources
from import_export.results import Error, Result, RowResult

from core.spreadsheets import neutralise_formula
from imports.readers import Table
from imports.services import import_table


class ServiceResource(resources.ModelResource):
    kind = ""

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        # Only text columns: a negative number is rendered as text too, and must stay a number.
        if isinstance(value, str) and isinstance(self.raw_value(field, instance), str):
            return neutralise_formula(value)
        return value

    @staticmethod
    def raw_value(field, instance):
        try:
            return field.get_value(instance) if field.attribute else None
        except Exception:  # noqa: BLE001 (a missing relation exports as empty, as in import-export)
            return None

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        headers = [str(h or "") for h in (dataset.headers or [])]
        table = Table(headers=headers, rows=[list(row) for row in dataset])
        report = import_table(kind=self.kind, table=table, user=kwargs.get("user"), dry_run=dry_run)
        return self.as_result(report, table)

    def as_result(self, report, table) -> Result:
        result = Result()
        result.diff_headers = table.headers
        result.total_rows = report.total_rows
        result.totals[RowResult.IMPORT_TYPE_NEW] = report.created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
        result.totals[RowResult.IMPORT_TYPE_SKIP] = report.unchanged
        by_row = defaultdict(lambda: defaultdict(list))
        for error in report.errors:
            if error.row <= 1:  # the header or the file as a whole
                message = f"{error.column}: {error.message}" if error.column else error.message
                result.append_base_error(Error(ValueError(message)))
            else:
                by_row[error.row][error.column or "__all__"].append(error.message)
        for number, errors in sorted(by_row.items()):
            index = number - table.first_row_number
            values = table.rows[index] if 0 <= index < len(table.rows) else []
            row = dict(zip(table.headers, values, strict=False))
            result.append_invalid_row(number, row, ValidationError(dict(errors)))
        result.totals[RowResult.IMPORT_TYPE_INVALID] = len(by_row)
        return result
