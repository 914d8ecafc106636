import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core import changes
from credits import projected_today, year_ends
from demo.credits import CreditHistoryBuilder
from demo.data import FULL_SCALE_MEMBERS, DemoBuilder
from members.models import Member


class Command(BaseCommand):
    help = "Load deterministic demo data at the cooperative's scale (1,800 members by default)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=FULL_SCALE_MEMBERS)
        parser.add_argument("--seed", type=int, default=1997)
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="Last day of monitoring visits (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--without-credits",
            action="store_true",
            help="Field data only: no monitoring periods, credits, sales or payments.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the database already has members.",
        )

    def handle(self, *args, members, seed, until, without_credits, if_empty, **options):
        if members < 1:
            raise CommandError("--members must be at least 1")
        if Member.objects.exists():
            if if_empty:
                self.stdout.write("Demo data: the database already has members; nothing loaded.")
                return
            raise CommandError(
                "The database already has members; seed_demo loads into an empty one."
            )
        started = time.monotonic()
        until = until or timezone.localdate()
        progress = lambda message: self.stdout.write(f"  {message}")  # noqa: E731
        builder = DemoBuilder(members=members, seed=seed, until=until, progress=progress)
        self.stdout.write(f"Loading demo data: {members} members, seed {seed}...")
        # One batch: the summaries are rebuilt once at its end, not after each bulk insert.
        with changes.batch():
            stats = builder.build()
            refresh_planner_statistics()
        if not without_credits:
            with changes.batch():  # one move of each generation, not one per payment
                credit_stats = CreditHistoryBuilder(
                    until=until, seed=seed, progress=progress
                ).build()
            self.stdout.write(
                f"  credits: {credit_stats.periods} periods, {credit_stats.credits_issued} "
                f"issued, {credit_stats.credits_sold} sold in {credit_stats.sales} sales, "
                f"{credit_stats.payments} payments to producers"
            )
        # The year ends carbon over time draws and today's projection, stored now, not on the
        # first reader's request.
        years = year_ends.store_drawn_years()
        projected_today.stored_today()
        progress(f"year ends stored: {', '.join(map(str, years))}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {elapsed:.1f} s: {stats.members} members, "
                f"{stats.plots} plots, "
                f"{stats.trees} trees in {stats.plantings} plantings, {stats.visits} visits."
            )
        )


def refresh_planner_statistics() -> None:
    """ANALYZE after the bulk load, as after any bulk load on PostgreSQL: a planner that still
    takes the fresh tables for empty re-runs the ranked sample-tree subquery of the stock per
    outer row (minutes instead of a second for the credit history that follows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
