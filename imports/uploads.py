"""Uploaded files waiting between preview and confirmation, and the template files.

An upload is kept as two files named by a random token: the bytes, and the JSON of its dry-run
report, so the preview page is instant whatever the file's size. Only the session that uploaded a
file may see or confirm it; files older than a day are removed at the next upload.
"""

import csv
import io
import json
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.styles import Font

from imports.boundaries import BOUNDARY_KIND, read_boundaries
from imports.columns import KIND_COLUMNS
from imports.kobo import KOBO_KIND, read_submissions
from imports.readers import read_table
from imports.services import ImportReport, import_table

SESSION_KEY = "dataio_uploads"
MAX_AGE_S = 24 * 60 * 60


def upload_dir() -> Path:
    folder = Path(getattr(settings, "DATAIO_UPLOAD_DIR", "") or tempfile.gettempdir())
    folder = folder / "acopagro-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_import(*, kind: str, content: bytes, user, dry_run: bool) -> ImportReport:
    """Read the bytes as `kind` (or as a field-form export) and import them."""
    if kind == KOBO_KIND:
        report = import_table(
            kind="visits", table=read_submissions(content), user=user, dry_run=dry_run
        )
        report.kind = KOBO_KIND
        return report
    reader = read_boundaries if kind == BOUNDARY_KIND else read_table
    return import_table(kind=kind, table=reader(content), user=user, dry_run=dry_run)


def store(request, *, kind: str, filename: str, content: bytes, report: ImportReport) -> str:
    folder = upload_dir()
    cutoff = time.time() - MAX_AGE_S
    for old in folder.glob("*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    (folder / f"{token}.bin").write_bytes(content)
    meta = {"kind": kind, "filename": filename, "report": report.as_dict()}
    (folder / f"{token}.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], token]
    return token


def load(request, token: str) -> tuple[dict, bytes] | None:
    """The stored metadata and bytes of an upload of this session, or None."""
    if token not in request.session.get(SESSION_KEY, []):
        return None
    folder = upload_dir()
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
        content = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    meta["report"] = ImportReport.from_dict(meta["report"])
    return meta, content


def discard(request, token: str) -> None:
    for suffix in (".bin", ".json"):
        (upload_dir() / f"{token}{suffix}").unlink(missing_ok=True)
    request.session[SESSION_KEY] = [t for t in request.session.get(SESSION_KEY, []) if t != token]


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
