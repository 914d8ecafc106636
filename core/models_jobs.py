"""The row a background job works on (docs/architecture.md, "Background jobs").

Its token is the address of its page, which polls its status and progress (core/jobs.py); it
names the task queued for it; and its `updated_at` moves with every step, so that a row nobody
moved for a long time is found stalled and queued again. An app's job model (imports'
ImportUpload, reports' ExportJob) adds its status choices, its user, its file and what to do.
"""

import datetime
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(16)


class JobQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(updated_at__lt=moment)


class JobRow(models.Model):
    """Where one job stands: status (the subclass's choices), progress and its queued task."""

    # The statuses in which a worker is working on the row (or will): the page keeps polling.
    RUNNING: tuple = ()

    token = models.CharField(_("token"), max_length=32, unique=True, default=new_token)
    progress_pct = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=1000, blank=True)
    job_id = models.CharField(_("job"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    def queue(self, task) -> None:
        """Queue `task` for this row (its only argument is the row's id) and note the queued
        job's id on the row."""
        result = task.enqueue(self.pk)
        type(self)._default_manager.filter(pk=self.pk).update(job_id=str(result.id)[:64])

    def claim_stalled(self, *, minutes: int) -> bool:
        """True for the one caller that finds this row running and unmoved for `minutes` (a
        worker killed mid-job): its `updated_at` moves with one conditional UPDATE, so of two
        pages finding it stalled at once only one queues it again."""
        limit = datetime.timedelta(minutes=minutes)
        if not self.running or self.updated_at > timezone.now() - limit:
            return False
        unmoved = type(self)._default_manager.filter(
            pk=self.pk, status=self.status, updated_at=self.updated_at
        )
        return bool(unmoved.update(updated_at=timezone.now()))
