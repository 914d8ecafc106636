"""`manage.py clean_exports`: remove export files past EXPORT_KEEP_HOURS and queue stalled jobs
again. Run it hourly (cron, or a scheduler beside the `worker` service); each new export job
also removes the old files first, so a quiet site without a schedule stays small too."""

from django.core.management.base import BaseCommand

from reports import jobs, tasks


class Command(BaseCommand):
    help = "Remove old export files and queue stalled export jobs again."

    def handle(self, *args, **options):
        removed = jobs.remove_old_exports()
        resumed = tasks.resume_all_stalled()
        self.stdout.write(f"{removed} old export file(s) removed, {resumed} stalled job(s) queued")
