"""The pieces every importer is built from: the report, rows, header matching, the base class.

imports.services.import_table runs an importer; the importers (imports/importers/) subclass
BaseImporter."""

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from imports.columns import (
    Column,
    header_key,
    header_lookup,
)
from imports.importers.common import fold
from imports.parsing import CellError, text

SAMPLE_ROWS = 20
BATCH_SIZE = 2000
# Errors kept in a report (and shown, stored with the upload); past these only counted, so a
# file with an error in every cell cannot produce a report of hundreds of megabytes.
MAX_STORED_ERRORS = 1000


@dataclass
class RowError:
    row: int  # line of the spreadsheet (the header is line 1); 0 for the file as a whole
    column: str  # the column as headed in the file; "" for the whole row
    message: str


@dataclass
class FilledValue:
    """A value the file did not give, filled in by the import (a generated member code...)."""

    row: int
    column: str
    value: str


@dataclass
class ImportReport:
    """What an import did, or would do: counts, every error, and a sample of rows."""

    kind: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    filled: list[FilledValue] = field(default_factory=list)
    sample: list[dict] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    more_errors: int = 0  # errors past MAX_STORED_ERRORS, counted but not kept
    failed_rows: int = 0  # rows with at least one error, kept or not

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.more_errors

    @property
    def error_rows(self) -> int:
        return max(self.failed_rows, len({e.row for e in self.errors if e.row}))

    def add_error(self, error: RowError) -> None:
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)
        else:
            self.more_errors += 1

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["errors"] = [RowError(**e) for e in data.get("errors", [])]
        data["filled"] = [FilledValue(**f) for f in data.get("filled", [])]
        return cls(**data)


class Row:
    """One data row: its line number and its cells keyed by column name."""

    def __init__(self, number: int, cells: dict, headers: dict | None = None):
        self.number = number
        self.cells = cells
        self.headers = headers or {}  # column name -> header, when it differs row by row
        self.failed = False
        self.bad_fields: set[str] = set()  # model fields whose cell could not be read

    def has(self, name: str) -> bool:
        return name in self.cells


def match_headers(
    headers: list[str], columns, report: ImportReport, *, ignore_unknown: bool = False
) -> dict[str, int]:
    """Column name -> position in the file; unknown, repeated or missing columns are errors."""
    lookup = header_lookup(columns)
    positions: dict[str, int] = {}
    unknown = []
    for position, header in enumerate(headers):
        if not header:
            continue
        column = lookup.get(header_key(header))
        if column is None:
            if not ignore_unknown:
                unknown.append(header)
        elif column.name in positions:
            report.add_error(RowError(1, header, _("This column appears twice in the header.")))
        else:
            positions[column.name] = position
    expected = ", ".join(f"{c.name} / {c.spanish}" for c in columns)
    for header in unknown:
        report.add_error(
            RowError(
                1,
                header,
                _("Unknown column. The columns of this kind are: %(columns)s.")
                % {"columns": expected},
            )
        )
    for column in columns:
        if column.required and column.name not in positions:
            report.add_error(
                RowError(
                    1,
                    column.name,
                    _("Missing column “%(name)s” (or “%(spanish)s”).")
                    % {"name": column.name, "spanish": column.spanish},
                )
            )
    return positions


class BaseImporter(ABC):
    """Shared steps of every kind: read cells, report errors by column, bulk-write with history."""

    # Django checks each CheckConstraint with one query per row; an importer may turn that off
    # when every constraint of its model repeats a validator or clean() rule (the database
    # still enforces them on write).
    ROW_CONSTRAINTS = True

    def __init__(self, *, report: ImportReport, headers: dict, columns: tuple[Column, ...], user):
        self.report = report
        self.headers = headers
        self.columns = {c.name: c for c in columns}
        self.by_model_field = {c.error_field: c.name for c in columns}
        self.user = user

    @abstractmethod
    def run(self, rows: list[Row]) -> None:
        """Validate and write the rows of one kind (each importer in imports/importers/)."""

    # --- errors -------------------------------------------------------------------------
    def error(self, row: Row, column: str, message) -> None:
        if not row.failed:
            self.report.failed_rows += 1
        row.failed = True
        if column in self.columns:
            row.bad_fields.add(self.columns[column].error_field)
        header = (row.headers.get(column) or self.headers.get(column, column)) if column else ""
        self.report.add_error(RowError(row.number, header, str(message)))

    def model_errors(self, row: Row, exc: ValidationError) -> None:
        """Each message of a model's full_clean() at the column it belongs to."""
        for model_field, messages in exc.message_dict.items():
            column = self.by_model_field.get(model_field, "")
            if model_field != NON_FIELD_ERRORS and not column:
                messages = [f"{model_field}: {m}" for m in messages]
            for message in messages:
                self.error(row, column, message)

    def cell(self, row: Row, name: str, parser=text, *args):
        """The parsed value of a cell; None (and an error at that cell) when it cannot be read."""
        try:
            value = parser(row.cells.get(name), *args)
        except CellError as exc:
            self.error(row, name, exc)
            return None
        if self.columns[name].required and value in (None, ""):
            self.error(row, name, _("This value is required."))
            return None
        return value

    def lookup(self, row: Row, column: str, table: dict, message, key=text):
        """The record `table` holds under the cell's value (as `key` folds it); an error at the
        cell, with `message` naming the value, when it names one the table does not hold."""
        value = self.cell(row, column)
        found = table.get(key(value)) if value else None
        if value and found is None:
            self.error(row, column, message % {"value": value})
        return found

    def species_of(self, row: Row, species: dict):
        """The species the row's `species` cell names, from importers.common.species_lookup()."""
        return self.lookup(row, "species", species, _("Unknown species “%(value)s”."), fold)

    def duplicate(self, row: Row, column: str, seen: dict, key) -> bool:
        """Report a natural key already used by an earlier row of the same file."""
        if key in seen:
            self.error(
                row,
                column,
                _("Row %(row)s of this file already has this record; keep one of the two.")
                % {"row": seen[key]},
            )
            return True
        seen[key] = row.number
        return False

    # --- results ------------------------------------------------------------------------
    def filled(self, row: Row, column: str, value) -> None:
        """Say in the report that the import gave this cell a value the file left out."""
        header = self.headers.get(column) or self.columns[column].name
        self.report.filled.append(FilledValue(row.number, header, str(value)))

    def outcome(self, row: Row, action: str, label: str) -> None:
        if action == "create":
            self.report.created += 1
        elif action == "update":
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        if len(self.report.sample) < SAMPLE_ROWS:
            self.report.sample.append({"row": row.number, "action": action, "record": label})

    def validate(self, row: Row, instance, exclude=None) -> bool:
        """The model's full_clean(), leaving out the fields whose cell already has an error."""
        try:
            instance.full_clean(
                exclude=[*(exclude or []), *row.bad_fields],
                validate_constraints=self.ROW_CONSTRAINTS,
            )
        except ValidationError as exc:
            self.model_errors(row, exc)
            return False
        return not row.failed

    def check_failed(self, row: Row, model, values: dict, exclude=None) -> None:
        """A row with unreadable cells is still checked against the model's other rules, so the
        report lists all of its problems at once."""
        self.validate(row, model(**{k: v for k, v in values.items() if v is not None}), exclude)

    def write(self, model, new: list, changed: list, fields: list[str]) -> None:
        """Bulk insert and update, each with one history row per record.

        Written even when some rows are bad (the transaction is rolled back then): later steps,
        such as survival counts against their new visit, still get checked and reported.
        """
        if new:
            bulk_create_with_history(new, model, batch_size=BATCH_SIZE, default_user=self.user)
        if changed:
            bulk_update_with_history(
                changed, model, fields, batch_size=BATCH_SIZE, default_user=self.user
            )


def assign(instance, values: dict) -> bool:
    """Set attributes; True when any value differs from what the instance held."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
