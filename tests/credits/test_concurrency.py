"""Two managers selling from the same block at the same moment cannot oversell (PostgreSQL).

Each thread has its own database connection and transaction; the services lock the project's row,
so the second sale waits for the first to commit and then sees the block as the first left it.
SQLite serializes every write on the whole database, so the race cannot even be staged there.
"""

import threading
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection

from credits import services
from credits.models import CreditBlock, CreditEvent, Sale
from tests.credits.conftest import END, START
from tests.credits.factories import BuyerFactory
from tests.helpers import RACES_ON_POSTGRESQL

pytestmark = RACES_ON_POSTGRESQL


def test_two_concurrent_sales_cannot_oversell(project, programme):
    period = services.open_period(project=project, start_date=START, end_date=END, vintage="2019")
    services.close_period(period=period)
    services.issue_credits(period=period)  # 57 tradable credits (issue 12's buffer rounded up)
    tradable = sum(b.count for b in CreditBlock.objects.filter(is_buffer=False))
    assert tradable == 57
    left = tradable - 40
    buyers = [BuyerFactory(name="Buyer A"), BuyerFactory(name="Buyer B")]
    barrier = threading.Barrier(2)
    outcomes = []

    def sell(buyer):
        try:
            barrier.wait(timeout=10)
            sale = services.sell_credits(
                period=period, buyer=buyer, quantity=40, unit_price=Decimal("10"), sold_on=END
            )
            outcomes.append(("sold", sale.pk))
        except ValidationError as error:
            outcomes.append(("refused", str(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=sell, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _detail in outcomes) == ["refused", "sold"]
    refusal = next(detail for kind, detail in outcomes if kind == "refused")
    assert f"Only {left} credits are available; 40 were asked for." in refusal
    assert Sale.objects.count() == 1
    sold = sum(b.count for b in CreditBlock.objects.filter(status="sold"))
    available = sum(
        b.count for b in CreditBlock.objects.filter(status="available", is_buffer=False)
    )
    assert (sold, available) == (40, left)
    assert CreditEvent.objects.filter(action="sell").count() == 1
