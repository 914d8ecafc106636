"""The issue's "done when": with demo data, a manager closes a period, issues, sells part,
retires part, distributes the revenue and prints a member's statement whose figures trace back."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from credits import selectors
from credits.models import (
    Buyer,
    CreditBlock,
    MemberPeriodResult,
    MonitoringPeriod,
    ProducerShare,
    Sale,
)
from credits.stock import stock_at, stock_by_member

pytestmark = pytest.mark.django_db


def confirm(client, name, data, *args):
    response = client.post(reverse(name, args=args), {**data, "confirm": "1"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return response


def test_demo_data_end_to_end(manager_client, settings):
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    call_command(
        "seed_demo",
        members=30,
        seed=11,
        until=datetime.date(2024, 6, 30),
        without_credits=True,  # the manager does it all by hand below
        stdout=None,
    )
    confirm(
        manager_client,
        "credits:period_add",
        {
            "start_date": "2019-01-01",
            "end_date": "2020-12-31",
            "vintage": "2019-2020",
            "baseline_co2e_t": "5",
            "leakage_co2e_t": "1",
        },
    )
    period = MonitoringPeriod.objects.get()
    manager_client.post(reverse("credits:period_close", args=[period.pk]))
    manager_client.post(reverse("credits:period_issue", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_closed and period.issuable_credits > 20

    # Traceability: the frozen totals are the sum of the verified stock of every plot, after the
    # sampling-error deduction of each stratum; the reports show the estimate before it.
    project = period.project
    end_rows = stock_at(on_date=period.end_date, project=project, deduct=True).rows()
    assert sum(r.co2e_t for r in end_rows) == period.stock_end_co2e_t
    estimate = selectors.stock_rows(on_date=period.end_date, kind="verified")
    deducted = sum(r.co2e_t for r in estimate) - period.uncertainty_deduction_co2e_t
    assert abs(deducted - period.stock_end_co2e_t) < Decimal("0.00001") * len(estimate)
    results = MemberPeriodResult.objects.filter(period=period)
    assert results.aggregate(t=Sum("stock_end_co2e_t"))["t"] == period.stock_end_co2e_t
    assert results.aggregate(c=Sum("credits_attributed"))["c"] <= period.issuable_credits

    buyer = Buyer.objects.create(name="Alter Eco", country="France", contact="a@example.org")
    sold = period.issuable_credits // 2
    confirm(
        manager_client,
        "credits:sale_add",
        {
            "period": period.pk,
            "buyer": buyer.pk,
            "quantity": sold,
            "unit_price": "11.00",
            "sold_on": "2024-05-01",
        },
    )
    sale = Sale.objects.get()
    confirm(
        manager_client,
        "credits:retirement_add",
        {
            "period": period.pk,
            "sale": sale.pk,
            "quantity": 5,
            "beneficiary": "Alter Eco",
            "reason": "Offset of 2023 shipping",
            "retired_on": "2024-05-02",
        },
    )
    manager_client.post(reverse("credits:sale_distribute", args=[sale.pk]))
    assert ProducerShare.objects.aggregate(t=Sum("amount"))["t"] == sale.producers_pool
    totals = selectors.credit_totals()
    assert (totals["sold"], totals["retired"]) == (sold, 5)
    assert totals["available"] == period.issuable_credits - sold
    assert sum(b.count for b in CreditBlock.objects.all()) == (
        period.issuable_credits + period.buffer_credits
    )

    top = results.order_by("-net_co2e_t").first()
    confirm(
        manager_client,
        "credits:payment_add",
        {
            "member": top.member.code,
            "paid_on": "2024-06-01",
            "method": "cash",
            "reference": "R-1",
            "exchange_rate_pen": "3.75",
        },
    )
    page = manager_client.get(reverse("credits:member_statement", args=[top.member_id]))
    text = page.content.decode()
    share = ProducerShare.objects.get(member_id=top.member_id)
    assert str(share.amount) in text and "R-1" in text
    assert str(top.credits_attributed) in text
    assert f"{top.net_co2e_t:.3f}" in text
    today_stock = stock_by_member(
        selectors.stock_rows(on_date=timezone.localdate(), kind="verified")
    )
    assert f"{today_stock[top.member_id][1]:.3f}" in text
    ledger = selectors.member_ledger(top.member)
    assert ledger["balance"] == Decimal("0.00") and ledger["paid"] == share.amount
