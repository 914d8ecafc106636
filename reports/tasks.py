"""Background jobs of the reports (django-tasks; docs/architecture.md, "Background jobs").

The job takes the id of an ExportJob row and nothing else, so a job queued by one container can
run in any worker, and running it twice does no harm (reports/jobs.py guards each step).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django_tasks import task

from reports import jobs
from reports.models import ExportJob

logger = logging.getLogger(__name__)
Status = ExportJob.Status


@task()
def build_export(job_id: int) -> str:
    """Build the file of an export job: a big report download or a verification package."""
    return jobs.run(job_id)


# --- what queues it: a request, or a job found stalled ------------------------------------------
def request_report_export(*, user, report, query: dict, fmt: str, table: str = "") -> ExportJob:
    """Queue a report download (`query`: the page's filters, each a list of values)."""
    title = f"{report.title} ({fmt.upper()})"
    params = {"slug": report.slug, "query": query, "fmt": fmt, "table": table}
    return _request(
        user=user, kind=ExportJob.Kind.REPORT, params=params, title=title, perm=report.permission
    )


def request_verification_package(*, user, period) -> ExportJob:
    """Queue the verification package (workbook and plots) of a closed period."""
    return _request(
        user=user,
        kind=ExportJob.Kind.VERIFICATION,
        params={"period_id": period.pk},
        title=str(period),
        perm="credits.view_monitoringperiod",
    )


def _request(*, user, kind: str, params: dict, title: str, perm: str) -> ExportJob:
    """The user's job for the same file if one is still queued or running (a second click
    queues nothing more), else a new one. Queued after its row is committed; a process that
    dies in between leaves a queued row, which `resume_stalled` queues later."""
    jobs.remove_old_exports()
    with transaction.atomic():
        same = (
            ExportJob.objects.of_user(user)
            .running()
            .filter(kind=kind, params=params)
            .select_for_update()
            .first()
        )
        if same is not None:
            return same
        job = ExportJob.objects.create(
            kind=kind,
            params=params,
            title=title[:255],
            permission=perm,
            language=translation.get_language() or "",
            requested_by=user,
        )
    enqueue(job)
    job.refresh_from_db()
    return job


def enqueue(job: ExportJob) -> None:
    job.queue(build_export)


def resume_stalled(job: ExportJob) -> bool:
    """Queue again a job no worker has moved for EXPORT_JOB_STALL_MINUTES (its worker was
    killed mid-job, or its queue row was lost): nothing of the first run was kept."""
    if not job.claim_stalled(minutes=settings.EXPORT_JOB_STALL_MINUTES):
        return False
    logger.warning("Export job %s stalled in %s: queued again", job.pk, job.status)
    enqueue(job)
    return True


def resume_all_stalled() -> int:
    """Every stalled job queued again (`clean_exports` runs this on its schedule)."""
    return sum(resume_stalled(job) for job in ExportJob.objects.running())
