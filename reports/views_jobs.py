"""An export job's page (progress polled by static/js/job-status.js), its JSON status and its
download.

Only the user who asked for a file sees its job or downloads it, and only while they still hold
the permission of what it exports (the report's, or the period's for a verification package):
the row names that permission and every view checks it again. Another user's token is a 404,
as if it did not exist.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views import View

from core.jobs import status_response
from core.views import PageView, PermissionView
from reports import tasks
from reports.catalogue import FIELD_STAFF
from reports.models import ExportJob, export_storage


class JobMixin(PermissionView):
    # Everyone who may ask for any export holds this (staff and managers); the job's own
    # permission is checked on top in get_job().
    permission_required = FIELD_STAFF

    def get_job(self) -> ExportJob:
        job = ExportJob.objects.of_user(self.request.user).filter(token=self.kwargs["token"])
        job = job.first()
        if job is None:
            raise Http404
        if not self.request.user.has_perm(job.permission):
            raise PermissionDenied
        if tasks.resume_stalled(job):
            job.refresh_from_db()  # run inline already when TASKS_BACKEND=immediate
        return job


class ExportJobView(JobMixin, PageView):
    template_name = "reports/export_job.html"

    def get_context_data(self, **kwargs):
        job = self.get_job()
        kwargs.update(
            job=job,
            status_url=reverse("reports:export_job_status", args=[job.token]),
            download_url=reverse("reports:export_job_download", args=[job.token]),
            keep_hours=settings.EXPORT_KEEP_HOURS,
        )
        return super().get_context_data(**kwargs)


class ExportJobStatusView(JobMixin, View):
    """Where the job stands, as JSON for the progress bar."""

    def get(self, request, token):
        return status_response(self.get_job())


class ExportJobDownloadView(JobMixin, View):
    def get(self, request, token):
        job = self.get_job()
        if job.status != ExportJob.Status.DONE:
            raise Http404
        try:
            stream = export_storage().open(job.file.name, "rb")
        except FileNotFoundError as exc:  # removed by clean_exports meanwhile
            raise Http404 from exc
        response = FileResponse(stream, as_attachment=True, filename=job.filename)
        response["Cache-Control"] = "private, no-store"
        return response
