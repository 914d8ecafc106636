"""Field reports: plantings by year / species / community, survival, the technicians' visit list.

Each builder returns Tables. Rows come from named QuerySet methods (aggregated in the database)
and are cached under the data stamp; Python only adds shares and running totals to a few rows.
"""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits import selectors
from credits.models import MemberSummary
from members.models import Member
from plantings.models import Planting, Programme
from reports import latest
from reports.cache import FIELD_TOPICS, PLANTED_TOPICS, cached
from reports.filters import ReportFilter
from reports.tables import (
    ALIVE,
    MEMBER_CODE,
    MEMBER_NAME,
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
PAGE_ROWS = 100  # what a page shows of the tables listing every member


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


def visit_list_rows(f: ReportFilter) -> list[dict]:
    def compute():
        rows = [
            {
                "member_id": r["plot__member_id"],
                "code": r["plot__member__code"],
                "name": f"{r['plot__member__first_name']} {r['plot__member__last_name']}",
                "community": r["plot__member__community__name"],
                "alive": r["alive"],
                "planted": r["planted"],
                "last_visit": r["last_visit"],
            }
            for r in latest.survival_by(
                f,
                "plot__member_id",
                "plot__member__code",
                "plot__member__first_name",
                "plot__member__last_name",
                "plot__member__community__name",
            )
        ]
        _with_pct(rows)
        # Lowest survival first (the exact share, as selectors.members_by_survival orders it);
        # members with nothing counted yet are not on the list.
        rows = [r for r in rows if r["survival_pct"] is not None]
        rows.sort(key=lambda r: (r["alive"] / r["planted"], r["code"]))
        return rows

    return cached("visit-list", f.key(), compute, topics=FIELD_TOPICS)


def _member_summaries_hold(f: ReportFilter, *, dates: bool) -> bool:
    """True when each member's summary holds the figures asked for: today's, of all species and
    land uses (a community narrows the members). `dates`: any date filter is refused."""
    if f.species_id or f.land_use:
        return False
    return f.date_from is None and f.date_to is None if dates else f.reads_today()


def member_page(name: str, f: ReportFilter, ordered, as_rows, **kwargs) -> tuple[list, int]:
    """A page's first rows, read from an ordered queryset of the member summaries (narrowed by
    the filter), and how many rows the download holds: at 10x scale a page of 18,000 members
    was built whole after every saved visit, to show 100 (bench/README.md, session 15)."""

    def compute():
        return as_rows(ordered[:PAGE_ROWS]), ordered.count()

    return cached(name, f.key(), compute, **kwargs)


def visit_list_report(f: ReportFilter) -> list[Table]:
    return [_visit_list_table(visit_list_rows(f))]


def visit_list_page(f: ReportFilter) -> list[Table]:
    """The visit list as its page shows it: its first rows only, when the summaries hold them."""
    if not _member_summaries_hold(f, dates=False):
        return visit_list_report(f)
    summaries = f.narrow(MemberSummary.objects.all(), {"community_id": "member__community_id"})
    ordered = selectors.members_by_survival(summaries)
    rows, total = member_page(
        "visit-list-page", f, ordered, _visit_list_rows_from_summaries, topics=FIELD_TOPICS
    )
    return [_visit_list_table(rows, total)]


def _visit_list_rows_from_summaries(summaries) -> list[dict]:
    rows = [
        {
            "member_id": r["member_id"],
            "code": r["member__code"],
            "name": f"{r['member__first_name']} {r['member__last_name']}",
            "community": r["member__community__name"],
            "alive": r["latest_alive"],
            "planted": r["latest_planted"],
            "last_visit": r["last_visit_on"],
        }
        for r in summaries.values(
            "member_id",
            "member__code",
            "member__first_name",
            "member__last_name",
            "member__community__name",
            "latest_alive",
            "latest_planted",
            "last_visit_on",
        )
    ]
    return _with_pct(rows)


def _visit_list_table(rows: list[dict], total: int | None = None) -> Table:
    return Table(
        "lowest-survival",
        _("Members with the lowest survival at their latest visits"),
        [
            MEMBER_CODE,
            MEMBER_NAME,
            COMMUNITY,
            ALIVE,
            PLANTED,
            SURVIVAL,
            LAST_VISIT,
        ],
        rows,
        page_rows=PAGE_ROWS,
        link={"code": ("members:member_detail", "member_id")},
        total_rows=total,
    )


def members_rows(f: ReportFilter) -> list[dict]:
    """Every member with plots, hectares, trees planted and alive: three grouped queries."""

    def compute():
        if _member_summaries_hold(f, dates=True):
            return _members_rows_from_summaries(f.members(Member.objects.order_by("code")))
        planted = dict(
            f.plantings(Planting.objects.all())
            .order_by()
            .values_list("plot__member_id")
            .annotate(trees=Sum("trees_planted"))
        )
        alive = {r["plot__member_id"]: r for r in latest.survival_by(f, "plot__member_id")}
        rows = []
        members = f.members(Member.objects.all()).with_totals().select_related("community")
        for m in members.order_by("code"):
            counted = alive.get(m.pk, {})
            rows.append(
                {
                    "member_id": m.pk,
                    "code": m.code,
                    "name": m.full_name,
                    "community": m.community.name,
                    "status": m.get_status_display(),
                    "plots": m.plot_count,
                    "area_ha": hectares(m.area_ha_total),
                    "trees": planted.get(m.pk, 0),
                    "alive": counted.get("alive"),
                    "planted": counted.get("planted"),
                    "survival_pct": pct(counted.get("alive"), counted.get("planted")),
                }
            )
        return rows

    return cached("members", f.key(), compute, topics=FIELD_TOPICS)


def _members_rows_from_summaries(members) -> list[dict]:
    """The same rows from each member's summary, kept on write: one query of plain values.
    Model instances and get_status_display() (it hashes the lazy choice labels on every call)
    were 0.5 s of the 0.6 s this took for 1,800 members; a saved visit recomputes it."""
    statuses = {value: str(label) for value, label in Member.Status.choices}
    rows = []
    for m in members.values(
        "pk",
        "code",
        "first_name",
        "last_name",
        "community__name",
        "status",
        "summary__plots",
        "summary__area_ha",
        "summary__trees_planted",
        "summary__latest_alive",
        "summary__latest_planted",
    ):
        alive, planted = m["summary__latest_alive"], m["summary__latest_planted"]
        rows.append(
            {
                "member_id": m["pk"],
                "code": m["code"],
                "name": f"{m['first_name']} {m['last_name']}",
                "community": m["community__name"],
                "status": statuses.get(m["status"], m["status"]),
                "plots": m["summary__plots"] or 0,
                # A DecimalField of two places: Django's converter has given its scale already.
                "area_ha": m["summary__area_ha"] or NO_HECTARES,
                "trees": m["summary__trees_planted"] or 0,
                "alive": alive,
                "planted": planted,
                "survival_pct": pct(alive, planted),
            }
        )
    return rows


def members_report(f: ReportFilter) -> list[Table]:
    return [_members_table(members_rows(f))]


def members_page(f: ReportFilter) -> list[Table]:
    """The members report as its page shows it: its first rows only, when the summaries hold
    them."""
    if not _member_summaries_hold(f, dates=True):
        return members_report(f)
    ordered = f.members(Member.objects.order_by("code"))
    rows, total = member_page(
        "members-page", f, ordered, _members_rows_from_summaries, topics=FIELD_TOPICS
    )
    return [_members_table(rows, total)]


def _members_table(rows: list[dict], total: int | None = None) -> Table:
    return Table(
        "members",
        _("Members: plots, hectares, trees planted and alive"),
        [
            MEMBER_CODE,
            MEMBER_NAME,
            COMMUNITY,
            Column("status", _("status"), numeric=False),
            Column("plots", _("plots")),
            Column("area_ha", _("area"), "ha"),
            TREES,
            ALIVE,
            Column("planted", _("trees planted on visited plots")),
            SURVIVAL,
        ],
        rows,
        page_rows=PAGE_ROWS,
        link={"code": ("members:member_detail", "member_id")},
        total_rows=total,
    )
