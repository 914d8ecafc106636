"""Background jobs of the imports (django-tasks; docs/architecture.md, "Background jobs").

Each job takes the id of an ImportUpload row and nothing else, so a job queued by one container
can run in any worker, and running one twice does no harm (imports/uploads.py guards each step).
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from imports import uploads
from imports.importers.base import ImportReport
from imports.models import ImportUpload

logger = logging.getLogger(__name__)
Status = ImportUpload.Status


@task()
def check_upload(upload_id: int) -> str:
    """Read and dry-run an uploaded file: the preview's report."""
    return uploads.check(upload_id)


@task()
def apply_upload(upload_id: int) -> str:
    """Import a confirmed upload, all rows or none, exactly once."""
    return uploads.apply(upload_id)


# --- what queues them: an upload stored, confirmed, or found stalled ----------------------------
def store_upload(*, user, kind: str, filename: str, content: bytes) -> ImportUpload:
    """Keep the file (mode 0600, set on the `imports` storage) and queue its check."""
    uploads.remove_old_uploads()
    upload = ImportUpload(uploaded_by=user, kind=kind, filename=filename[:255])
    upload.file.save(f"{upload.token}.bin", ContentFile(content), save=False)
    upload.save()
    enqueue(upload, "check")
    upload.refresh_from_db()
    return upload


def enqueue(upload: ImportUpload, step: str) -> None:
    upload.queue(check_upload if step == "check" else apply_upload)


def confirm_upload(*, upload: ImportUpload) -> bool:
    """Claim a checked upload for import; False when another request already claimed it."""
    report = ImportReport.from_dict(upload.report or {"kind": upload.kind})
    if not report.ok:
        return False
    claimed = ImportUpload.objects.filter(pk=upload.pk, status=Status.CHECKED).update(
        status=Status.CONFIRMED, progress_pct=0, updated_at=timezone.now()
    )
    if claimed:
        enqueue(upload, "apply")
    return bool(claimed)


def resume_stalled(upload: ImportUpload) -> bool:
    """Queue again the job of an upload no worker has moved for a long time (a worker killed
    mid-job: the import's transaction was rolled back, so running it again is safe)."""
    if not upload.claim_stalled(minutes=settings.IMPORT_JOB_STALL_MINUTES):
        return False
    logger.warning("Import upload %s stalled in %s: queued again", upload.pk, upload.status)
    enqueue(upload, "check" if upload.status in (Status.QUEUED, Status.CHECKING) else "apply")
    return True
