import time

from django.core.management.base import BaseCommand, CommandError

from core import changes
from credits import projected_today, summaries, summary_check, year_ends
from credits.models import CohortSummary, MemberSummary, PlotSpeciesSummary


class Command(BaseCommand):
    help = (
        "Rebuild every summary of the current field data (cohorts, plots and species, members) "
        "from the raw rows, in one transaction. The writes keep them up to date; run this after "
        "a data migration or a restore that wrote rows by other means. With --check, only say "
        "how many rows a rebuild would change, and fail if any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the stored summaries with a rebuild; change nothing",
        )

    def handle(self, *args, **options):
        if options["check"]:
            return self.check_only()
        started = time.monotonic()
        with changes.batch():
            summaries.rebuild()
            # Cached reports read the summaries, and rows written by other means may be of any
            # date: compute them again, past days' stock and the stored year ends included.
            changes.touch("visits", since=changes.ALL)
        # Computed again now, not on the first reader's request.
        year_ends.store_drawn_years()
        projected_today.stored_today()
        self.stdout.write(
            f"Summaries rebuilt in {time.monotonic() - started:.1f} s: "
            f"{CohortSummary.objects.count()} cohorts, "
            f"{PlotSpeciesSummary.objects.count()} plot and species rows, "
            f"{MemberSummary.objects.count()} members."
        )

    def check_only(self):
        started = time.monotonic()
        found = summary_check.differences()
        for name, rows in found.items():
            self.stdout.write(f"{name}: {rows} rows differ from a rebuild")
        if any(found.values()):
            raise CommandError(
                f"{sum(found.values())} summary rows differ from the raw rows: "
                "run rebuild_summaries to make them again."
            )
        self.stdout.write(
            f"Summaries agree with the raw rows (checked in {time.monotonic() - started:.1f} s)."
        )
