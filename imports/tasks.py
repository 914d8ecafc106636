"""Background jobs of the imports (django-tasks; docs/architecture.md, "Background jobs").

Each job takes the id of an ImportUpload row and nothing else, so a job queued by one container
can run in any worker, and running one twice does no harm (imports/uploads.py guards each step).
"""

from django_tasks import task

from imports import uploads


@task()
def check_upload(upload_id: int) -> str:
    """Read and dry-run an uploaded file: the preview's report."""
    return uploads.check(upload_id)


@task()
def apply_upload(upload_id: int) -> str:
    """Import a confirmed upload, all rows or none, exactly once."""
    return uploads.apply(upload_id)
