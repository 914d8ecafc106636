"""Today's projected (ex-ante) stock of every plot and species, stored and kept on write
(credits.ProjectedStock): what the carbon report and the dashboard show as projected.

A plot's projected stock depends only on its own plantings, their species' growth curves and the
carbon parameters, so a write that touches a plot recomputes that plot's rows, in the writer's
transaction, at the day of ProjectedStamp. A change of a species or of the parameters (core.changes
touches everything) drops the stamp. The growth curves move every day: the first reader of a new
day, or the first after the stamp was dropped, computes every row again (credits/projection.py,
0.1 s at full scale). Before, every planting made each reader project all 8,800 cohorts again:
bench/README.md, session 13.

Writers lock the stamp row (at the very end of their batch, for a few rows' write), so a reader
computing a new day never interleaves with a writer's rows of the day before.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import changes
from credits import summaries, year_ends
from credits.models import CarbonProject, ProjectedStamp, ProjectedStock
from credits.projection import projected_stock

STAMP_PK = 1


def connect() -> None:
    """Called from CreditsConfig.ready()."""
    changes.register_refresher(refresh_touched)


def refresh_touched(keys: dict[str, set]) -> None:
    if changes.ALL in keys:
        ProjectedStamp.objects.filter(pk=STAMP_PK).update(day=None)
        return
    if not year_ends.batch_planted():  # a visit touches its plot, not its projection
        return
    plots = summaries.touched_plots(keys, visits=False)
    if plots:  # a member's write leaves the projection as it is
        refresh(plots)


def refresh(plot_ids: set[int]) -> None:
    """Recompute the rows of these plots at the stamp's day (none: nothing stored to keep)."""
    stamp = ProjectedStamp.objects.select_for_update().filter(pk=STAMP_PK).first()
    if stamp is None or stamp.day is None:
        return
    _write(stamp.day, plot_ids)


def stored_today() -> QuerySet[ProjectedStock]:
    """Today's rows (one per plot and species), computed first if stored for another day."""
    today = timezone.localdate()
    stamp = ProjectedStamp.objects.filter(pk=STAMP_PK).first()
    if stamp is None or stamp.day != today:
        _store(today)
    return ProjectedStock.objects.all()


@transaction.atomic
def _store(day: datetime.date) -> None:
    ProjectedStamp.objects.bulk_create([ProjectedStamp(pk=STAMP_PK)], ignore_conflicts=True)
    stamp = ProjectedStamp.objects.select_for_update().get(pk=STAMP_PK)
    if stamp.day == day:  # another worker stored it while this one waited
        return
    _write(day, None)
    stamp.day = day
    stamp.save(update_fields=["day", "computed_at"])


def _write(day: datetime.date, plot_ids: set[int] | None) -> None:
    """Replace the rows of these plots (None: all) with their projection on `day`."""
    project = CarbonProject.current()
    rows = (
        [] if project is None else projected_stock(on_date=day, project=project, plot_ids=plot_ids)
    )
    stored = ProjectedStock.objects.all()
    if plot_ids is not None:
        stored = stored.filter(plot_id__in=plot_ids)
    stored.delete()
    ProjectedStock.objects.bulk_create(
        [
            ProjectedStock(
                plot_id=row.plot_id,
                species_id=row.species_id,
                trees_alive=row.trees_alive,
                co2e_g=int(row.co2e_t.scaleb(6)),  # to the gram already (carbon.to_tonnes)
            )
            for row in rows
        ],
        batch_size=2000,
    )
