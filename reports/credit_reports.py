"""Carbon and credit reports, from the credits app's selectors (credits/selectors.py).

Stock rows (one per plot and species) come cached from reports/stock_figures.py; this module only
groups those rows by community, species or member.
"""

import datetime
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credits import selectors, year_ends
from credits.models import CarbonProject, MemberSummary, PlotSpeciesSummary
from members.models import Community, Member
from plantings.models import Planting, Species
from reports import field, member_lists
from reports.cache import (
    CARBON_TOPICS,
    PROJECTED_TOPICS,
    REGISTRY_TOPICS,
    cached,
)
from reports.filters import ReportFilter
from reports.stock_figures import stock_point, stock_totals
from reports.tables import CO2E, Chart, Column, Table, pct, tonnes

VERIFIED = Column("verified_t", _("verified CO2e"), "t")
PROJECTED = Column("projected_t", _("projected CO2e"), "t")
TREES_ALIVE = Column("trees_alive", _("trees alive (verified)"))


NONE = (0, Decimal("0"))  # (trees, tCO2e) of a group with no stock


def _group(rows, key: str) -> dict:
    """[trees alive, tCO2e] per value of the field `key` (community_id, species_id, member_id)."""
    totals = defaultdict(lambda: [0, Decimal("0")])
    for row in rows:
        totals[getattr(row, key)][0] += row.trees_alive
        totals[getattr(row, key)][1] += row.co2e_t
    return totals


def target_to_date(project, on_date) -> Decimal | None:
    """The CO2e target spread evenly over its horizon from the start of crediting."""
    if project is None or not project.co2e_target_years:
        return None
    years = Decimal((on_date - project.crediting_start).days) / Decimal("365.25")
    share = min(max(years / project.co2e_target_years, Decimal(0)), Decimal(1))
    return tonnes(project.co2e_target_t * share)


# The stock row fields and the summary fields they are grouped by in the database.
SUMMARY_FIELDS = {
    "community_id": "plot__member__community_id",
    "species_id": "species_id",
    "member_id": "plot__member_id",
}


def _verified_groups(f: ReportFilter, on_date: datetime.date, indexes=SUMMARY_FIELDS) -> dict:
    """Verified [trees alive, tCO2e] per community, species or member (`indexes`): today's
    summed in the database from the summaries (one grouped query each, exact), another day's
    from the stock."""
    groups = {}
    if on_date == timezone.localdate():
        summaries = f.summaries(PlotSpeciesSummary.objects.all())
        for index in indexes:
            totals = defaultdict(lambda: [0, Decimal("0")])
            for key, (trees, co2e_t) in selectors.current_stock_by(
                SUMMARY_FIELDS[index], summaries
            ).items():
                totals[key] = [trees, co2e_t]
            groups[index] = totals
        return groups
    verified = f.stock(stock_totals(on_date, "verified"))
    return {index: _group(verified, index) for index in indexes}


def projected_groups(f: ReportFilter, on_date: datetime.date) -> dict:
    """Projected (trees, tCO2e) per community and per species, cached as such under the
    planting topics: after a visit the carbon report reads these few hundred pairs back, not
    the thousands of projected stock rows they are summed from (40 ms to unpickle them)."""

    def compute():
        if on_date == timezone.localdate() and CarbonProject.current() is not None:
            # Today's projection is stored and kept on write: grouped in the database.
            return {
                index: selectors.projected_today_by(SUMMARY_FIELDS[index], f.summaries)
                for index in ("community_id", "species_id")
            }
        projected = f.stock(stock_totals(on_date, "projected"))
        return {
            index: {key: tuple(pair) for key, pair in _group(projected, index).items()}
            for index in ("community_id", "species_id")
        }

    return cached(
        "projected-groups",
        f"{on_date.isoformat()}|{f.key()}",
        compute,
        topics=PROJECTED_TOPICS,
        translated=False,
        as_of=on_date if on_date < timezone.localdate() else None,
    )


def carbon_rows(f: ReportFilter) -> dict:
    """The carbon report's rows by community and by species, cached as such: a warm page reads a
    few hundred rows, not the thousands of stock rows (one per plot and species) they are summed
    from."""

    def compute():
        on_date = f.date_to or timezone.localdate()
        projected = projected_groups(f, on_date)
        verified = _verified_groups(f, on_date, ("community_id", "species_id"))
        names = {
            "community_id": dict(Community.objects.values_list("id", "name")),
            "species_id": dict(Species.objects.values_list("id", "local_name")),
        }
        rows = {}
        for index, slug in (("community_id", "by-community"), ("species_id", "by-species")):
            v, p = verified[index], projected[index]
            rows[slug] = [
                {
                    "name": names[index].get(key, "?"),
                    "trees_alive": v[key][0],
                    "verified_t": tonnes(v[key][1]),
                    "projected_t": tonnes(p.get(key, NONE)[1]),
                    "verified_pct": pct(v[key][1], p.get(key, NONE)[1]),
                }
                for key in sorted(set(v) | set(p), key=lambda k: names[index].get(k, ""))
            ]
        return rows

    return cached("carbon", f.key(), compute, topics=CARBON_TOPICS, translated=False)


def carbon_member_rows(f: ReportFilter) -> list[dict]:
    """Every member with verified stock (a filter narrows the stock rows, hence the members),
    the largest first, as selectors.members_by_stock orders them: by the exact stock."""

    def compute():
        by_member = _verified_groups(f, f.date_to or timezone.localdate(), ("member_id",))
        by_member = by_member["member_id"]
        members = Member.objects.order_by("code").values_list(
            "id", "code", "first_name", "last_name", "community__name"
        )
        rows = [
            _carbon_member_row(pk, code, f"{first} {last}", community, *by_member[pk])
            for pk, code, first, last, community in members
            if pk in by_member
        ]
        # Stable: equal stock keeps the database's code order, the page's whatever the collation.
        rows.sort(key=lambda r: -by_member[r["member_id"]][1])
        return rows

    return cached("carbon-members", f.key(), compute, topics=CARBON_TOPICS, translated=False)


def _carbon_member_row(pk, code, name, community, trees_alive, co2e_t) -> dict:
    return {
        "member_id": pk,
        "code": code,
        "name": name,
        "community": community,
        "trees_alive": trees_alive,
        "co2e_t": tonnes(co2e_t),
    }


def _carbon_member_rows_from_summaries(summaries) -> list[dict]:
    return [
        _carbon_member_row(pk, code, f"{first} {last}", community, trees, Decimal(grams).scaleb(-6))
        for pk, code, first, last, community, trees, grams in summaries.values_list(
            "member_id",
            "member__code",
            "member__first_name",
            "member__last_name",
            "member__community__name",
            "trees_alive",
            "co2e_g",
        )
    ]


def carbon_report(f: ReportFilter) -> list[Table]:
    return _carbon_tables(carbon_rows(f), _carbon_member_table(carbon_member_rows(f)))


def carbon_page(f: ReportFilter) -> list[Table]:
    """The carbon report as its page shows it: the members' table holds its first rows only,
    read from the member summaries when they hold today's stock of every species and land use."""
    on_date = f.date_to or timezone.localdate()
    if f.species_id or f.land_use or on_date != timezone.localdate():
        return carbon_report(f)
    summaries = f.member_summaries(MemberSummary.objects.all())
    ordered = selectors.members_by_stock(summaries)
    rows, total = member_lists.member_page(
        "carbon-members-page",
        f,
        ordered,
        _carbon_member_rows_from_summaries,
        topics=CARBON_TOPICS,
        translated=False,
    )
    return _carbon_tables(carbon_rows(f), _carbon_member_table(rows, total))


def _carbon_tables(rows: dict, by_member: Table) -> list[Table]:
    tables = []
    for slug, title, label in (
        ("by-community", _("Carbon stock by community"), _("community")),
        ("by-species", _("Carbon stock by species"), _("species")),
    ):
        tables.append(
            Table(
                slug,
                title,
                [
                    Column("name", label, numeric=False),
                    TREES_ALIVE,
                    VERIFIED,
                    PROJECTED,
                    Column("verified_pct", _("verified of projected"), "%"),
                ],
                rows[slug],
                chart=Chart("bar", "name", ("verified_t", "projected_t")),
            )
        )
    return [*tables, by_member]


def _carbon_member_table(rows: list[dict], total: int | None = None) -> Table:
    return member_lists.member_table(
        "by-member",
        _("Verified carbon stock by member"),
        [
            Column("code", _("member code"), numeric=False),
            Column("name", _("name"), numeric=False),
            Column("community", _("community"), numeric=False),
            TREES_ALIVE,
            CO2E,
        ],
        rows,
        total,
    )


def carbon_over_time_report(f: ReportFilter) -> list[Table]:
    """Projected and verified stock at year ends, against the target spread over its horizon."""
    project = CarbonProject.current()
    end = f.date_to or timezone.localdate()
    first = (
        f.date_from
        or Planting.objects.order_by("planted_on").values_list("planted_on", flat=True).first()
    )
    rows = []
    if first:
        years = year_ends.drawn_years(first.year, end.year)
        dates = [datetime.date(y, 12, 31) for y in years] + [end]
        rows = [
            {
                "date": day,
                "verified_t": stock_point(f, day, "verified"),
                "projected_t": stock_point(f, day, "projected"),
                "target_t": target_to_date(project, day),
            }
            for day in dates
        ]
    return [
        Table(
            "over-time",
            _("Projected and verified stock over time"),
            [
                Column("date", _("date"), numeric=False),
                VERIFIED,
                PROJECTED,
                Column("target_t", _("target to date"), "t"),
            ],
            rows,
            chart=Chart("line", "date", ("verified_t", "projected_t", "target_t")),
            note=_("The target to date spreads the project's CO2e target evenly over its horizon."),
        )
    ]


def credits_report(f: ReportFilter) -> list[Table]:
    vintages = cached("vintages", "", selectors.vintage_summary, topics=REGISTRY_TOPICS)
    sales = cached(
        "sales",
        f.key(),
        lambda: selectors.sale_summaries(date_from=f.date_from, date_to=f.date_to),
        topics=REGISTRY_TOPICS,
    )
    for sale in sales:
        sale["to_pay"] = sale["producers_pool"] - sale["paid"]
    count = [("issued", _("issued")), ("buffer", _("buffer")), ("sold", _("sold"))]
    count += [("retired", _("retired")), ("cancelled", _("cancelled"))]
    count += [("available", _("available"))]
    return [
        Table(
            "vintages",
            _("Credits per vintage"),
            [Column("vintage", _("vintage"), numeric=False)]
            + [Column(key, label, "tCO2e") for key, label in count],
            vintages,
            chart=Chart("bar", "vintage", ("issued", "sold", "retired", "buffer")),
            note=_("The registry as it stands today: the dates chosen filter the sales below."),
        ),
        Table(
            "sales",
            _("Sales: revenue, producers' pool and payments"),
            [
                Column("date", _("date"), numeric=False),
                Column("buyer", _("buyer"), numeric=False),
                Column("vintage", _("vintage"), numeric=False),
                Column("quantity", _("quantity"), "tCO2e"),
                Column("price", _("unit price")),
                Column("currency", _("currency"), numeric=False),
                Column("revenue", _("revenue")),
                Column("producers_pool", _("producers' pool")),
                Column("paid", _("paid to producers")),
                Column("to_pay", _("still to pay")),
            ],
            sales,
            link={"date": ("credits:sale_detail", "id")},
        ),
    ]


def dashboard_figures() -> dict:
    today = timezone.localdate()
    project = CarbonProject.current()
    year_start = today.replace(month=1, day=1)
    totals = dict(cached("credit-totals", "", selectors.credit_totals, topics=REGISTRY_TOPICS))
    totals["to_pay"] = totals["producers_pool"] - totals["paid_to_producers"]
    this_year = cached(
        "credit-totals",
        year_start.isoformat(),
        lambda: selectors.credit_totals(date_from=year_start),
        topics=REGISTRY_TOPICS,
    )
    verified_t = tonnes(selectors.current_stock_total())
    return {
        "carbon": {
            "verified_t": verified_t,
            # One cached figure: a visit leaves it cached, with nothing to unpickle.
            "projected_t": stock_point(ReportFilter(), today, "projected"),
            "target_t": project.co2e_target_t if project else None,
            "target_years": project.co2e_target_years if project else None,
            "target_to_date_t": target_to_date(project, today),
            "verified_of_target_pct": pct(verified_t, project.co2e_target_t) if project else None,
        },
        "credits": totals,
        "credits_this_year": this_year,
        "year": today.year,
    }


def community_report(f: ReportFilter) -> list[Table]:
    """One community on a page (printable, PDF): its members, survival and carbon by species."""
    if not f.community_id:
        return []
    picked = [replace(t, slug=f"member-{t.slug}") for t in member_lists.members_report(f)]
    picked += [
        replace(t, slug=f"survival-{t.slug}")
        for t in field.survival_report(f)
        if t.slug == "by-species"
    ]
    picked += [
        replace(t, slug=f"carbon-{t.slug}")
        for t in carbon_report(f)
        if t.slug in ("by-species", "by-member")
    ]
    return picked
