"""Producers' share of sales: split to the cent by net tCO2e, payments, the member ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from credits import selectors, services
from credits.models import CreditEvent, MemberPeriodResult, Payment, ProducerShare
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
RATE = Decimal("3.7500")  # soles per USD


@pytest.fixture
def sale(issued, manager):
    return services.sell_credits(
        period=issued,
        buyer=BuyerFactory(name="Alter Eco"),
        quantity=33,
        unit_price=Decimal("9.99"),
        sold_on=DAY,
        user=manager,
    )


def test_distribution_follows_net_removals_to_the_cent(sale, programme, manager):
    # 33 × 9.99 = 329.67; × 0.60 = 197.802 → pool 197.81 (rounded up: never below 60 %).
    assert sale.producers_pool == Decimal("197.81")
    shares = services.distribute_revenue(sale=sale, user=manager)
    assert sum(s.amount for s in shares) == Decimal("197.81")
    nets = dict(
        MemberPeriodResult.objects.filter(period=sale.period).values_list("member_id", "net_co2e_t")
    )
    member_a, member_b = (m.pk for m in programme["members"])
    by_member = {s.member_id: s.amount for s in ProducerShare.objects.filter(sale=sale)}
    exact_a = Decimal("197.81") * nets[member_a] / (nets[member_a] + nets[member_b])
    assert abs(by_member[member_a] - exact_a) < Decimal("0.01")  # of 197.81
    event = CreditEvent.objects.get(action="distribute")
    assert (event.amount, event.user) == (Decimal("197.81"), manager)
    with pytest.raises(ValidationError, match="already distributed"):
        services.distribute_revenue(sale=sale)
    assert ProducerShare.objects.count() == 2


def test_payment_settles_the_ledger(sale, programme, manager):
    services.distribute_revenue(sale=sale)
    member_a = programme["members"][0]
    owed = ProducerShare.objects.get(member=member_a).amount
    payment = services.record_payment(
        member=member_a,
        paid_on=DAY,
        method="bank",
        reference="OP-123",
        exchange_rate_pen=RATE,
        user=manager,
    )
    assert payment.amount == owed and payment.currency == "USD"
    ledger = selectors.member_ledger(member_a)
    assert (ledger["owed"], ledger["paid"], ledger["balance"]) == (owed, owed, Decimal("0"))
    assert (
        ledger["credits_attributed"]
        == MemberPeriodResult.objects.get(member=member_a).credits_attributed
    )
    with pytest.raises(ValidationError, match="Nothing is owed"):
        services.record_payment(member=member_a, paid_on=DAY, method="bank", exchange_rate_pen=RATE)
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"method": "gold"}, "method"),
        ({"method": "cash", "paid_on": datetime.date(2999, 1, 1)}, "paid_on"),
    ],
)
def test_payment_bad_input_writes_nothing(sale, programme, kwargs, field):
    services.distribute_revenue(sale=sale)
    kwargs.setdefault("paid_on", DAY)
    with pytest.raises(ValidationError) as error:
        services.record_payment(member=programme["members"][0], exchange_rate_pen=RATE, **kwargs)
    assert field in error.value.message_dict
    assert not Payment.objects.exists()
    assert not ProducerShare.objects.filter(payment__isnull=False).exists()


def test_totals_and_summaries(sale, issued, programme):
    services.distribute_revenue(sale=sale)
    services.retire_credits(
        period=issued, quantity=3, beneficiary="Alter Eco", reason="2023", retired_on=DAY, sale=sale
    )
    services.record_payment(
        member=programme["members"][1], paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )
    paid_b = ProducerShare.objects.get(member=programme["members"][1]).amount
    totals = selectors.credit_totals()
    assert totals == {
        "issued": 57,
        "buffer": 15,
        "sold": 33,
        "retired": 3,
        "cancelled": 0,
        "available": 24,
        "revenue": Decimal("329.67"),
        "producers_pool": Decimal("197.81"),
        "paid_to_producers": paid_b,
        "currency": "USD",
    }
    assert selectors.credit_totals(date_to=datetime.date(2000, 1, 1))["revenue"] == 0
    [vintage] = selectors.vintage_summary()
    assert {k: vintage[k] for k in ("vintage", "issued", "buffer", "sold", "retired")} == {
        "vintage": "2019",
        "issued": 57,
        "buffer": 15,
        "sold": 33,
        "retired": 3,
    }
    assert vintage["available"] == 24 and vintage["cancelled"] == 0
    [summary] = selectors.sale_summaries()
    assert (summary["buyer"], summary["revenue"], summary["paid"]) == (
        "Alter Eco",
        Decimal("329.67"),
        paid_b,
    )
    assert selectors.sale_summaries(date_from=datetime.date(2025, 1, 1)) == []


def test_totals_count_sales_retirements_and_payments_on_their_own_dates(sale, issued, programme):
    """The sale, retirement and payment are dated 2024-03-01 but recorded today: a year's totals
    count them in 2024 (when they happened), not in the year they were typed in."""
    services.distribute_revenue(sale=sale)
    services.retire_credits(
        period=issued, quantity=3, beneficiary="Alter Eco", reason="2023", retired_on=DAY, sale=sale
    )
    services.record_payment(
        member=programme["members"][1], paid_on=DAY, method="cash", exchange_rate_pen=RATE
    )
    paid_b = ProducerShare.objects.get(member=programme["members"][1]).amount
    year_2024 = selectors.credit_totals(
        date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 12, 31)
    )
    assert (year_2024["sold"], year_2024["retired"], year_2024["paid_to_producers"]) == (
        33,
        3,
        paid_b,
    )
    today = timezone.localdate()
    this_year = selectors.credit_totals(date_from=today.replace(month=1, day=1), date_to=today)
    assert (this_year["sold"], this_year["retired"], this_year["paid_to_producers"]) == (
        0,
        0,
        Decimal("0.00"),
    )
    # Issuance counts on the day the registry issued the credits (today, in this test).
    assert (this_year["issued"], year_2024["issued"]) == (57, 0)
