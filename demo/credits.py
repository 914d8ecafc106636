"""Demo credit history: the carbon programme as a manager finds it after years of work.

Runs after the field data (demo.data) and only through the credit services
(credits.services), so every figure traces back to the field data exactly as a manager's own
operations would: four-year monitoring periods from the crediting start, each closed and issued;
two sales of each vintage to fictional buyers (about fourteen months and then three years and a
half after the period ends), most of each sale retired by its buyer; every sale's producers' pool
shared between the members; and paydays two months after each distribution, where most members
are paid everything owed to them while a few are left to pay. With `until` late in a year, the
last vintage's second sale falls in that year and part of it is still owed to producers.

The same seed and `until` give the same history (the dates and prices come from them).
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from credits import services
from credits.models import Buyer, CarbonProject, MonitoringPeriod, Payment, ProducerShare, Sale
from credits.reference_data import DEFAULT_PROJECT

PERIOD_YEARS = 4
# Fictional buyers: any likeness to a real company is chance.
BUYERS = (
    ("Chocolates del Bosque S.L.", "España"),
    ("Klimawald Kakao GmbH", "Deutschland"),
    ("Maison Cabosse SAS", "France"),
    ("Selva Viva Logística S.A.C.", "Perú"),
)
FIRST_SALE_SHARE = Decimal("0.55")
SECOND_SALE_SHARE = Decimal("0.30")
RETIRED_SHARE = Decimal("0.80")
PAID_SHARE = 0.85  # members paid on each payday; the others wait for the next one

# Soles per unit of the sale currency on demo paydays: an invented round figure near the
# 2010s USD rate, not a published one (real paydays enter the day's rate).
DEMO_EXCHANGE_RATE_PEN = Decimal("3.50")


@dataclass
class CreditStats:
    periods: int = 0
    credits_issued: int = 0
    sales: int = 0
    credits_sold: int = 0
    retirements: int = 0
    payments: int = 0


class CreditHistoryBuilder:
    def __init__(
        self,
        *,
        until: datetime.date,
        seed: int,
        progress: Callable[[str], None] = lambda message: None,
    ):
        self.until = until
        self.rng = random.Random(seed)
        self.progress = progress
        self.stats = CreditStats()
        # The migration's project row, or the same reference row again if it was deleted: the
        # demo is one of the places a project is made (pages only read it).
        self.project = CarbonProject.current() or CarbonProject.objects.create(**DEFAULT_PROJECT)

    @transaction.atomic  # one transaction: all of it or nothing, and fast on SQLite
    def build(self) -> CreditStats:
        buyers = [
            Buyer.objects.get_or_create(name=name, defaults={"country": country})[0]
            for name, country in BUYERS
        ]
        sales = []  # (sold on, period, buyer, quantity), sold afterwards in date order
        for index, period in enumerate(self._periods()):
            blocks = services.issue_credits(period=period) if period.issuable_credits else []
            tradable = sum(block.count for block in blocks if not block.is_buffer)
            self.stats.credits_issued += sum(block.count for block in blocks)
            end = period.end_date
            for share, sold_on in (
                (FIRST_SALE_SHARE, datetime.date(end.year + 1, 3, 10)),
                (SECOND_SALE_SHARE, datetime.date(end.year + 3, 6, 12)),
            ):
                quantity = int(tradable * share)
                if quantity and sold_on <= self.until:
                    buyer = buyers[(index + len(sales)) % len(buyers)]
                    sales.append((sold_on, period, buyer, quantity))
        for sold_on, period, buyer, quantity in sorted(sales, key=lambda sale: sale[0]):
            self._sell(period, buyer, quantity, sold_on)
        return self.stats

    def _periods(self) -> list[MonitoringPeriod]:
        """Closed four-year periods from the crediting start, each ended before `until`."""
        periods = []
        start = self.project.crediting_start
        while True:
            end = datetime.date(start.year + PERIOD_YEARS - 1, 12, 31)
            if end >= self.until:
                break
            vintage = f"{start.year}-{end.year}"
            period = services.open_period(
                project=self.project, start_date=start, end_date=end, vintage=vintage
            )
            periods.append(services.close_period(period=period))
            self.progress(f"credits: period {vintage} closed")
            start = datetime.date(end.year + 1, 1, 1)
        self.stats.periods = len(periods)
        return periods

    def _sell(self, period, buyer, quantity: int, sold_on: datetime.date) -> Sale:
        unit_price = Decimal(self.rng.randrange(900, 1500)) / 100  # USD per tCO2e
        sale = services.sell_credits(
            period=period, buyer=buyer, quantity=quantity, unit_price=unit_price, sold_on=sold_on
        )
        self.stats.sales += 1
        self.stats.credits_sold += quantity
        retired_on = sold_on + datetime.timedelta(days=30)
        retired = int(quantity * RETIRED_SHARE)
        if retired and retired_on <= self.until:
            services.retire_credits(
                period=period,
                quantity=retired,
                beneficiary=buyer.name,
                reason="Compensación de emisiones de la cadena de suministro de cacao",
                retired_on=retired_on,
                sale=sale,
            )
            self.stats.retirements += 1
        if period.member_results.filter(net_co2e_t__gt=0).exists():
            services.distribute_revenue(sale=sale)
            self._payday(sold_on + datetime.timedelta(days=60))
        return sale

    def _payday(self, paid_on: datetime.date) -> None:
        """Most members owed money are paid, each by bank, mobile wallet or cash."""
        if paid_on > self.until:
            return
        owed = (
            ProducerShare.objects.filter(payment__isnull=True, amount__gt=0)
            .order_by("member_id")
            .values_list("member_id", flat=True)
            .distinct()
        )
        by_method: dict[str, list[int]] = {}
        methods = [Payment.Method.BANK, Payment.Method.MOBILE, Payment.Method.CASH]
        for member_id in owed:
            if self.rng.random() < PAID_SHARE:
                by_method.setdefault(self.rng.choice(methods), []).append(member_id)
        for method, members in by_method.items():
            payments = services.pay_all_owed(
                paid_on=paid_on,
                method=method,
                reference=f"Pago {paid_on.isoformat()}",
                members=members,
                exchange_rate_pen=DEMO_EXCHANGE_RATE_PEN,
            )
            self.stats.payments += len(payments)
        paid = sum(len(members) for members in by_method.values())
        self.progress(f"credits: {paid} members paid on {paid_on.isoformat()}")
