"""The member's carbon statement ("liquidación") as a PDF, beside the credits app's printable page
(credits:member_statement). Same figures: credits.selectors.member_ledger."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from acopagro.reports.exports import export_response
from acopagro.reports.tables import Column, Table, tonnes
from acopagro.views_base import PermissionView
from credits.selectors import member_ledger
from members.models import Member


def statement_tables(member: Member) -> list[Table]:
    ledger = member_ledger(member)
    currency = ledger["currency"]
    summary = Table(
        "summary",
        _("Summary"),
        [Column("item", _("item"), numeric=False), Column("value", _("value"))],
        [
            {"item": _("net removals (tCO2e)"), "value": tonnes(ledger["co2e_t"])},
            {"item": _("credits attributed (tCO2e)"), "value": ledger["credits_attributed"]},
            {"item": _("owed (%(currency)s)") % {"currency": currency}, "value": ledger["owed"]},
            {"item": _("paid (%(currency)s)") % {"currency": currency}, "value": ledger["paid"]},
            {
                "item": _("balance (%(currency)s)") % {"currency": currency},
                "value": ledger["balance"],
            },
        ],
    )
    periods = Table(
        "periods",
        _("Monitoring periods"),
        [
            Column("vintage", _("vintage"), numeric=False),
            Column("trees", _("trees alive at end")),
            Column("net", _("net removals"), "tCO2e"),
            Column("credits", _("credits attributed"), "tCO2e"),
        ],
        [
            {
                "vintage": r.period.vintage,
                "trees": r.trees_alive_end,
                "net": tonnes(r.net_co2e_t),
                "credits": r.credits_attributed,
            }
            for r in ledger["periods"]
        ],
    )
    shares = Table(
        "shares",
        _("Shares of sales"),
        [
            Column("date", _("sale date"), numeric=False),
            Column("buyer", _("buyer"), numeric=False),
            Column("amount", _("amount"), currency),
            Column("paid", _("paid on"), numeric=False),
        ],
        [
            {
                "date": s.sale.sold_on,
                "buyer": s.sale.buyer.name,
                "amount": s.amount,
                "paid": s.payment.paid_on if s.payment else "",
            }
            for s in ledger["shares"]
        ],
    )
    payments = Table(
        "payments",
        _("Payments"),
        [
            Column("date", _("paid on"), numeric=False),
            Column("method", _("method"), numeric=False),
            Column("reference", _("reference"), numeric=False),
            Column("amount", _("amount"), currency),
        ],
        [
            {
                "date": p.paid_on,
                "method": p.get_method_display(),
                "reference": p.reference,
                "amount": p.amount,
            }
            for p in ledger["payments"]
        ],
    )
    return [summary, periods, shares, payments]


class MemberStatementPdfView(PermissionView, View):
    permission_required = "credits.view_carbonproject"  # as the printable statement page

    def get(self, request, pk):
        member = get_object_or_404(Member.objects.select_related("community"), pk=pk)
        subtitle = _("Carbon statement of %(member)s, %(community)s") % {
            "member": member,
            "community": member.community.name,
        }
        return export_response(
            statement_tables(member), "pdf", f"statement-{member.code}", subtitle=subtitle
        )
