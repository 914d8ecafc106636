"""What the export jobs run (reports/tasks.py queues them): build the file, keep it, say so.

A job never writes half: the file is built in memory, saved to the `exports` storage under a
new name, and only then named on the row by one conditional UPDATE (status running -> done). A
worker killed before that UPDATE leaves the row "running" with no file; the job is queued again
(`tasks.resume_stalled`) and the orphan file, named by no row, is removed by `clean_exports`.
Two runs of one job (a stalled job queued again while the first still works) both build; the
first to finish names its file, the other deletes its own.
"""

import datetime
import io
import json
import logging
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from credits.models import MonitoringPeriod
from reports import catalogue
from reports.cache import one_stamp
from reports.exports import export_file
from reports.models import ExportJob, export_storage
from reports.verification import plots_geojson, workbook_bytes

logger = logging.getLogger(__name__)
Status = ExportJob.Status
Progress = Callable[[int], None]


class ExportRefused(Exception):
    """The job cannot build its file (filters no longer valid, period reopened): its message
    is shown on the job's page."""


# --- the builders: (job, progress) -> (file name, bytes) -------------------------------------
def report_query(job: ExportJob) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in job.params.get("query", {}).items():
        query.setlist(key, values)
    return query


def build_report(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    """The report's tables with the filters of the request, as the page's download would be."""
    params = job.params
    try:
        report = catalogue.get(params["slug"])
    except KeyError as exc:
        raise ExportRefused(_("This report no longer exists.")) from exc
    query = report_query(job)
    form = report.form_class(query or None)
    if form.is_bound and not form.is_valid():
        raise ExportRefused(_("The filters of this export are no longer valid."))
    report_filter = form.report_filter() if form.is_bound else form.empty()
    with one_stamp():
        tables = report.build(report_filter)
    progress(50)
    wanted = params.get("table", "")
    if wanted:
        tables = [t for t in tables if t.slug == wanted]
        if not tables:
            raise ExportRefused(_("This report has no such table."))
    name = f"{report.slug}-{wanted}" if wanted else report.slug
    subtitle = f"{report.title} {report_filter.key()}".strip()
    return export_file(tables, params["fmt"], name, subtitle=subtitle)


def build_verification(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    """The package of a closed period: its workbook and its plots' GeoJSON in one ZIP."""
    period = MonitoringPeriod.objects.filter(pk=job.params["period_id"]).first()
    if period is None or not period.is_closed:
        raise ExportRefused(_("Only a closed period has a verification package."))
    name = f"verification-{period.vintage}"
    workbook = workbook_bytes(period)
    progress(60)
    geojson = json.dumps(plots_geojson(period)).encode()
    progress(80)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.xlsx", workbook)
        archive.writestr(f"{name}-plots.geojson", geojson)
    return f"{name}.zip", out.getvalue()


BUILDERS = {ExportJob.Kind.REPORT: build_report, ExportJob.Kind.VERIFICATION: build_verification}


# --- the job's body ---------------------------------------------------------------------------
def run(job_id: int) -> str:
    """Build the job's file once; "skipped" when it is finished already (or gone)."""
    claimed = ExportJob.objects.filter(pk=job_id, status__in=ExportJob.RUNNING).update(
        status=Status.RUNNING, progress_pct=5, attempts=F("attempts") + 1, updated_at=now()
    )
    if not claimed:
        return "skipped"
    job = ExportJob.objects.get(pk=job_id)

    def progress(pct: int) -> None:
        # Also the heartbeat: a job whose row moves is not taken for stalled.
        ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
            progress_pct=pct, updated_at=now()
        )

    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            filename, content = BUILDERS[job.kind](job, progress)
    except ExportRefused as exc:
        return fail(job_id, str(exc))
    except Exception:
        logger.exception("Export job %s failed", job_id)
        fail(job_id, _("The file could not be prepared because of an error on the server."))
        raise
    progress(90)
    stored = export_storage().save(f"{job.token}-{filename}", ContentFile(content))
    finished = ExportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
        status=Status.DONE,
        file=stored,
        filename=filename[:255],
        size_bytes=len(content),
        progress_pct=100,
        finished_at=now(),
        updated_at=now(),
    )
    if not finished:  # another run of the same job finished first: keep its file only
        export_storage().delete(stored)
        return "skipped"
    return Status.DONE


def fail(job_id: int, message: str) -> str:
    ExportJob.objects.filter(pk=job_id, status__in=ExportJob.RUNNING).update(
        status=Status.FAILED,
        message=message[:1000],
        progress_pct=100,
        finished_at=now(),
        updated_at=now(),
    )
    return Status.FAILED


def now():
    return timezone.now()


# --- old files ----------------------------------------------------------------------------------
def remove_old_exports(*, moment=None) -> int:
    """Delete finished or failed jobs older than EXPORT_KEEP_HOURS with their files, and files
    of that age that no job names (left by a worker killed between saving and naming them)."""
    cutoff = (moment or now()) - datetime.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    storage = export_storage()
    removed = 0
    for job in ExportJob.objects.older_than(cutoff).exclude(status__in=ExportJob.RUNNING):
        if job.file:
            storage.delete(job.file.name)
        job.delete()
        removed += 1
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return removed
    named = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    for name in files:
        if name not in named and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
            removed += 1
    return removed
