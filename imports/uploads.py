"""Uploaded import files from upload to confirmation: the steps the jobs (imports/tasks.py) run.

`tasks.store_upload()` keeps the bytes in the private `imports` storage (any container reads
them) and queues the check; the dry-run report is kept on the ImportUpload row, so the preview
page is instant whatever the file's size. `tasks.confirm_upload()` claims the row with one
conditional UPDATE: of several simultaneous confirmations exactly one queues the import, and the
import job writes the rows and the "imported" status in one transaction. Only the user who
uploaded a file may see or confirm it; uploads older than a day are removed at the next upload.
"""

import csv
import datetime
import io
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from imports.boundaries import BOUNDARY_KIND, read_boundaries
from imports.columns import KIND_COLUMNS
from imports.importers.base import ImportReport
from imports.kobo import KOBO_KIND
from imports.models import ImportUpload
from imports.readers import DataFileError, read_table
from imports.services import import_table
from imports.submissions import import_submissions

logger = logging.getLogger(__name__)
Status = ImportUpload.Status
MAX_AGE = datetime.timedelta(days=1)


def run_import(*, kind: str, content: bytes, user, dry_run: bool) -> ImportReport:
    """Read the bytes as `kind` (or as a field-form export) and import them."""
    if kind == KOBO_KIND:
        return import_submissions(content=content, user=user, dry_run=dry_run)
    reader = read_boundaries if kind == BOUNDARY_KIND else read_table
    return import_table(kind=kind, table=reader(content), user=user, dry_run=dry_run)


def remove_old_uploads() -> None:
    old = ImportUpload.objects.older_than(timezone.now() - MAX_AGE).exclude(
        status__in=ImportUpload.RUNNING
    )
    for upload in old:
        delete_file(upload)
        upload.delete()


def discard_upload(*, upload: ImportUpload) -> bool:
    """Forget a checked or refused upload and its file; never one being imported."""
    discarded = ImportUpload.objects.filter(
        pk=upload.pk, status__in=[Status.QUEUED, Status.CHECKED, Status.REFUSED]
    ).update(status=Status.DISCARDED, updated_at=timezone.now())
    if discarded:
        delete_file(upload)
    return bool(discarded)


def delete_file(upload: ImportUpload) -> None:
    if upload.file:
        upload.file.storage.delete(upload.file.name)


def read_file(upload: ImportUpload) -> bytes:
    with upload.file.storage.open(upload.file.name, "rb") as stream:
        return stream.read()


# --- the jobs' bodies (imports/tasks.py) -----------------------------------------------------
def check(upload_id: int) -> str:
    """Dry-run the upload: its report, or the reason the file cannot be read."""
    started = ImportUpload.objects.filter(
        pk=upload_id, status__in=[Status.QUEUED, Status.CHECKING]
    ).update(status=Status.CHECKING, progress_pct=20)
    if not started:
        return "skipped"  # discarded, or checked already by another run
    upload = ImportUpload.objects.select_related("uploaded_by").get(pk=upload_id)
    try:
        report = run_import(
            kind=upload.kind, content=read_file(upload), user=upload.uploaded_by, dry_run=True
        )
    except DataFileError as exc:
        return refuse(upload, str(exc))
    except Exception:
        logger.exception("Checking import upload %s failed", upload_id)
        refuse(upload, _("The file could not be checked because of an error on the server."))
        raise
    ImportUpload.objects.filter(pk=upload_id, status=Status.CHECKING).update(
        status=Status.CHECKED, report=report.as_dict(), progress_pct=100
    )
    return Status.CHECKED


def refuse(upload: ImportUpload, message: str) -> str:
    ImportUpload.objects.filter(pk=upload.pk).update(
        status=Status.REFUSED, message=message[:1000], progress_pct=100, report=None
    )
    delete_file(upload)
    return Status.REFUSED


def apply(upload_id: int) -> str:
    """Import a confirmed upload once: its rows and its "imported" status commit together."""
    ImportUpload.objects.filter(pk=upload_id, status=Status.CONFIRMED).update(
        status=Status.IMPORTING, progress_pct=50
    )
    try:
        upload = apply_once(upload_id)
    except Exception:
        logger.exception("Importing upload %s failed; nothing was written", upload_id)
        upload = ImportUpload.objects.get(pk=upload_id)
        refuse(upload, _("The import failed because of an error on the server; nothing was "
                         "written. Upload the file again, or ask the administrator."))  # fmt: skip
        raise
    if upload.status in (Status.IMPORTED, Status.REFUSED):
        delete_file(upload)
    return upload.status


def apply_once(upload_id: int) -> ImportUpload:
    with transaction.atomic():
        upload = ImportUpload.objects.select_for_update().get(pk=upload_id)
        if upload.status != Status.IMPORTING:
            return upload  # imported (or discarded) by another run
        try:
            report = run_import(
                kind=upload.kind,
                content=read_file(upload),
                user=upload.uploaded_by,
                dry_run=False,
            )
        except DataFileError as exc:  # the file was checked; only a changed reader gets here
            upload.status, upload.message, upload.report = Status.REFUSED, str(exc)[:1000], None
        else:
            # Rows that became invalid since the preview (another import, an edit): the page
            # shows the new errors and offers no import.
            upload.status = Status.IMPORTED if report.written else Status.CHECKED
            upload.report = report.as_dict()
        upload.progress_pct = 100
        upload.save()
    return upload


def template_rows(kind: str) -> list[list[str]]:
    """Header (Spanish when the page is in Spanish) and one example row."""
    columns = KIND_COLUMNS[kind]
    spanish = (get_language() or "").startswith("es")
    return [
        [c.spanish if spanish else c.name for c in columns],
        [c.example for c in columns],
    ]


def template_csv(kind: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(template_rows(kind))
    # A BOM so that Excel opens the accents of the UTF-8 file correctly.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(kind: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    header, example = template_rows(kind)
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(KIND_COLUMNS[kind]) + 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = 22
    help_sheet = workbook.create_sheet("help")
    help_sheet.append(["column", "columna", "required", "description"])
    for column in KIND_COLUMNS[kind]:
        help_sheet.append(
            [column.name, column.spanish, "yes" if column.required else "no", str(column.help)]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
