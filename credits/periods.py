"""Figures of a monitoring period: verified stock at start and end, net removals, credits.

net = (stock_end − stock_start) − baseline − leakage
issuable = floor(net × (1 − buffer share)); buffer = floor(net) − issuable (never less than the
buffer share, so the buffer rounds in the atmosphere's favour); nothing is issued when net ≤ 0.

Per member: Δstock of their plots; the period's baseline and leakage are deducted in proportion to
each member's positive Δstock (a member whose stock fell carries none of it); credits attributed =
issuable × member's positive net / sum of positive nets, kept to 4 decimals (the ledger keeps the
decimals that whole-credit issuance rounds away).
"""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_FLOOR, Decimal

from credits.carbon import TONNES
from credits.stock import stock_by_member, verified_stock

CREDIT_DECIMALS = Decimal("0.0001")


@dataclass(frozen=True)
class MemberFigures:
    member_id: int
    trees_alive_end: int
    stock_start_co2e_t: Decimal
    stock_end_co2e_t: Decimal
    deduction_co2e_t: Decimal
    net_co2e_t: Decimal
    credits_attributed: Decimal


@dataclass(frozen=True)
class PeriodFigures:
    stock_start_co2e_t: Decimal
    stock_end_co2e_t: Decimal
    baseline_co2e_t: Decimal
    leakage_co2e_t: Decimal
    net_removals_co2e_t: Decimal
    buffer_share: Decimal
    issuable_credits: int
    buffer_credits: int
    members: list[MemberFigures] = field(default_factory=list)

    @property
    def trees_alive_end(self) -> int:
        return sum(m.trees_alive_end for m in self.members)


def credits_from_net(net_co2e_t: Decimal, buffer_share: Decimal) -> tuple[int, int]:
    """(issuable, buffer) whole credits from net removals; (0, 0) when net ≤ 0."""
    if net_co2e_t <= 0:
        return 0, 0
    issuable = int((net_co2e_t * (1 - buffer_share)).to_integral_value(ROUND_FLOOR))
    whole = int(net_co2e_t.to_integral_value(ROUND_FLOOR))
    return issuable, whole - issuable


def attribute(issuable: int, nets: dict[int, Decimal]) -> dict[int, Decimal]:
    """Credits per member in proportion to positive net removals, rounded down to 4 decimals."""
    positive = {key: net for key, net in nets.items() if net > 0}
    total = sum(positive.values(), Decimal("0"))
    if total <= 0 or issuable <= 0:
        return {key: Decimal("0") for key in nets}
    return {
        key: (issuable * positive[key] / total).quantize(CREDIT_DECIMALS, ROUND_DOWN)
        if key in positive
        else Decimal("0")
        for key in nets
    }


def compute(period) -> PeriodFigures:
    """Compute a period's figures from the current field data and project parameters."""
    project = period.project
    start = stock_by_member(verified_stock(on_date=period.start_date, project=project))
    end = stock_by_member(verified_stock(on_date=period.end_date, project=project))
    zero = Decimal("0")
    member_ids = sorted(set(start) | set(end))
    deltas = {m: end.get(m, (0, zero))[1] - start.get(m, (0, zero))[1] for m in member_ids}
    deduction_total = period.baseline_co2e_t + period.leakage_co2e_t
    positive_delta = sum((d for d in deltas.values() if d > 0), zero)
    deductions = {
        m: (deduction_total * d / positive_delta).quantize(TONNES)
        if d > 0 and positive_delta > 0
        else zero
        for m, d in deltas.items()
    }
    nets = {m: deltas[m] - deductions[m] for m in member_ids}

    stock_start = sum((v[1] for v in start.values()), zero)
    stock_end = sum((v[1] for v in end.values()), zero)
    net = stock_end - stock_start - deduction_total
    issuable, buffer = credits_from_net(net, project.buffer_share)
    attributed = attribute(issuable, nets)
    members = [
        MemberFigures(
            member_id=m,
            trees_alive_end=end.get(m, (0, zero))[0],
            stock_start_co2e_t=start.get(m, (0, zero))[1],
            stock_end_co2e_t=end.get(m, (0, zero))[1],
            deduction_co2e_t=deductions[m],
            net_co2e_t=nets[m],
            credits_attributed=attributed[m],
        )
        for m in member_ids
    ]
    return PeriodFigures(
        stock_start_co2e_t=stock_start,
        stock_end_co2e_t=stock_end,
        baseline_co2e_t=period.baseline_co2e_t,
        leakage_co2e_t=period.leakage_co2e_t,
        net_removals_co2e_t=net,
        buffer_share=project.buffer_share,
        issuable_credits=issuable,
        buffer_credits=buffer,
        members=members,
    )
