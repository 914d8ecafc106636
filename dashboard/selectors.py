"""Reads that compose several apps for the pages of the dashboard app.

`member_statement` is the one read behind the member's statement ("liquidación"): the HTML page,
its full PDF and the one-page payday PDF all print the figures of the same dataclass.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from credits import selectors as credit_selectors
from credits.models import PEN, CarbonProject, MemberPeriodResult, Payment, ProducerShare
from members.models import Member
from plantings.models import Planting

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SpeciesLine:
    """The member's trees of one species: planted, alive at the latest count, tCO2e stored."""

    local_name: str
    scientific_name: str
    planted: int
    alive: int
    co2e_t: Decimal

    @property
    def survival_pct(self) -> Decimal | None:
        if not self.planted:
            return None
        return (Decimal(self.alive) * 100 / self.planted).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PeriodLine:
    """One closed monitoring period: the CO2 the member's trees took from the air in it."""

    start_date: datetime.date
    end_date: datetime.date
    trees_alive_end: int
    net_co2e_t: Decimal
    credits: Decimal


@dataclass(frozen=True)
class ShareLine:
    """The member's part of one sale, in the sale currency, and when it was paid."""

    sold_on: datetime.date
    buyer: str
    amount: Decimal
    currency: str
    paid_on: datetime.date | None


@dataclass(frozen=True)
class PaymentLine:
    """Money the member received: in soles, with the sale currency and the rate beside it."""

    paid_on: datetime.date
    method: str
    reference: str
    amount: Decimal
    currency: str
    exchange_rate_pen: Decimal | None
    amount_pen: Decimal | None


@dataclass(frozen=True)
class MemberStatement:
    """Everything the statement prints, computed once."""

    member: Member
    project: CarbonProject | None
    as_of: datetime.date
    species: list[SpeciesLine]
    periods: list[PeriodLine]
    shares: list[ShareLine]
    payments: list[PaymentLine]
    currency: str
    owed: Decimal  # every share of sales, paid or not, in the sale currency
    paid: Decimal  # in the sale currency
    paid_pen: Decimal  # soles received (payments that recorded a rate)
    last_paid_on: datetime.date | None

    @property
    def balance(self) -> Decimal:
        """Still to be paid, in the sale currency (soles at the rate of the day it is paid)."""
        return self.owed - self.paid

    @property
    def trees_planted(self) -> int:
        return sum(line.planted for line in self.species)

    @property
    def trees_alive(self) -> int:
        return sum(line.alive for line in self.species)

    @property
    def co2e_t(self) -> Decimal:
        return sum((line.co2e_t for line in self.species), ZERO)

    @property
    def credits(self) -> Decimal:
        return sum((line.credits for line in self.periods), ZERO)

    @property
    def last_payment(self) -> PaymentLine | None:
        return self.payments[-1] if self.payments else None

    @property
    def in_soles(self) -> bool:
        return self.currency == PEN


def _species_lines(member: Member, project: CarbonProject | None, as_of) -> list[SpeciesLine]:
    planted = Planting.objects.filter(plot__member=member).trees_by_species()
    alive: dict[int, tuple[int, Decimal]] = {}
    if project is not None:
        # The stock formula (growth curves, allometry) is computed by credits.stock in a fixed
        # number of queries; its rows are per plot and species, added up here per species.
        for row in credit_selectors.stock_rows(
            on_date=as_of, kind="verified", project=project, member=member
        ):
            trees, co2e = alive.get(row.species_id, (0, ZERO))
            alive[row.species_id] = (trees + row.trees_alive, co2e + Decimal(row.co2e_t))
    return [
        SpeciesLine(
            local_name=line["species__local_name"],
            scientific_name=line["species__scientific_name"],
            planted=line["trees"],
            alive=alive.get(line["species_id"], (0, ZERO))[0],
            co2e_t=alive.get(line["species_id"], (0, ZERO))[1],
        )
        for line in planted
    ]


def _lines(line_class, queryset, **columns):
    """One `line_class` per row of `queryset`, each attribute read from the column it names
    (one query, of those columns only)."""
    return [
        line_class(**{attribute: row[column] for attribute, column in columns.items()})
        for row in queryset.values(*columns.values())
    ]


def member_statement(member: Member, *, as_of: datetime.date | None = None) -> MemberStatement:
    """The member's statement in a fixed number of queries, whatever their history."""
    as_of = as_of or timezone.localdate()
    project = CarbonProject.current()
    periods = _lines(
        PeriodLine,
        MemberPeriodResult.objects.filter(member=member).order_by("period__start_date"),
        start_date="period__start_date",
        end_date="period__end_date",
        trees_alive_end="trees_alive_end",
        net_co2e_t="net_co2e_t",
        credits="credits_attributed",
    )
    shares = _lines(
        ShareLine,
        ProducerShare.objects.filter(member=member).order_by("sale__sold_on", "sale_id"),
        sold_on="sale__sold_on",
        buyer="sale__buyer__name",
        amount="amount",
        currency="sale__currency",
        paid_on="payment__paid_on",
    )
    payments = [
        PaymentLine(
            paid_on=p.paid_on,
            method=p.get_method_display(),
            reference=p.reference,
            amount=p.amount,
            currency=p.currency,
            exchange_rate_pen=p.exchange_rate_pen,
            amount_pen=p.amount_pen,
        )
        for p in Payment.objects.filter(member=member).order_by("paid_on", "pk")
    ]
    owed = ProducerShare.objects.filter(member=member).aggregate(
        owed=Coalesce(Sum("amount"), ZERO)
    )["owed"]
    money = Payment.objects.filter(member=member).aggregate(
        paid=Coalesce(Sum("amount"), ZERO),
        paid_pen=Coalesce(Sum("amount_pen", filter=Q(amount_pen__isnull=False)), ZERO),
        last=Max("paid_on"),
    )
    return MemberStatement(
        member=member,
        project=project,
        as_of=as_of,
        species=_species_lines(member, project, as_of),
        periods=periods,
        shares=shares,
        payments=payments,
        currency=project.currency if project else PEN,
        # SQLite sums decimals without their scale: cents everywhere.
        owed=Decimal(owed).quantize(CENT),
        paid=Decimal(money["paid"]).quantize(CENT),
        paid_pen=Decimal(money["paid_pen"]).quantize(CENT),
        last_paid_on=money["last"],
    )
