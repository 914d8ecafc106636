"""Property tests: splits conserve counts and never overlap; shares add up to the cent;
issuance never exceeds net removals after buffer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credits import services
from credits.models import CreditBlock
from credits.periods import attribute, credits_from_net
from credits.sharing import split_cents
from tests.credits.factories import BuyerFactory

DAY = datetime.date(2024, 3, 1)

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2)
weights = st.dictionaries(
    st.integers(1, 5000),
    st.decimals(min_value=0, max_value=100_000, places=6),
    min_size=1,
    max_size=60,
).filter(lambda w: any(v > 0 for v in w.values()))


@given(amount=amounts, weights=weights)
def test_shares_add_up_to_the_pool_to_the_cent(amount, weights):
    shares = split_cents(amount, weights)
    assert sum(shares.values()) == amount
    total = sum(w for w in weights.values() if w > 0)
    for key, share in shares.items():
        exact = amount * max(weights[key], 0) / total
        assert share >= 0 and abs(share - exact) < Decimal("0.01")
        if weights[key] <= 0:
            assert share == 0


shares_of_buffer = st.decimals(min_value=0, max_value=Decimal("0.99"), places=3)
nets = st.decimals(min_value=-1000, max_value=10_000_000, places=6)


@given(net=nets, buffer_share=shares_of_buffer)
def test_issuance_never_exceeds_net_after_buffer(net, buffer_share):
    issuable, buffer = credits_from_net(net, buffer_share)
    assert issuable >= 0 and buffer >= 0
    assert issuable <= net * (1 - buffer_share) or issuable == 0
    assert issuable + buffer <= max(net, 0)
    if net > 0:  # the buffer is never short-changed (rounded up, as far as the net allows)
        assert buffer >= min(net * buffer_share, int(net))


@given(
    issuable=st.integers(0, 1_000_000),
    member_nets=st.dictionaries(st.integers(1, 999), nets, min_size=1, max_size=40),
)
def test_attributed_credits_never_exceed_issuance(issuable, member_nets):
    attributed = attribute(issuable, member_nets)
    assert sum(attributed.values()) <= issuable
    assert all(value >= 0 for value in attributed.values())


operations = st.lists(
    st.tuples(st.sampled_from(["sell", "retire", "cancel"]), st.integers(1, 30)),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_block_splits_conserve_counts_and_never_overlap(issued, steps):
    from django.db import transaction

    buyer = BuyerFactory(name="Prop buyer")
    sid = transaction.savepoint()
    try:
        for action, quantity in steps:
            try:
                if action == "sell":
                    services.sell_credits(
                        period=issued, buyer=buyer, quantity=quantity, unit_price=1, sold_on=DAY
                    )
                elif action == "retire":
                    services.retire_credits(
                        period=issued,
                        quantity=quantity,
                        beneficiary="B",
                        reason="R",
                        retired_on=DAY,
                    )
                else:
                    services.cancel_credits(period=issued, quantity=quantity, reason="R")
            except ValidationError:
                pass  # more than available: refused, and nothing may have changed
            rows = list(CreditBlock.objects.order_by("serial_start"))
            assert sum(b.count for b in rows) == 72
            assert rows[0].serial_start == 1 and rows[-1].serial_end == 72
            for before, after in zip(rows, rows[1:], strict=False):
                assert before.serial_end + 1 == after.serial_start  # contiguous, no overlap
    finally:
        transaction.savepoint_rollback(sid)
