"""`manage.py import_data <kind> <file> [--dry-run]`: the staff import page, from the shell."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.boundaries import BOUNDARY_KIND, read_boundaries
from imports.columns import KIND_COLUMNS
from imports.kobo import KOBO_KIND
from imports.readers import DataFileError, read_table
from imports.services import import_table
from imports.submissions import import_submissions

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import members, plots, plantings, visits (survival counts), measurements, or a "
        "KoboToolbox (XLSX or CSV) / ODK Central (zip or CSV) export of the monitoring form "
        "(kind 'kobo'). All rows or none are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KIND_COLUMNS, KOBO_KIND])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )
        parser.add_argument("--user", help="Username recorded in the history of the rows.")

    def handle(self, *args, kind, file, dry_run, user=None, **options):
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user named {user}")
        try:
            if kind == KOBO_KIND:
                report = import_submissions(content=content, user=account, dry_run=dry_run)
            elif kind == BOUNDARY_KIND:
                table = read_boundaries(content)
                report = import_table(kind=kind, table=table, user=account, dry_run=dry_run)
            else:
                table = read_table(content, file.name)
                report = import_table(kind=kind, table=table, user=account, dry_run=dry_run)
        except DataFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors[:SHOWN_ERRORS]:
            where = f"row {error.row}" if error.row else "file"
            column = f", column {error.column}" if error.column else ""
            self.stderr.write(f"{where}{column}: {error.message}")
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"... and {len(report.errors) - SHOWN_ERRORS} more errors")
        done = report.written
        summary = (
            f"{report.total_rows} rows: {report.created} {'created' if done else 'to create'}, "
            f"{report.updated} {'updated' if done else 'to update'}, {report.unchanged} unchanged"
        )
        if not report.ok:
            raise CommandError(
                f"{summary}; {len(report.errors)} errors in {report.error_rows} rows. "
                "Nothing was written."
            )
        if dry_run:
            self.stdout.write(f"{summary}. Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{summary}. Imported."))
