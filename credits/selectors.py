"""Reads of the carbon programme for pages, dashboards and reports (a stable contract).

Every function aggregates in the database or, for stock, in a fixed number of queries: the query
count does not grow with the data. Money is in the project's currency (`CarbonProject.currency`,
USD by default): a sale in any other currency is refused, so sums of revenue are meaningful.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from credits import projected_today
from credits.models import (
    CarbonProject,
    CreditBlock,
    CreditEvent,
    MemberPeriodResult,
    MemberSummary,
    Payment,
    PlotSpeciesSummary,
    ProducerShare,
    Retirement,
    Sale,
)
from credits.projection import projected_stock
from credits.stock import Readings, StockRow, readings_at, verified_stock
from credits.summary_rows import tonnes

__all__ = [
    "StockRow",
    "stock_rows",
    "field_readings",
    "current_stock",
    "current_stock_by",
    "current_stock_total",
    "projected_today_by",
    "members_by_stock",
    "members_by_survival",
    "projected_today_total",
    "credit_totals",
    "vintage_summary",
    "sale_summaries",
    "member_ledger",
]

ZERO = Decimal("0")
BLOCK_COUNT = F("serial_end") - F("serial_start") + 1
Action = CreditEvent.Action


def _money(value) -> Decimal:
    # SQLite returns sums of decimals without their scale; show cents everywhere.
    return Decimal(value).quantize(Decimal("0.01"))


def stock_rows(
    *,
    on_date: datetime.date,
    kind: Literal["verified", "projected"],
    project: CarbonProject | None = None,
    member=None,
    readings: Readings | None = None,
) -> list[StockRow]:
    """One row per plot and species: trees alive and tCO2e at a date, verified or projected.

    `member` (optional) narrows the rows to that member's plots, for the statement;
    `readings` (field_readings of that day) saves reading the field data for a past day.
    """
    project = project or CarbonProject.current()
    if project is None:  # no carbon project configured yet: no stock to compute
        return []
    if kind == "verified":
        if on_date == timezone.localdate():
            return current_stock(member=member)
        return verified_stock(on_date=on_date, project=project, member=member, readings=readings)
    if kind == "projected":
        return projected_stock(on_date=on_date, project=project, member=member)
    raise ValueError(f"Unknown stock kind {kind!r}; use 'verified' or 'projected'.")


def field_readings(on_date: datetime.date, project: CarbonProject | None = None) -> Readings | None:
    """The latest counts and sample tree sums on a day (credits.stock.Readings): what a past
    day's verified stock reads of the field data."""
    project = project or CarbonProject.current()
    return None if project is None else readings_at(on_date, project)


def current_stock(*, member=None) -> list[StockRow]:
    """Today's verified stock, read from the summaries kept on write (one query): the rows
    credits/stock.py computes from the raw counts and sample trees
    (tests/credits/test_summaries.py)."""
    rows = PlotSpeciesSummary.objects.filter(verified=True)
    if member is not None:
        rows = rows.filter(plot__member=member)
    return [
        StockRow(*values[:6], tonnes(co2e_g), unmeasured, tonnes(unmeasured_g))
        for *values, co2e_g, unmeasured, unmeasured_g in rows.order_by(
            "plot_id", "species_id"
        ).values_list(
            "plot_id",
            "plot__member_id",
            "plot__member__community_id",
            "species_id",
            "plot__land_use",
            "trees_alive",
            "co2e_g",
            "unmeasured_trees",
            "unmeasured_co2e_g",
        )
    ]


def _total_co2e_t(rows) -> Decimal:
    """The tCO2e of plot and species rows holding `co2e_g`, summed exactly in the database."""
    return tonnes(rows.aggregate(g=Sum("co2e_g"))["g"] or 0)


def _stock_by(rows, field: str) -> dict:
    """{value of `field`: (trees alive, tCO2e)} of plot and species rows holding
    `trees_alive` and `co2e_g`, grouped in the database, exact (summed in grams)."""
    grouped = (
        rows.order_by().values_list(field).annotate(trees=Sum("trees_alive"), co2e_g=Sum("co2e_g"))
    )
    return {key: (trees, tonnes(co2e_g)) for key, trees, co2e_g in grouped}


def current_stock_total(rows=None) -> Decimal:
    """Today's verified tCO2e of the whole cooperative, summed exactly in the database. `rows`
    narrows the plot and species summaries (a report filter)."""
    rows = PlotSpeciesSummary.objects.all() if rows is None else rows
    return _total_co2e_t(rows.filter(verified=True))


def current_stock_by(field: str, rows=None) -> dict:
    """Today's verified stock grouped in the database by `field` of the plot and species
    summary ("plot__member__community_id", "species_id", "plot__member_id"): {value: (trees
    alive, tCO2e)}. `rows` narrows the summaries (a report filter)."""
    rows = PlotSpeciesSummary.objects.all() if rows is None else rows
    return _stock_by(rows.filter(verified=True), field)


def members_by_stock(summaries: QuerySet[MemberSummary] | None = None) -> QuerySet:
    """Members holding verified stock today, the largest first (member code breaks ties), from
    the member summaries kept on write: a page reads its first rows without grouping every plot
    and species row. `summaries` narrows them (a report filter)."""
    summaries = MemberSummary.objects.all() if summaries is None else summaries
    verified = PlotSpeciesSummary.objects.filter(
        verified=True, plot__member_id=OuterRef("member_id")
    )
    return summaries.filter(Exists(verified)).order_by("-co2e_g", "member__code")


def members_by_survival(summaries: QuerySet[MemberSummary] | None = None) -> QuerySet:
    """Members with trees counted at their latest visits, the lowest survival first (trees
    alive / planted on the visited plots, exact; member code breaks ties)."""
    summaries = MemberSummary.objects.all() if summaries is None else summaries
    share = Cast("latest_alive", FloatField()) / Cast("latest_planted", FloatField())
    counted = summaries.filter(latest_alive__isnull=False, latest_planted__gt=0)
    return counted.alias(share=share).order_by("share", "member__code")


def projected_today_total(narrow=lambda rows: rows) -> Decimal:
    """Today's projected tCO2e, summed over the stored projection (credits/projected_today.py);
    `narrow` filters its rows (a report filter's `summaries`)."""
    return _total_co2e_t(narrow(projected_today.stored_today()))


def projected_today_by(field: str, narrow=lambda rows: rows) -> dict:
    """Today's projected stock grouped by `field`, as current_stock_by groups the verified."""
    return _stock_by(narrow(projected_today.stored_today()), field)


def _date_range(field: str, date_from, date_to) -> Q:
    query = Q()
    if date_from:
        query &= Q(**{f"{field}__gte": date_from})
    if date_to:
        query &= Q(**{f"{field}__lte": date_to})
    return query


def credit_totals(*, date_from=None, date_to=None) -> dict:
    """Credits issued, buffer, sold, retired, cancelled in a date range, credits available now,
    and money: revenue, producers' pool, paid to producers.

    Sales, retirements and payments count on their own dates (sold on, retired on, paid on: a
    December sale recorded in January belongs to December); issuance, buffer and cancellations
    on the day the registry made them (their event rows)."""

    def credits(*actions):
        return Coalesce(Sum("quantity", filter=Q(action__in=actions)), 0)

    events = CreditEvent.objects.filter(_date_range("at__date", date_from, date_to)).aggregate(
        issued=credits(Action.ISSUE),
        buffer=credits(Action.BUFFER),
        cancelled=credits(Action.CANCEL, Action.REVERSAL),
    )
    available = CreditBlock.objects.filter(
        is_buffer=False, status=CreditBlock.Status.AVAILABLE
    ).aggregate(n=Coalesce(Sum(BLOCK_COUNT), 0))["n"]
    sales = Sale.objects.filter(_date_range("sold_on", date_from, date_to)).aggregate(
        sold=Coalesce(Sum("quantity"), 0),
        revenue=Coalesce(Sum("revenue"), ZERO),
        producers_pool=Coalesce(Sum("producers_pool"), ZERO),
    )
    retired = Retirement.objects.filter(_date_range("retired_on", date_from, date_to)).aggregate(
        n=Coalesce(Sum("quantity"), 0)
    )["n"]
    paid = Payment.objects.filter(_date_range("paid_on", date_from, date_to)).aggregate(
        paid=Coalesce(Sum("amount"), ZERO)
    )["paid"]
    project = CarbonProject.current()
    return {
        "issued": int(events["issued"]),
        "buffer": int(events["buffer"]),
        "sold": int(sales["sold"]),
        "retired": int(retired),
        "cancelled": int(events["cancelled"]),
        "available": int(available),
        "revenue": _money(sales["revenue"]),
        "producers_pool": _money(sales["producers_pool"]),
        "paid_to_producers": _money(paid),
        "currency": project.currency if project else "",
    }


def vintage_summary() -> list[dict]:
    """Per vintage: credits issued, buffer, sold (ever), retired, cancelled, available now."""

    def count(query: Q):
        return Coalesce(Sum(BLOCK_COUNT, filter=query), 0)

    rows = (
        CreditBlock.objects.values(
            "period_id", "period__vintage", "period__start_date", "period__end_date"
        )
        .annotate(
            issued=count(Q(is_buffer=False)),
            buffer=count(Q(is_buffer=True)),
            sold=count(Q(sale__isnull=False)),
            retired=count(Q(status=CreditBlock.Status.RETIRED)),
            cancelled=count(Q(status=CreditBlock.Status.CANCELLED)),
            available=count(Q(is_buffer=False, status=CreditBlock.Status.AVAILABLE)),
        )
        .order_by("period__start_date")
    )
    return [
        {
            "period_id": row["period_id"],
            "vintage": row["period__vintage"],
            "start_date": row["period__start_date"],
            "end_date": row["period__end_date"],
            **{
                key: int(row[key])
                for key in ("issued", "buffer", "sold", "retired", "cancelled", "available")
            },
        }
        for row in rows
    ]


def sale_summaries(*, date_from=None, date_to=None) -> list[dict]:
    """Per sale: date, buyer, quantity, price, currency, revenue, producers' pool, paid so far."""
    sales = (
        Sale.objects.filter(_date_range("sold_on", date_from, date_to))
        .annotate(
            paid=Coalesce(Sum("shares__amount", filter=Q(shares__payment__isnull=False)), ZERO)
        )
        .values(
            "id",
            "sold_on",
            "buyer__name",
            "buyer__country",
            "period__vintage",
            "quantity",
            "unit_price",
            "currency",
            "revenue",
            "producers_pool",
            "distributed_at",
            "paid",
        )
        .order_by("-sold_on", "-id")
    )
    return [
        {
            "id": s["id"],
            "date": s["sold_on"],
            "buyer": s["buyer__name"],
            "buyer_country": s["buyer__country"],
            "vintage": s["period__vintage"],
            "quantity": s["quantity"],
            "price": s["unit_price"],
            "currency": s["currency"],
            "revenue": s["revenue"],
            "producers_pool": s["producers_pool"],
            "distributed": s["distributed_at"] is not None,
            "paid": _money(s["paid"]),
        }
        for s in sales
    ]


def member_ledger(member) -> dict:
    """A member's account: owed (shares of sales), paid, balance, credits attributed, net tCO2e,
    with the rows behind each figure (periods, shares, payments) for the statement."""
    results = list(
        MemberPeriodResult.objects.filter(member=member)
        .select_related("period")
        .order_by("period__start_date")
    )
    shares = list(
        ProducerShare.objects.filter(member=member)
        .select_related("sale__buyer", "sale__period", "payment")
        .order_by("sale__sold_on", "sale_id")
    )
    payments = list(
        Payment.objects.filter(member=member)
        .annotate(share_count=Count("shares"))
        .order_by("paid_on", "pk")
    )
    owed = sum((share.amount for share in shares), ZERO)
    paid = sum((payment.amount for payment in payments), ZERO)
    project = CarbonProject.current()
    return {
        "owed": owed,
        "paid": paid,
        "balance": owed - paid,
        "credits_attributed": sum((r.credits_attributed for r in results), ZERO),
        "co2e_t": sum((r.net_co2e_t for r in results), ZERO),
        "currency": project.currency if project else "",
        "periods": results,
        "shares": shares,
        "payments": payments,
    }
