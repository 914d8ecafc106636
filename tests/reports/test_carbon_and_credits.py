"""Carbon and credit reports on the credits engineer's small programme (tests/credits/conftest.py):
figures checked against the model rows they summarise, and against hand-made sums."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from credits import services
from credits.models import CreditBlock, MemberPeriodResult
from credits.selectors import stock_rows
from reports.credit_reports import carbon_report, credits_report, target_to_date
from reports.filters import ReportFilter
from tests.credits.conftest import issued, period, programme, project  # noqa: F401 (fixtures)
from tests.credits.factories import BuyerFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def sale(issued, manager):  # noqa: F811
    return services.sell_credits(
        period=issued,
        buyer=BuyerFactory(name="Alter Eco"),
        quantity=33,
        unit_price=Decimal("9.99"),
        sold_on=DAY,
        user=manager,
    )


def test_credits_report_per_vintage_and_per_sale(sale, manager):
    issued_total = sum(
        b.serial_end - b.serial_start + 1 for b in CreditBlock.objects.filter(is_buffer=False)
    )
    buffer_total = sum(
        b.serial_end - b.serial_start + 1 for b in CreditBlock.objects.filter(is_buffer=True)
    )
    vintages, sales = credits_report(ReportFilter())
    (row,) = vintages.rows
    assert (row["vintage"], row["issued"], row["buffer"], row["sold"]) == (
        "2019",
        issued_total,
        buffer_total,
        33,
    )
    assert row["available"] == issued_total - 33
    (sold,) = sales.rows
    assert (sold["quantity"], sold["revenue"], sold["producers_pool"]) == (
        33,
        Decimal("329.67"),  # 33 × 9.99
        Decimal("197.81"),  # 60 % of it, rounded up to the cent (never below 60 %)
    )
    assert sold["paid"] == 0 and sold["to_pay"] == Decimal("197.81")
    services.distribute_revenue(sale=sale, user=manager)
    member = MemberPeriodResult.objects.order_by("pk").first().member
    payment = services.record_payment(
        member=member,
        paid_on=DAY,
        method="bank",
        reference="OP-1",
        exchange_rate_pen=Decimal("3.75"),
        user=manager,
    )
    (sold,) = credits_report(ReportFilter())[1].rows  # the cache saw the payment
    assert sold["paid"] == payment.amount
    assert sold["to_pay"] == Decimal("197.81") - payment.amount
    assert credits_report(ReportFilter(date_to=datetime.date(2024, 2, 1)))[1].rows == []


def test_dashboard_money_figures(manager_client, sale, manager):
    response = manager_client.get(reverse("home"))
    credits = response.context["credits"]
    assert credits["sold"] == 33
    assert credits["revenue"] == Decimal("329.67")
    assert credits["producers_pool"] == Decimal("197.81")
    assert credits["paid_to_producers"] == Decimal("0.00")
    assert credits["to_pay"] == Decimal("197.81")  # the whole pool: nothing paid yet
    html = response.content.decode()
    assert 'data-figure="sold">33<' in html and 'data-figure="to_pay">197.81<' in html


def test_carbon_report_groups_the_stock_rows(programme):  # noqa: F811
    on_date = datetime.date(2020, 1, 1)
    rows = stock_rows(on_date=on_date, kind="verified")
    expected = sum(r.co2e_t for r in rows)
    assert expected > 0
    tables = {t.slug: t for t in carbon_report(ReportFilter(date_to=on_date))}
    (community,) = tables["by-community"].rows
    assert community["name"] == "Dos de Mayo"
    assert community["trees_alive"] == 780 + 400  # the latest counts of both plots
    assert abs(community["verified_t"] - expected) <= Decimal("0.01")
    by_member = {r["name"].split()[0]: r for r in tables["by-member"].rows}
    assert by_member["Ana"]["trees_alive"] == 780 and by_member["Beto"]["trees_alive"] == 400
    other = carbon_report(ReportFilter(date_to=on_date, community_id=programme["community"].pk + 1))
    assert other[0].rows == []


def test_target_to_date_spreads_the_target_evenly(project):  # noqa: F811
    halfway = project.crediting_start + datetime.timedelta(
        days=round(365.25 * project.co2e_target_years / 2)
    )
    assert abs(target_to_date(project, halfway) - project.co2e_target_t / 2) < 50
    assert target_to_date(project, project.crediting_start) == 0
