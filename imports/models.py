"""An uploaded import file on its way from preview to confirmation, and the jobs working on it.

The row is the one place every worker and container looks: the file sits in the `imports`
storage (settings.STORAGES), the jobs (imports/tasks.py) move the status on, and confirming
claims the row atomically, so an import confirmed by several clicks or tabs is written once.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models_jobs import JobQuerySet, JobRow


def pending_storage():
    return storages["imports"]


class ImportUploadQuerySet(JobQuerySet):
    def of_user(self, user):
        return self.filter(uploaded_by=user)


class ImportUpload(JobRow):
    """One uploaded file of one kind: its dry-run report, and whether it was imported."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be checked")
        CHECKING = "checking", _("checking every row")
        CHECKED = "checked", _("checked")
        REFUSED = "refused", _("refused")
        CONFIRMED = "confirmed", _("waiting to be imported")
        IMPORTING = "importing", _("importing")
        IMPORTED = "imported", _("imported")
        DISCARDED = "discarded", _("discarded")

    # A worker is working on it (or will): the page keeps polling.
    RUNNING = (Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), storage=pending_storage, upload_to="%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    report = models.JSONField(_("report"), null=True, blank=True, encoder=DjangoJSONEncoder)

    objects = ImportUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_pct__lte=100), name="import_upload_progress_pct"
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"
