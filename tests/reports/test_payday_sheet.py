"""The payday sheet per community (issue 16): members paid, amounts in S/, a signature column,
as PDF and XLSX; and a CSV of bank and mobile-wallet transfers with name, DNI and amount."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from credits import services
from tests.credits.factories import BuyerFactory
from tests.dashboard.pdf import pdf_text
from tests.factories import CommunityFactory, MemberFactory, MonitoringVisitFactory, PlantingFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)
RATE = Decimal("3.7500")
URL = reverse("reports:report", args=["payday"])


@pytest.fixture
def payday(issued, programme):
    sale = services.sell_credits(
        period=issued, buyer=BuyerFactory(), quantity=20, unit_price=Decimal("10"), sold_on=DAY
    )
    services.distribute_revenue(sale=sale)
    member_a, member_b = programme["members"]
    services.record_payment(member=member_a, paid_on=DAY, method="cash", exchange_rate_pen=RATE)
    services.record_payment(
        member=member_b, paid_on=DAY, method="bank", reference="OP-9", exchange_rate_pen=RATE
    )
    return {p.member_id: p for p in member_a.credit_payments.all() | member_b.credit_payments.all()}


def test_the_sheet_lists_members_in_soles_with_a_signature_column(
    manager_client, payday, programme
):
    response = manager_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    member_a, _member_b = programme["members"]
    assert "Payday sheet: Dos de Mayo" in text
    assert f"{member_a.last_name}, {member_a.first_name}" in text and member_a.dni in text
    assert "signature" in text
    xlsx = manager_client.get(URL, {"format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "signature" and "amount (S/)" in header
    amounts = {row[2]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert amounts[member_a.dni] == float(payday[member_a.pk].amount_pen)
    pdf = pdf_text(manager_client.get(URL, {"format": "pdf"}).content)
    assert "Dos de Mayo" in pdf and member_a.dni in pdf


def test_the_transfer_csv_holds_name_dni_and_amount_of_transfers_only(
    manager_client, payday, programme
):
    member_a, member_b = programme["members"]
    response = manager_client.get(URL, {"format": "csv", "table": "transfers"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["name", "DNI", "amount (S/)"]
    assert rows[1][:3] == [
        f"{member_b.last_name}, {member_b.first_name}",
        member_b.dni,
        str(payday[member_b.pk].amount_pen),
    ]
    assert len(rows) == 2  # the cash payment of member A is not a transfer


def test_the_sheet_of_one_community(manager_client, payday):
    elsewhere = CommunityFactory(name="Pachiza")
    MemberFactory(community=elsewhere)
    response = manager_client.get(URL, {"community": elsewhere.pk})
    assert "Payday sheet: Dos de Mayo" not in response.content.decode()


def test_field_work_leaves_the_sheet_cached_and_a_new_payment_shows_at_once(
    manager_client, payday, issued, programme, monkeypatch
):
    """The sheet reads members and payments only: a visit or a planting (a clerk's save, many a
    minute) leaves its rows and its tables' HTML cached; a payment shows on the next request."""
    from reports import views

    written = []
    real = views.table_body_html
    monkeypatch.setattr(views, "table_body_html", lambda t: written.append(t.slug) or real(t))

    def get() -> tuple[str, str]:
        written.clear()
        with CaptureQueriesContext(connection) as captured:
            page = manager_client.get(URL).content.decode()
        return " ".join(q["sql"] for q in captured), page

    plot = programme["members"][0].plots.first()
    sql, page = get()
    assert "credits_payment" in sql and written and "OP-9" in page
    sql, page = get()
    assert "credits_payment" not in sql and not written and "OP-9" in page
    MonitoringVisitFactory(plot=plot, visited_on=datetime.date(2024, 5, 2))
    PlantingFactory(plot=plot, planted_on=datetime.date(2024, 5, 2), trees_planted=10)
    sql, page = get()
    assert "credits_payment" not in sql and not written and "OP-9" in page
    later = DAY + datetime.timedelta(days=30)
    sale = services.sell_credits(
        period=issued, buyer=BuyerFactory(), quantity=10, unit_price=Decimal("10"), sold_on=later
    )
    services.distribute_revenue(sale=sale)
    member_b = programme["members"][1]
    services.record_payment(
        member=member_b, paid_on=later, method="bank", reference="OP-10", exchange_rate_pen=RATE
    )
    sql, page = get()
    assert "credits_payment" in sql and written
    assert "OP-10" in page and "OP-9" not in page  # the latest payday


def test_no_dates_give_the_latest_payday_and_dates_every_payday_between_them(
    manager_client, payday, issued, programme
):
    later = DAY + datetime.timedelta(days=30)
    sale = services.sell_credits(
        period=issued, buyer=BuyerFactory(), quantity=10, unit_price=Decimal("10"), sold_on=later
    )
    services.distribute_revenue(sale=sale)
    member_a, member_b = programme["members"]
    services.record_payment(member=member_a, paid_on=later, method="cash", exchange_rate_pen=RATE)

    def paid(**dates) -> list[tuple[str, str]]:
        response = manager_client.get(URL, {"format": "csv", "table": "sheet-1", **dates})
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        return sorted((row[2], row[5]) for row in rows[1:])  # DNI, paid on

    assert paid() == [(member_a.dni, later.isoformat())]
    assert paid(date_from=DAY.isoformat(), date_to=DAY.isoformat()) == sorted(
        [(member_a.dni, DAY.isoformat()), (member_b.dni, DAY.isoformat())]
    )
    assert paid(date_from=DAY.isoformat()) == sorted(
        [
            (member_a.dni, DAY.isoformat()),
            (member_b.dni, DAY.isoformat()),
            (member_a.dni, later.isoformat()),
        ]
    )


@pytest.mark.parametrize(
    "who, status", [(None, 302), ("outsider", 403), ("staff", 403), ("manager", 200)]
)
def test_payday_sheet_roles(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
