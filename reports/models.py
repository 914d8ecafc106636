"""A file built in the background: a big report export or a period's verification package.

The row says everything a worker needs (what to build, from which filters, in which language,
for whom), so any worker of any container can run the job, and run it again after a restart
(reports/jobs.py). The finished file sits in the `exports` storage (settings.STORAGES) and is
only named on the row once it is complete: a row is "done" with its whole file, or not done.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models_jobs import JobQuerySet, JobRow


def export_storage():
    return storages["exports"]


class ExportStatus(models.TextChoices):
    """An export job's status (at module level, so the model's constraints can name it)."""

    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready to download")
    FAILED = "failed", _("failed")


class ExportJobQuerySet(JobQuerySet):
    def of_user(self, user):
        return self.filter(requested_by=user)

    def running(self):
        return self.filter(status__in=ExportJob.RUNNING)


class ExportJob(JobRow):
    """One file asked for by one user: what to build (`kind`, `params`) and where it stands."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report export")
        VERIFICATION = "verification", _("verification package")

    Status = ExportStatus

    # A worker is working on it (or will): the page keeps polling.
    RUNNING = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)
    title = models.CharField(_("title"), max_length=255)
    # The permission the export needs, checked again at every view and download.
    permission = models.CharField(_("permission"), max_length=100)
    language = models.CharField(_("language"), max_length=10, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    file = models.FileField(_("file"), storage=export_storage, blank=True, max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_pct__lte=100), name="export_job_progress_pct"
            ),
            # Done means a whole file is named; any other status names none.
            models.CheckConstraint(
                condition=(models.Q(status=ExportStatus.DONE) & ~models.Q(file=""))
                | (~models.Q(status=ExportStatus.DONE) & models.Q(file="")),
                name="export_job_file_only_when_done",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="export_job_status_idx")]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"
