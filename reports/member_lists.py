"""The field reports listing members: the members report and the technicians' visit list.

Both list every member (18,000 at 10x scale) and their pages show the first 100: a page reads
those rows from the member summaries and counts the rest (`member_page`), the downloads build
every row. The carbon report's members table pages the same way (reports/credit_reports.py).
"""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from credits import selectors
from credits.models import MemberSummary
from members.models import Member
from plantings.models import Planting
from reports import latest
from reports.cache import FIELD_TOPICS, cached
from reports.field import COMMUNITY, LAST_VISIT, NO_HECTARES, TREES, _with_pct, hectares
from reports.filters import ReportFilter
from reports.tables import ALIVE, MEMBER_CODE, MEMBER_NAME, PLANTED, SURVIVAL, Column, Table, pct

PAGE_ROWS = 100  # what a page shows of the tables listing every member


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
            for r in latest.survival_by(  # grouped and ordered by code first (see below)
                f,
                "plot__member__code",
                "plot__member_id",
                "plot__member__first_name",
                "plot__member__last_name",
                "plot__member__community__name",
            )
        ]
        _with_pct(rows)
        # Lowest survival first (the exact share, as selectors.members_by_survival orders it);
        # members with nothing counted yet are not on the list. The sort is stable: equal
        # shares keep the database's code order, the page's whatever the collation.
        rows = [r for r in rows if r["survival_pct"] is not None]
        rows.sort(key=lambda r: r["alive"] / r["planted"])
        return rows

    return cached("visit-list", f.key(), compute, topics=FIELD_TOPICS)


def _member_summaries_hold(f: ReportFilter, *, dates: bool) -> bool:
    """True when each member's summary holds the figures asked for: today's, of all species and
    land uses (a community narrows the members). `dates`: any date filter is refused."""
    if f.species_id or f.land_use:
        return False
    return f.date_from is None and f.date_to is None if dates else f.reads_today()


def member_table(slug, title, columns, rows: list[dict], total: int | None = None) -> Table:
    """A table listing members: its page shows PAGE_ROWS of them (`total`: how many the
    download holds, when `rows` are only those), each code a link to the member's page."""
    link = {"code": ("members:member_detail", "member_id")}
    return Table(slug, title, columns, rows, page_rows=PAGE_ROWS, link=link, total_rows=total)


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
    summaries = f.member_summaries(MemberSummary.objects.all())
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
    return member_table(
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
        total,
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
    were 0.5 s of the 0.6 s this took for 1,800 members; a saved visit recomputes it. Tuples,
    not values() dicts: a fifth of what was left at 10x scale (18,000 members)."""
    statuses = {value: str(label) for value, label in Member.Status.choices}
    rows = []
    for (
        pk,
        code,
        first,
        last,
        community,
        status,
        plots,
        area_ha,
        trees,
        alive,
        planted,
    ) in members.values_list(
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
        rows.append(
            {
                "member_id": pk,
                "code": code,
                "name": f"{first} {last}",
                "community": community,
                "status": statuses.get(status, status),
                "plots": plots or 0,
                # A DecimalField of two places: Django's converter has given its scale already.
                "area_ha": area_ha or NO_HECTARES,
                "trees": trees or 0,
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
    return member_table(
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
        total,
    )
