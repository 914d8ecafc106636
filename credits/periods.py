"""Figures of a monitoring period, chained to the one before and capped cumulatively.

Periods are contiguous: each starts from the previous period's frozen end stock (the first one
from the verified stock at its start date), so a loss in any year falls in some period.

Per period: gross = (stock_end − stock_start) − baseline; net = gross − leakage. Over the
project's closed periods up to this one: G = Σ gross, N = Σ net (the cumulative net).
- A negative net is a reversal: buffer credits are cancelled to cover it (ceil(−net), at most
  the live buffer). Credits still not backed by N after that — tradable issued + live buffer − N —
  are the loss carried forward; while it is above zero nothing is issued.
- Otherwise the cumulative targets are: buffer = ceil(G × share) (rounded up and taken on removals
  before leakage, as VCS does), tradable = floor(N − buffer) ≤ floor(N × (1 − share)). The period
  issues what brings the project up to them: first the buffer cancelled by earlier reversals is
  rebuilt, and tradable credits only beyond everything issued before.

Per member: Δstock of their plots; baseline and leakage deducted in proportion to each member's
positive Δstock; the period's new tradable credits attributed in proportion to positive nets,
kept to 4 decimals (the ledger keeps the decimals that whole-credit issuance rounds away).
"""

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal

from django.db.models import Sum

from credits.carbon import TONNES, to_tonnes
from credits.stock import stock_at, stock_by_member
from plantings.models import Species

CREDIT_DECIMALS = Decimal("0.0001")
ZERO = Decimal("0")


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
    gross_removals_co2e_t: Decimal = ZERO
    cumulative_net_co2e_t: Decimal = ZERO
    reversal_co2e_t: Decimal = ZERO
    reversal_cancel_credits: int = 0
    uncovered_loss_co2e_t: Decimal = ZERO
    uncertainty_deduction_co2e_t: Decimal = ZERO
    unmeasured_co2e_t: Decimal = ZERO
    strata: list[dict] = field(default_factory=list)

    @property
    def trees_alive_end(self) -> int:
        return sum(m.trees_alive_end for m in self.members)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_CEILING))


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(ROUND_FLOOR))


def credits_from_net(
    net_co2e_t: Decimal, buffer_share: Decimal, *, leakage_co2e_t: Decimal = ZERO
) -> tuple[int, int]:
    """(tradable, buffer) whole credits of net removals on their own; (0, 0) when net ≤ 0.

    The buffer is taken on the removals before leakage and rounded up; tradable credits are
    what is left of the net, rounded down.
    """
    if net_co2e_t <= 0:
        return 0, 0
    buffer = min(_ceil((net_co2e_t + leakage_co2e_t) * buffer_share), _floor(net_co2e_t))
    return _floor(net_co2e_t) - buffer, buffer


@dataclass(frozen=True)
class Ledger:
    """The project's credit account before a period: sums over its earlier closed periods."""

    gross_co2e_t: Decimal = ZERO
    net_co2e_t: Decimal = ZERO
    tradable_issued: int = 0
    buffer_issued: int = 0
    buffer_cancelled: int = 0

    @classmethod
    def before(cls, period) -> "Ledger":
        sums = (
            period.project.periods.filter(
                status=period.Status.CLOSED, end_date__lt=period.start_date
            )
            .exclude(pk=period.pk)
            .aggregate(
                gross=Sum("gross_removals_co2e_t"),
                net=Sum("net_removals_co2e_t"),
                tradable=Sum("issuable_credits"),
                buffer=Sum("buffer_credits"),
                cancelled=Sum("reversal_cancelled_credits"),
            )
        )
        return cls(
            gross_co2e_t=Decimal(sums["gross"] or 0),
            net_co2e_t=Decimal(sums["net"] or 0),
            tradable_issued=sums["tradable"] or 0,
            buffer_issued=sums["buffer"] or 0,
            buffer_cancelled=sums["cancelled"] or 0,
        )

    @property
    def live_buffer(self) -> int:
        return self.buffer_issued - self.buffer_cancelled


@dataclass(frozen=True)
class Issuance:
    tradable: int
    buffer: int
    reversal_cancel: int
    uncovered_loss_co2e_t: Decimal


def issuance(ledger: Ledger, *, gross: Decimal, net: Decimal, buffer_share: Decimal) -> Issuance:
    """What a period with these removals issues or cancels, given the ledger before it."""
    cumulative_gross = ledger.gross_co2e_t + gross
    cumulative_net = ledger.net_co2e_t + net
    cancel = min(_ceil(-net), ledger.live_buffer) if net < 0 else 0
    live_buffer = ledger.live_buffer - cancel
    uncovered = max(ZERO, ledger.tradable_issued + live_buffer - cumulative_net)
    if uncovered > 0:
        return Issuance(0, 0, cancel, uncovered)
    buffer_target = _ceil(cumulative_gross * buffer_share) if cumulative_gross > 0 else 0
    tradable_target = max(_floor(cumulative_net - buffer_target), 0)
    tradable = max(tradable_target - ledger.tradable_issued, 0)
    live_target = min(buffer_target, _floor(cumulative_net) - ledger.tradable_issued - tradable)
    buffer = max(live_target - live_buffer, 0)
    return Issuance(tradable, buffer, cancel, ZERO)


def attribute(issuable: int, nets: dict[int, Decimal]) -> dict[int, Decimal]:
    """Credits per member in proportion to positive net removals, rounded down to 4 decimals."""
    positive = {key: net for key, net in nets.items() if net > 0}
    total = sum(positive.values(), ZERO)
    if total <= 0 or issuable <= 0:
        return {key: ZERO for key in nets}
    return {
        key: (issuable * positive[key] / total).quantize(CREDIT_DECIMALS, ROUND_DOWN)
        if key in positive
        else ZERO
        for key in nets
    }


def _by_member(stock) -> dict[int, tuple[int, Decimal]]:
    return stock_by_member(stock.rows())


def strata_report(stock, species_names: dict[int, str]) -> list[dict]:
    """The strata of a stock as frozen JSON rows: sampling error and deduction in tonnes."""
    stock_t: dict[tuple, list[float]] = {}
    for row in stock.cohorts:
        bucket = stock_t.setdefault(row.cohort.stratum, [0.0, 0.0, 0])
        bucket[0] += row.co2e_t
        bucket[1] += row.deduction_co2e_t
        bucket[2] += row.trees_alive
    report = []
    for key in sorted(stock.strata):
        stratum = stock.strata[key]
        co2e, deduction, trees = stock_t.get(key, [0.0, 0.0, 0])
        error = stratum["sampling_error"]
        half = stratum["half_width_agb_kg"]
        report.append(
            {
                "species_id": key[0],
                "species": species_names.get(key[0], str(key[0])),
                "age_class": key[1],
                "sample_trees": stratum["sample_trees"],
                "trees_alive": trees,
                "mean_agb_kg": round(stratum["mean_agb_kg"], 6),
                "half_width_agb_kg": None if half is None else round(half, 6),
                "sampling_error": None if error is None else round(error, 6),
                "sampling_error_pct": None if error is None else round(error * 100, 4),
                "deduction_share": round(stratum["deduction_share"], 6),
                "deduction_pct": round(stratum["deduction_share"] * 100, 4),
                "co2e_t": str(to_tonnes(co2e)),
                "deduction_co2e_t": str(to_tonnes(deduction)),
            }
        )
    return report


def compute(period) -> PeriodFigures:
    """Compute a period's figures from the field data, the project's parameters and the frozen
    figures of the periods before it."""
    project = period.project
    previous = period.previous()
    end_stock = stock_at(on_date=period.end_date, project=project, deduct=True)
    end = _by_member(end_stock)
    if previous is not None and previous.is_closed:
        start = {
            member_id: (0, stock)
            for member_id, stock in previous.member_results.values_list(
                "member_id", "stock_end_co2e_t"
            )
        }
        stock_start = previous.stock_end_co2e_t
    else:
        start = _by_member(stock_at(on_date=period.start_date, project=project, deduct=True))
        stock_start = sum((v[1] for v in start.values()), ZERO)
    member_ids = sorted(set(start) | set(end))
    deltas = {m: end.get(m, (0, ZERO))[1] - start.get(m, (0, ZERO))[1] for m in member_ids}
    deduction_total = period.baseline_co2e_t + period.leakage_co2e_t
    positive_delta = sum((d for d in deltas.values() if d > 0), ZERO)
    deductions = {
        m: (deduction_total * d / positive_delta).quantize(TONNES)
        if d > 0 and positive_delta > 0
        else ZERO
        for m, d in deltas.items()
    }
    nets = {m: deltas[m] - deductions[m] for m in member_ids}

    stock_end = sum((v[1] for v in end.values()), ZERO)
    gross = stock_end - stock_start - period.baseline_co2e_t
    net = gross - period.leakage_co2e_t
    ledger = Ledger.before(period)
    issued = issuance(ledger, gross=gross, net=net, buffer_share=project.buffer_share)
    attributed = attribute(issued.tradable, nets)
    members = [
        MemberFigures(
            member_id=m,
            trees_alive_end=end.get(m, (0, ZERO))[0],
            stock_start_co2e_t=start.get(m, (0, ZERO))[1],
            stock_end_co2e_t=end.get(m, (0, ZERO))[1],
            deduction_co2e_t=deductions[m],
            net_co2e_t=nets[m],
            credits_attributed=attributed[m],
        )
        for m in member_ids
    ]
    names = dict(Species.objects.values_list("pk", "local_name"))
    return PeriodFigures(
        stock_start_co2e_t=stock_start,
        stock_end_co2e_t=stock_end,
        baseline_co2e_t=period.baseline_co2e_t,
        leakage_co2e_t=period.leakage_co2e_t,
        net_removals_co2e_t=net,
        buffer_share=project.buffer_share,
        issuable_credits=issued.tradable,
        buffer_credits=issued.buffer,
        members=members,
        gross_removals_co2e_t=gross,
        cumulative_net_co2e_t=ledger.net_co2e_t + net,
        reversal_co2e_t=-net if net < 0 else ZERO,
        reversal_cancel_credits=issued.reversal_cancel,
        uncovered_loss_co2e_t=issued.uncovered_loss_co2e_t,
        uncertainty_deduction_co2e_t=to_tonnes(sum(r.deduction_co2e_t for r in end_stock.cohorts)),
        unmeasured_co2e_t=to_tonnes(sum(r.unmeasured_co2e_t for r in end_stock.cohorts)),
        strata=strata_report(end_stock, names),
    )
