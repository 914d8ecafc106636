"""Field reports: plantings by year / species / community, survival (the members and the visit
list: reports/member_lists.py).

Each builder returns Tables. Rows come from named QuerySet methods (aggregated in the database)
and are cached under the data stamp; Python only adds shares and running totals to a few rows.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plantings.models import Planting, Programme
from reports import latest
from reports.cache import FIELD_TOPICS, PLANTED_TOPICS, cached
from reports.filters import ReportFilter
from reports.tables import (
    ALIVE,
    PLANTED,
    SURVIVAL,
    Chart,
    Column,
    Table,
    pct,
)

YEAR = Column("year", _("year"), numeric=False)
SPECIES = Column("species", _("species"), numeric=False)
COMMUNITY = Column("community", _("community"), numeric=False)
TREES = Column("trees", _("trees planted"))


NO_HECTARES = Decimal("0.00")


def hectares(value) -> Decimal:
    # SQLite returns sums of decimals without their scale: show 0.01 ha everywhere.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _with_pct(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["survival_pct"] = pct(row["alive"], row["planted"])
    return rows


def plantings_rows(f: ReportFilter) -> dict:
    def compute():
        programme = Programme.current()
        plantings = f.plantings(Planting.objects.all())
        by_year, running = [], 0
        for row in plantings.trees_by_year():
            running += row["trees"]
            by_year.append(
                {
                    "year": row["year"],
                    "plantings": row["plantings"],
                    "trees": row["trees"],
                    "cumulative": running,
                    "target": programme.trees_target,
                    "target_pct": pct(running, programme.trees_target),
                }
            )
        by_species = [
            {
                "species": r["species__local_name"],
                "scientific_name": r["species__scientific_name"],
                "trees": r["trees"],
            }
            for r in plantings.trees_by_species()
        ]
        by_community = [
            {"community": r["plot__member__community__name"], "trees": r["trees"]}
            for r in plantings.trees_by_community()
        ]
        return {"by_year": by_year, "by_species": by_species, "by_community": by_community}

    return cached("plantings", f.key(), compute, topics=PLANTED_TOPICS)


def plantings_report(f: ReportFilter) -> list[Table]:
    data = plantings_rows(f)
    total = sum(r["trees"] for r in data["by_species"])
    for row in data["by_species"] + data["by_community"]:
        row["share_pct"] = pct(row["trees"], total)
    share = Column("share_pct", _("share"), "%")
    return [
        Table(
            "by-year",
            _("Trees planted by year, against the programme target"),
            [
                YEAR,
                Column("plantings", _("plantings")),
                TREES,
                Column("cumulative", _("cumulative trees")),
                Column("target", _("target trees")),
                Column("target_pct", _("cumulative of target"), "%"),
            ],
            data["by_year"],
            chart=Chart("line", "year", ("cumulative", "target"), title=_("Cumulative trees")),
        ),
        Table(
            "by-species",
            _("Trees planted by species"),
            [SPECIES, Column("scientific_name", _("scientific name"), numeric=False), TREES, share],
            data["by_species"],
            chart=Chart("bar", "species", ("trees",)),
        ),
        Table(
            "by-community",
            _("Trees planted by community"),
            [COMMUNITY, TREES, share],
            data["by_community"],
            chart=Chart("bar", "community", ("trees",)),
        ),
    ]


def survival_over_time(f: ReportFilter) -> list[dict]:
    """Trees alive and planted per year and species at each plot's last visit of the year.

    The past years' rows (19 years of 7,400 summaries at full scale: 80 ms to sum) are cached
    as of last 31 December, so a visit of this year sums this year's rows only; a visit, a
    planting or a correction dated in a past year computes them again (core/changes.py)."""
    this_year = timezone.localdate().year

    def by_year(first: int, last: int) -> list[dict]:
        return [
            {
                "year": r["year"],
                "species": r["species__local_name"],
                "alive": r["alive"],
                "planted": r["planted"],
            }
            for r in latest.survival_by_year(f, "year", "species__local_name", years=(first, last))
        ]

    last = (f.date_to or timezone.localdate()).year
    if last < this_year:
        return by_year(0, last)
    past = cached(
        "survival-past-years",
        f.key(),
        lambda: by_year(0, this_year - 1),
        topics=FIELD_TOPICS,
        translated=False,
        as_of=datetime.date(this_year - 1, 12, 31),
    )
    return past + by_year(this_year, this_year)


def survival_rows(f: ReportFilter) -> dict:
    def compute():
        over_time = survival_over_time(f)

        def at_latest_visits(key: str, group: str) -> list[dict]:
            """Trees alive and planted per `group` (the rows' `key`) at the latest visits."""
            return [
                {
                    key: r[group],
                    "alive": r["alive"],
                    "planted": r["planted"],
                    "last_visit": r["last_visit"],
                }
                for r in latest.survival_by(f, group)
            ]

        return {
            "over_time": over_time,
            "by_species": at_latest_visits("species", "species__local_name"),
            "by_community": at_latest_visits("community", "plot__member__community__name"),
        }

    return cached("survival", f.key(), compute, topics=FIELD_TOPICS)


LAST_VISIT = Column("last_visit", _("latest visit"), numeric=False)


def survival_report(f: ReportFilter) -> list[Table]:
    data = survival_rows(f)
    return [
        Table(
            "over-time",
            _("Survival over time by species (each plot's last visit of the year)"),
            [YEAR, SPECIES, ALIVE, PLANTED, SURVIVAL],
            _with_pct(data["over_time"]),
            chart=Chart("line", "year", ("survival_pct",), split="species"),
        ),
        Table(
            "by-species",
            _("Survival by species at the latest visits"),
            [SPECIES, ALIVE, PLANTED, SURVIVAL, LAST_VISIT],
            _with_pct(data["by_species"]),
            chart=Chart("bar", "species", ("survival_pct",)),
        ),
        Table(
            "by-community",
            _("Survival by community at the latest visits"),
            [COMMUNITY, ALIVE, PLANTED, SURVIVAL, LAST_VISIT],
            _with_pct(data["by_community"]),
            chart=Chart("bar", "community", ("survival_pct",)),
        ),
    ]
